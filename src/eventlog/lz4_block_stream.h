// Decoder of lz4-java's LZ4BlockOutputStream format, Spark's "lz4" codec (not the LZ4 frame
// format). Each block: magic "LZ4Block", a token (method 0x10 raw / 0x20 LZ4 in the high nibble,
// log2(block size) - 10 in the low one), compressed and decompressed lengths and a checksum
// (int32 LE each; XXH32 of the decompressed bytes, seed 0x9747b28c, masked to 28 bits), then
// the data. A raw block with zero lengths ends a stream; Spark may start another after it.
#pragma once

#include <cstdint>

#include "eventlog/chunk_input.h"
#include "eventlog/decompressor.h"

namespace sp::eventlog {

class Lz4BlockStream final : public Decompressor {
 public:
  static constexpr std::size_t kHeaderSize = 21;

  std::size_t feed(std::string_view in, std::string& out) override;
  bool at_boundary() const override { return !have_header_ && input_.held() == 0; }

 protected:
  std::string_view name() const override { return "lz4 block stream"; }
  std::uint64_t pending_offset() const override { return block_offset_; }
  std::string pending_description() const override;

 private:
  void parse_header(std::string_view h);
  void decode_block(std::string_view body, std::string& out);

  ChunkInput input_;
  bool have_header_ = false;
  std::uint64_t block_offset_ = 0;  // where the current block starts
  int method_ = 0;
  std::uint32_t compressed_len_ = 0;
  std::uint32_t original_len_ = 0;
  std::uint32_t checksum_ = 0;
};

}  // namespace sp::eventlog
