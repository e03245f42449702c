// Test-only encoders of the formats Spark's codecs write, built from their descriptions with
// the real compressors (liblz4, libsnappy, liblzf, libzstd): lz4-java's block stream,
// snappy-java's stream, compress-lzf's chunks and concatenated zstd frames. Also sample text.
// Shared by the unit tests and the fuzz targets (which use them for seed inputs).
#pragma once

#include <lz4.h>
#include <lzf.h>
#include <snappy.h>
#include <xxhash.h>
#include <zstd.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace sp::eventlog::test {

inline void put_le32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

inline void put_be32(std::string& out, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

inline void put_be16(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
  out.push_back(static_cast<char>(v & 0xFF));
}

// lz4-java LZ4BlockOutputStream: blocks of `block_size`, then the end mark if `end_mark`.
inline std::string lz4_block_stream(std::string_view data, std::size_t block_size = 32768,
                                    bool end_mark = true) {
  int level = 0;
  while ((std::size_t{1} << (10 + level)) < block_size) ++level;
  std::string out;
  auto header = [&](int method, std::size_t clen, std::size_t olen, std::uint32_t check) {
    out.append("LZ4Block");
    out.push_back(static_cast<char>(method | level));
    put_le32(out, static_cast<std::uint32_t>(clen));
    put_le32(out, static_cast<std::uint32_t>(olen));
    put_le32(out, check);
  };
  for (std::size_t at = 0; at < data.size(); at += block_size) {
    std::string_view block = data.substr(at, block_size);
    std::uint32_t check = XXH32(block.data(), block.size(), 0x9747b28c) & 0x0FFFFFFF;
    std::string compressed(
        static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(block.size()))), '\0');
    int n = LZ4_compress_default(block.data(), compressed.data(), static_cast<int>(block.size()),
                                 static_cast<int>(compressed.size()));
    if (n > 0 && static_cast<std::size_t>(n) < block.size()) {
      header(0x20, static_cast<std::size_t>(n), block.size(), check);
      out.append(compressed.data(), static_cast<std::size_t>(n));
    } else {
      header(0x10, block.size(), block.size(), check);
      out.append(block);
    }
  }
  if (end_mark) header(0x10, 0, 0, 0);
  return out;
}

// snappy-java SnappyOutputStream: header, then chunks of int32 BE length + raw snappy.
inline std::string snappy_stream(std::string_view data, std::size_t chunk_size = 32768,
                                 bool header = true) {
  std::string out;
  if (header) {
    out.append("\x82SNAPPY", 7);
    out.push_back('\0');
    put_be32(out, 1);
    put_be32(out, 1);
  }
  for (std::size_t at = 0; at < data.size(); at += chunk_size) {
    std::string_view chunk = data.substr(at, chunk_size);
    std::string compressed;
    snappy::Compress(chunk.data(), chunk.size(), &compressed);
    put_be32(out, static_cast<std::uint32_t>(compressed.size()));
    out.append(compressed);
  }
  return out;
}

// compress-lzf chunks ("ZV"), compressed when that is smaller, else stored.
inline std::string lzf_chunks(std::string_view data, std::size_t chunk_size = 65535) {
  std::string out;
  for (std::size_t at = 0; at < data.size(); at += chunk_size) {
    std::string_view chunk = data.substr(at, chunk_size);
    std::string compressed(chunk.size(), '\0');
    unsigned n = lzf_compress(chunk.data(), static_cast<unsigned>(chunk.size()), compressed.data(),
                              static_cast<unsigned>(compressed.size() - 1));
    out.append("ZV");
    if (n > 0) {
      out.push_back('\1');
      put_be16(out, n);
      put_be16(out, static_cast<std::uint32_t>(chunk.size()));
      out.append(compressed.data(), n);
    } else {
      out.push_back('\0');
      put_be16(out, static_cast<std::uint32_t>(chunk.size()));
      out.append(chunk);
    }
  }
  return out;
}

// One zstd frame per `frame_size` bytes of input, concatenated (as Spark flushes frames).
inline std::string zstd_frames(std::string_view data, std::size_t frame_size = 1 << 20,
                               int level = 1) {
  std::string out;
  for (std::size_t at = 0; at < data.size(); at += frame_size) {
    std::string_view part = data.substr(at, frame_size);
    std::string frame(ZSTD_compressBound(part.size()), '\0');
    std::size_t n = ZSTD_compress(frame.data(), frame.size(), part.data(), part.size(), level);
    if (ZSTD_isError(n)) return {};
    out.append(frame.data(), n);
  }
  return out;
}

// Event-log-like text: `lines` JSON lines of varied content, each ending with "\n".
inline std::string sample_lines(std::size_t lines, std::uint32_t seed = 1) {
  std::string out;
  std::uint32_t x = seed;
  for (std::size_t i = 0; i < lines; ++i) {
    x = x * 1664525u + 1013904223u;
    out += "{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":" + std::to_string(i % 7) +
           ",\"Task Info\":{\"Task ID\":" + std::to_string(i) +
           ",\"Launch Time\":" + std::to_string(1700000000000ULL + x % 100000) +
           ",\"Host\":\"host-" + std::to_string(x % 13) + "\",\"Noise\":\"" + std::to_string(x) +
           std::string(x % 40, 'x') + "\"}}\n";
  }
  return out;
}

}  // namespace sp::eventlog::test
