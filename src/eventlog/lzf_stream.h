// Decoder of ning compress-lzf's chunk format, Spark's "lzf" codec: chunks of "ZV", a type
// byte, then for type 0 (stored) a uint16 BE length and the bytes, for type 1 (compressed) a
// uint16 BE compressed length, a uint16 BE decompressed length and LZF data (liblzf).
#pragma once

#include <cstdint>

#include "eventlog/chunk_input.h"
#include "eventlog/decompressor.h"

namespace sp::eventlog {

class LzfStream final : public Decompressor {
 public:
  std::size_t feed(std::string_view in, std::string& out) override;
  bool at_boundary() const override { return state_ == State::kHeader && input_.held() == 0; }

 protected:
  std::string_view name() const override { return "lzf stream"; }
  std::uint64_t pending_offset() const override { return chunk_offset_; }
  std::string pending_description() const override;

 private:
  enum class State { kHeader, kOriginalLength, kBody };
  void decode_body(std::string_view body, std::string& out);

  ChunkInput input_;
  State state_ = State::kHeader;
  std::uint64_t chunk_offset_ = 0;
  bool compressed_ = false;
  std::uint32_t body_len_ = 0;
  std::uint32_t original_len_ = 0;
};

}  // namespace sp::eventlog
