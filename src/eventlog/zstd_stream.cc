// ZstdStream: libzstd's streaming decoder over concatenated frames, output bounded per feed.
#include "eventlog/zstd_stream.h"

#include <zstd.h>

#include <algorithm>
#include <new>
#include <string>

namespace sp::eventlog {
namespace {

// Output is produced in steps of this size (larger than a zstd block, 128 KiB).
constexpr std::size_t kStep = 256u << 10;
// The longest frame header (ZSTD_FRAMEHEADERSIZE_MAX, not in the stable API).
constexpr std::size_t kFrameHeaderMax = 18;

// A standard frame or a skippable one. Legacy formats (zstd before 1.0), which libzstd may
// still decode, are refused: Spark never wrote them, and libzstd checks them differently
// whole than piece by piece.
bool known_magic(std::string_view head) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  const std::uint32_t magic =
      b(0) | b(1) << 8 | b(2) << 16 | static_cast<std::uint32_t>(b(3)) << 24;
  return magic == ZSTD_MAGICNUMBER ||
         (magic & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START;
}

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
      frame_head_.clear();
      frame_output_ = 0;
    }
    if (in_frame_ && frame_head_.size() < kFrameHeaderMax) {
      // The bytes the decoder has not taken yet continue this frame's head (past a short
      // frame's end they are the next frame's: only the header's own bytes are read).
      frame_head_.append(static_cast<const char*>(in.src) + in.pos,
                         std::min(kFrameHeaderMax - frame_head_.size(), in.size - in.pos));
      if (frame_head_.size() >= 4 && !known_magic(frame_head_)) {
        consumed_ += in.pos;
        throw CorruptData(name(), frame_offset_,
                          "no zstd frame starts here (Spark writes standard frames only)");
      }
    }
    const std::size_t at = out.size();
    out.resize(at + kStep);
    ZSTD_outBuffer o{out.data() + at, kStep, 0};
    std::size_t ret = ZSTD_decompressStream(dctx_, &o, &in);
    out.resize(at + o.pos);
    frame_output_ += o.pos;
    if (ZSTD_isError(ret)) {
      consumed_ += in.pos;
      throw CorruptData(name(), frame_offset_,
                        std::string(ZSTD_getErrorName(ret)) + " (in the frame starting here)");
    }
    if (ret == 0 && in_frame_) {  // frame complete and flushed
      in_frame_ = false;
      if (std::string wrong = frame_size_error(); !wrong.empty()) {
        consumed_ += in.pos;
        throw CorruptData(name(), frame_offset_, wrong);
      }
    }
    bool output_full = o.pos == o.size;
    if (in.pos == in.size && !output_full) break;
  }
  consumed_ += in.pos;
  return in.pos;
}

std::string ZstdStream::frame_size_error() const {
  const unsigned long long declared =
      ZSTD_getFrameContentSize(frame_head_.data(), frame_head_.size());
  if (declared == ZSTD_CONTENTSIZE_UNKNOWN || declared == ZSTD_CONTENTSIZE_ERROR ||
      declared == frame_output_) {
    return "";
  }
  return "the frame starting here holds " + std::to_string(frame_output_) +
         " bytes, its header declares " + std::to_string(declared);
}

std::string ZstdStream::pending_description() const { return "stream ends inside a zstd frame"; }

}  // namespace sp::eventlog
