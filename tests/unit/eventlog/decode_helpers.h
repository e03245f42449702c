// Test helpers: run a Decompressor over an input fed in pieces, as the reader does.
#pragma once

#include <string>
#include <string_view>

#include "eventlog/decompressor.h"

namespace sp::eventlog::test {

// Feeds `in` in pieces of `piece` bytes (each piece until consumed), returns all output.
inline std::string decode(Decompressor& d, std::string_view in, std::size_t piece = 1 << 20) {
  std::string out;
  while (!in.empty()) {
    std::string_view p = in.substr(0, piece);
    while (!p.empty()) {
      std::size_t n = d.feed(p, out);
      p.remove_prefix(n);
      in.remove_prefix(n);
    }
  }
  return out;
}

// The CorruptData message a fresh `D` reports on `in` (fed whole, then finished); "" if none.
template <typename D>
std::string error_of(std::string_view in) {
  D d;
  try {
    decode(d, in);
    d.finish();
  } catch (const CorruptData& e) {
    return e.what();
  }
  return "";
}

}  // namespace sp::eventlog::test
