// The body shared by the codec fuzz targets: decode arbitrary bytes fed in pieces whose sizes
// come from the input itself, as the reader does, checking the interface's promises.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eventlog/codec.h"
#include "eventlog/decompressor.h"

namespace sp::fuzz {

inline void fuzz_decompressor(eventlog::Codec codec, const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  // The first byte picks the piece size (1..256 bytes, or everything at once).
  std::size_t piece = data[0] == 0 ? size : data[0];
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  auto d = eventlog::make_decompressor(codec);
  std::string out;
  try {
    while (!in.empty()) {
      std::string_view p = in.substr(0, piece);
      while (!p.empty()) {
        const std::size_t before = out.size();
        const std::size_t n = d->feed(p, out);
        if (n > p.size()) std::abort();                    // consumed more than given
        if (n == 0 && out.size() == before) std::abort();  // no progress
        if (out.size() - before >
            eventlog::Decompressor::kFeedOutputLimit + eventlog::Decompressor::kMaxUnitSize) {
          std::abort();  // unbounded output from one feed
        }
        p.remove_prefix(n);
        in.remove_prefix(n);
      }
      if (out.size() > (64u << 20)) out.clear();  // keep memory flat on long inputs
    }
    d->finish();
  } catch (const eventlog::CorruptData& e) {
    if (std::string_view(e.what()).empty()) std::abort();
  }
}

}  // namespace sp::fuzz
