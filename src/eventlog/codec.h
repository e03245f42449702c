// The compression codecs Spark writes event logs with, by their short names as they appear in
// file names ("app-1.zstd", "events_1_app-1.lz4"), and the factory of their decompressors.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

namespace sp::eventlog {

class Decompressor;

enum class Codec { kLz4, kLzf, kSnappy, kZstd };

// "lz4", "lzf", "snappy", "zstd" (case-insensitive, as Spark's CompressionCodec.createCodec);
// nullopt for anything else.
std::optional<Codec> codec_from_name(std::string_view short_name);

// The short name: "lz4", "lzf", "snappy" or "zstd".
std::string_view codec_name(Codec codec);

// A fresh streaming decompressor for one file written with `codec`.
std::unique_ptr<Decompressor> make_decompressor(Codec codec);

}  // namespace sp::eventlog
