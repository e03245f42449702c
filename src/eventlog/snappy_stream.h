// Decoder of snappy-java's SnappyOutputStream format, Spark's "snappy" codec: a 16-byte header
// (magic "\x82SNAPPY\0", int32 BE version, int32 BE compatible version), then chunks of an
// int32 BE length followed by one raw snappy block. A header may appear again between chunks
// (concatenated streams), as snappy-java's SnappyInputStream accepts.
#pragma once

#include <cstdint>

#include "eventlog/chunk_input.h"
#include "eventlog/decompressor.h"

namespace sp::eventlog {

class SnappyStream final : public Decompressor {
 public:
  static constexpr std::size_t kHeaderSize = 16;

  std::size_t feed(std::string_view in, std::string& out) override;
  // An empty stream (no header yet) is at a boundary: it decodes to nothing.
  bool at_boundary() const override {
    return (state_ == State::kLength || state_ == State::kHeader) && input_.held() == 0;
  }

 protected:
  std::string_view name() const override { return "snappy stream"; }
  std::uint64_t pending_offset() const override { return unit_offset_; }
  std::string pending_description() const override;

 private:
  enum class State { kHeader, kRestOfHeader, kLength, kChunk };
  void check_header(std::string_view h);
  void decode_chunk(std::string_view chunk, std::string& out);

  ChunkInput input_;
  State state_ = State::kHeader;
  std::uint64_t unit_offset_ = 0;  // where the current header or chunk starts
  std::uint32_t chunk_len_ = 0;
};

}  // namespace sp::eventlog
