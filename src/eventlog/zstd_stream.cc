// ZstdStream: libzstd's streaming decoder over concatenated frames, output bounded per feed.
#include "eventlog/zstd_stream.h"

#include <zstd.h>

#include <new>

namespace sp::eventlog {
namespace {

// Output is produced in steps of this size (larger than a zstd block, 128 KiB).
constexpr std::size_t kStep = 256u << 10;

}  // namespace

ZstdStream::ZstdStream() : dctx_(ZSTD_createDCtx()) {
  if (dctx_ == nullptr) throw std::bad_alloc();
}

ZstdStream::~ZstdStream() { ZSTD_freeDCtx(dctx_); }

std::size_t ZstdStream::feed(std::string_view in_bytes, std::string& out) {
  ZSTD_inBuffer in{in_bytes.data(), in_bytes.size(), 0};
  const std::size_t out_start = out.size();
  while (true) {
    // Stop early only while input remains: once it is all consumed, keep going until the
    // decoder has flushed everything it can, so nothing decoded stays hidden inside it.
    if (in.pos < in.size && out.size() - out_start >= kFeedOutputLimit) break;
    if (!in_frame_ && in.pos < in.size) {
      in_frame_ = true;
      frame_offset_ = consumed_ + in.pos;
    }
    const std::size_t at = out.size();
    out.resize(at + kStep);
    ZSTD_outBuffer o{out.data() + at, kStep, 0};
    std::size_t ret = ZSTD_decompressStream(dctx_, &o, &in);
    out.resize(at + o.pos);
    if (ZSTD_isError(ret)) {
      consumed_ += in.pos;
      throw CorruptData(name(), frame_offset_,
                        std::string(ZSTD_getErrorName(ret)) + " (in the frame starting here)");
    }
    if (ret == 0) in_frame_ = false;  // frame complete and flushed
    bool output_full = o.pos == o.size;
    if (in.pos == in.size && !output_full) break;
  }
  consumed_ += in.pos;
  return in.pos;
}

std::string ZstdStream::pending_description() const { return "stream ends inside a zstd frame"; }

}  // namespace sp::eventlog
