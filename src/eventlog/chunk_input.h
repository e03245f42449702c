// Helpers shared by the chunked codecs (lz4 block, snappy stream, lzf): assembling a unit that
// straddles feed() calls, and reading fixed-width integers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp::eventlog {

// Collects the bytes of one piece (a header, a body) of a chunked stream across feed() calls,
// copying only when the piece does not lie wholly in one input.
class ChunkInput {
 public:
  // Takes `need` bytes from the front of `in`. When they are all there, returns a view of them
  // (into `in` itself when nothing was held, else into the held bytes; valid until clear());
  // otherwise holds what `in` has, empties `in` and returns nullopt.
  std::optional<std::string_view> take(std::string_view& in, std::size_t need) {
    if (held_.empty() && in.size() >= need) {
      auto v = in.substr(0, need);
      in.remove_prefix(need);
      return v;
    }
    std::size_t n = std::min(need - held_.size(), in.size());
    held_.append(in.data(), n);
    in.remove_prefix(n);
    if (held_.size() < need) return std::nullopt;
    return std::string_view(held_);
  }
  // Drops the held bytes; call once the piece returned by take() has been used.
  void clear() { held_.clear(); }
  std::size_t held() const { return held_.size(); }

 private:
  std::string held_;
};

inline std::uint32_t load_le32(const char* p) {
  auto b = [p](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])); };
  return b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
}

inline std::uint32_t load_be32(const char* p) {
  auto b = [p](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

inline std::uint32_t load_be16(const char* p) {
  auto b = [p](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])); };
  return (b(0) << 8) | b(1);
}

// "0x1a2b3c4d".
std::string hex32(std::uint32_t v);

}  // namespace sp::eventlog
