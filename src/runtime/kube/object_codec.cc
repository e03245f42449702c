#include "runtime/kube/object_codec.h"

#include <zstd.h>

#include "common/error.h"

namespace sp::kube {
namespace {

constexpr int kLevel = 3;

std::string msgpack_of(const Json& object) {
  std::string out;
  Json::to_msgpack(object, nlohmann::detail::output_adapter<char>(out));
  return out;
}

// One compression and one decompression context per thread, reused (creating them costs more
// than compressing a small object).
struct Contexts {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_DCtx* d = ZSTD_createDCtx();
  Contexts() = default;
  Contexts(const Contexts&) = delete;
  Contexts& operator=(const Contexts&) = delete;
  ~Contexts() {
    ZSTD_freeCCtx(c);
    ZSTD_freeDCtx(d);
  }
};

Contexts& contexts() {
  thread_local Contexts ctx;
  if (ctx.c == nullptr || ctx.d == nullptr) throw Error("object codec: zstd is out of memory");
  return ctx;
}

}  // namespace

struct ObjectCodec::Dictionary {
  std::string content;
  ZSTD_CDict* c = nullptr;
  ZSTD_DDict* d = nullptr;
  explicit Dictionary(std::string bytes) : content(std::move(bytes)) {
    c = ZSTD_createCDict(content.data(), content.size(), kLevel);
    d = ZSTD_createDDict(content.data(), content.size());
    if (c == nullptr || d == nullptr) throw Error("object codec: zstd is out of memory");
  }
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;
  ~Dictionary() {
    ZSTD_freeCDict(c);
    ZSTD_freeDDict(d);
  }
};

ObjectCodec::ObjectCodec() = default;
ObjectCodec::~ObjectCodec() = default;

const ObjectCodec::Dictionary& ObjectCodec::dictionary(const std::string& first) {
  std::call_once(once_, [&] { dict_ = std::make_unique<Dictionary>(first); });
  return *dict_;
}

std::string ObjectCodec::pack(const Json& object) {
  const std::string raw = msgpack_of(object);
  const Dictionary& dict = dictionary(raw);
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  const std::size_t n = ZSTD_compress_usingCDict(contexts().c, out.data(), out.size(), raw.data(),
                                                 raw.size(), dict.c);
  if (ZSTD_isError(n)) throw Error(std::string("object codec: ") + ZSTD_getErrorName(n));
  out.resize(n);
  out.shrink_to_fit();
  return out;
}

Json ObjectCodec::unpack(std::string_view packed) const {
  if (!dict_) throw Error("object codec: nothing was packed yet");
  const unsigned long long size = ZSTD_getFrameContentSize(packed.data(), packed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    throw Error("object codec: not a packed object");
  }
  std::string raw(static_cast<std::size_t>(size), '\0');
  const std::size_t n = ZSTD_decompress_usingDDict(contexts().d, raw.data(), raw.size(),
                                                   packed.data(), packed.size(), dict_->d);
  if (ZSTD_isError(n) || n != raw.size()) {
    throw Error(std::string("object codec: ") +
                (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short object"));
  }
  return Json::from_msgpack(raw);
}

}  // namespace sp::kube
