// Lz4BlockStream: header checks as lz4-java's LZ4BlockInputStream, blocks decoded with liblz4,
// checksums verified with libxxhash.
#include "eventlog/lz4_block_stream.h"

#include <lz4.h>
#include <xxhash.h>

#include <cstdio>
#include <cstring>

namespace sp::eventlog {
namespace {

constexpr char kMagic[] = "LZ4Block";
constexpr std::size_t kMagicSize = 8;
constexpr int kMethodRaw = 0x10;
constexpr int kMethodLz4 = 0x20;
constexpr int kLevelBase = 10;
constexpr std::uint32_t kSeed = 0x9747b28c;

}  // namespace

std::size_t Lz4BlockStream::feed(std::string_view in, std::string& out) {
  const std::size_t in_size = in.size();
  const std::size_t out_start = out.size();
  auto position = [&] { return consumed_ + (in_size - in.size()); };
  while (!in.empty() && out.size() - out_start < kFeedOutputLimit) {
    if (!have_header_) {
      auto header = input_.take(in, kHeaderSize);
      if (!header) break;
      parse_header(*header);
      input_.clear();
      if (original_len_ == 0) {  // end of one stream; another may follow
        block_offset_ = position();
        continue;
      }
      have_header_ = true;
    }
    auto body = input_.take(in, compressed_len_);
    if (!body) break;
    decode_block(*body, out);
    input_.clear();
    have_header_ = false;
    block_offset_ = position();
  }
  consumed_ = position();
  return in_size - in.size();
}

void Lz4BlockStream::parse_header(std::string_view h) {
  auto corrupt = [this](const std::string& what) {
    throw CorruptData(name(), block_offset_, what);
  };
  if (std::memcmp(h.data(), kMagic, kMagicSize) != 0) {
    corrupt("bad block magic (expected \"LZ4Block\")");
  }
  int token = static_cast<unsigned char>(h[kMagicSize]);
  method_ = token & 0xF0;
  int level = kLevelBase + (token & 0x0F);
  if (method_ != kMethodRaw && method_ != kMethodLz4) {
    char method[8];
    std::snprintf(method, sizeof method, "0x%02x", static_cast<unsigned>(method_));
    corrupt(std::string("unknown compression method ") + method +
            " (expected 0x10 raw or 0x20 lz4)");
  }
  auto compressed = static_cast<std::int32_t>(load_le32(h.data() + kMagicSize + 1));
  auto original = static_cast<std::int32_t>(load_le32(h.data() + kMagicSize + 5));
  checksum_ = load_le32(h.data() + kMagicSize + 9);
  if (compressed < 0 || original < 0) {
    corrupt("negative block length (compressed " + std::to_string(compressed) + ", decompressed " +
            std::to_string(original) + ")");
  }
  if (original > (1 << level)) {
    corrupt("block claims " + std::to_string(original) + " decompressed bytes, more than its " +
            "block size " + std::to_string(1 << level));
  }
  if ((original == 0) != (compressed == 0)) {
    corrupt("inconsistent block lengths (compressed " + std::to_string(compressed) +
            ", decompressed " + std::to_string(original) + ")");
  }
  if (method_ == kMethodRaw && original != compressed) {
    corrupt("raw block with compressed length " + std::to_string(compressed) +
            " != decompressed length " + std::to_string(original));
  }
  if (method_ == kMethodLz4 && compressed > LZ4_compressBound(original)) {
    corrupt("compressed length " + std::to_string(compressed) + " exceeds the LZ4 bound for " +
            std::to_string(original) + " bytes");
  }
  if (original == 0 && checksum_ != 0) corrupt("end-of-stream block with a non-zero checksum");
  compressed_len_ = static_cast<std::uint32_t>(compressed);
  original_len_ = static_cast<std::uint32_t>(original);
}

void Lz4BlockStream::decode_block(std::string_view body, std::string& out) {
  const std::size_t at = out.size();
  if (method_ == kMethodRaw) {
    out.append(body);
  } else {
    out.resize(at + original_len_);
    int n = LZ4_decompress_safe(body.data(), out.data() + at, static_cast<int>(body.size()),
                                static_cast<int>(original_len_));
    if (n != static_cast<int>(original_len_)) {
      out.resize(at);
      throw CorruptData(name(), block_offset_,
                        "LZ4 data does not decode to the " + std::to_string(original_len_) +
                            " bytes the block header claims");
    }
  }
  std::uint32_t computed = XXH32(out.data() + at, original_len_, kSeed) & 0x0FFFFFFFu;
  if (computed != checksum_) {
    out.resize(at);
    throw CorruptData(
        name(), block_offset_,
        "checksum mismatch (stored " + hex32(checksum_) + ", computed " + hex32(computed) + ")");
  }
}

std::string Lz4BlockStream::pending_description() const {
  if (!have_header_) {
    return "stream ends inside a block header (" + std::to_string(input_.held()) + " of " +
           std::to_string(kHeaderSize) + " bytes)";
  }
  return "stream ends inside a block (" + std::to_string(input_.held()) + " of " +
         std::to_string(compressed_len_) + " data bytes)";
}

}  // namespace sp::eventlog
