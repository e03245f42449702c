// Decoder of Spark's "zstd" codec: standard zstd frames, usually many concatenated ones (Spark
// closes a frame on each flush so that in-progress logs are readable), via ZSTD_decompressStream.
#pragma once

#include <cstdint>
#include <string>

#include "eventlog/decompressor.h"

struct ZSTD_DCtx_s;

namespace sp::eventlog {

class ZstdStream final : public Decompressor {
 public:
  ZstdStream();
  ~ZstdStream() override;
  ZstdStream(const ZstdStream&) = delete;
  ZstdStream& operator=(const ZstdStream&) = delete;

  std::size_t feed(std::string_view in, std::string& out) override;
  bool at_boundary() const override { return !in_frame_; }

 protected:
  std::string_view name() const override { return "zstd stream"; }
  std::uint64_t pending_offset() const override { return frame_offset_; }
  std::string pending_description() const override;

 private:
  // What is wrong when the frame just completed produced another size than its header declares
  // (libzstd checks this when it decodes a frame in one go, but not block by block when the
  // last block is empty, and a file must not read as corrupt or not by read size); else "".
  std::string frame_size_error() const;

  ZSTD_DCtx_s* dctx_;
  bool in_frame_ = false;           // a frame was started and is not complete yet
  std::uint64_t frame_offset_ = 0;  // where the current (or last) frame starts
  std::string frame_head_;          // the current frame's first bytes (its header), up to 18
  std::uint64_t frame_output_ = 0;  // bytes the current frame produced so far
};

}  // namespace sp::eventlog
