// Codec names and the decompressor factory.
#include "eventlog/codec.h"

#include <cctype>
#include <string>

#include "eventlog/decompressor.h"
#include "eventlog/lz4_block_stream.h"
#include "eventlog/lzf_stream.h"
#include "eventlog/snappy_stream.h"
#include "eventlog/zstd_stream.h"

namespace sp::eventlog {

std::optional<Codec> codec_from_name(std::string_view short_name) {
  std::string lower(short_name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "lz4") return Codec::kLz4;
  if (lower == "lzf") return Codec::kLzf;
  if (lower == "snappy") return Codec::kSnappy;
  if (lower == "zstd") return Codec::kZstd;
  return std::nullopt;
}

std::string_view codec_name(Codec codec) {
  switch (codec) {
    case Codec::kLz4:
      return "lz4";
    case Codec::kLzf:
      return "lzf";
    case Codec::kSnappy:
      return "snappy";
    case Codec::kZstd:
      return "zstd";
  }
  return "unknown";
}

std::unique_ptr<Decompressor> make_decompressor(Codec codec) {
  switch (codec) {
    case Codec::kLz4:
      return std::make_unique<Lz4BlockStream>();
    case Codec::kLzf:
      return std::make_unique<LzfStream>();
    case Codec::kSnappy:
      return std::make_unique<SnappyStream>();
    case Codec::kZstd:
      return std::make_unique<ZstdStream>();
  }
  return nullptr;
}

}  // namespace sp::eventlog
