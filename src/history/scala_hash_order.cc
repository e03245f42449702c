#include "history/scala_hash_order.h"

#include <algorithm>
#include <map>
#include <utility>

namespace sp::history {

int32_t java_string_hash(std::string_view utf8) {
  uint32_t h = 0;
  auto add_unit = [&h](uint32_t unit) { h = h * 31u + unit; };
  size_t i = 0;
  while (i < utf8.size()) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = 0;
    size_t len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 && i + 1 < utf8.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
      len = 2;
    } else if ((c >> 4) == 0xE && i + 2 < utf8.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu);
      len = 3;
    } else if ((c >> 3) == 0x1E && i + 3 < utf8.size()) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(utf8[i + 3]) & 0x3Fu);
      len = 4;
    } else {
      cp = 0xFFFD;  // malformed byte: Java decodes it as the replacement character
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      add_unit(0xD800u + (cp >> 10));
      add_unit(0xDC00u + (cp & 0x3FFu));
    } else {
      add_unit(cp);
    }
    i += len;
  }
  return static_cast<int32_t>(h);
}

int32_t scala_long_hash(int64_t v) {
  int32_t iv = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
  if (static_cast<int64_t>(iv) == v) return iv;
  uint64_t u = static_cast<uint64_t>(v);
  return static_cast<int32_t>(static_cast<uint32_t>(u ^ (u >> 32)));
}

void ScalaTableSize::before_put(bool is_new, bool via_update) {
  if (is_new || via_update) {
    if (size_ + 1 >= static_cast<int64_t>(length_) * 3 / 4) length_ *= 2;
  }
  if (is_new) ++size_;
}

void scala_hash_order(std::vector<ScalaHashEntry>& entries, int table_length) {
  auto improve = [](int32_t h) {
    uint32_t u = static_cast<uint32_t>(h);
    return static_cast<int32_t>(u ^ (u >> 16));
  };
  uint32_t mask = static_cast<uint32_t>(table_length - 1);
  std::sort(entries.begin(), entries.end(), [&](const ScalaHashEntry& a, const ScalaHashEntry& b) {
    int32_t ha = improve(a.hash), hb = improve(b.hash);
    uint32_t ba = static_cast<uint32_t>(ha) & mask, bb = static_cast<uint32_t>(hb) & mask;
    if (ba != bb) return ba < bb;
    if (ha != hb) return ha < hb;
    return a.inserted < b.inserted;
  });
}

namespace {

// scala.util.hashing improve, as immutable.HashMap applies it to a key's ##.
int32_t champ_improve(int32_t hcode) {
  uint32_t h = static_cast<uint32_t>(hcode) + ~(static_cast<uint32_t>(hcode) << 9);
  h = h ^ (h >> 14);
  h = h + (h << 4);
  return static_cast<int32_t>(h ^ (h >> 10));
}

void champ_walk(std::vector<std::pair<uint32_t, int>> entries, int shift, std::vector<int>& out) {
  if (shift >= 32) {
    for (const auto& e : entries) out.push_back(e.second);  // full collision: insertion order
    return;
  }
  std::map<uint32_t, std::vector<std::pair<uint32_t, int>>> groups;
  for (const auto& e : entries) groups[(e.first >> shift) & 31u].push_back(e);
  for (const auto& [mask, g] : groups) {
    if (g.size() == 1) out.push_back(g.front().second);
  }
  for (const auto& [mask, g] : groups) {
    if (g.size() > 1) champ_walk(g, shift + 5, out);
  }
}

}  // namespace

std::vector<int> scala_immutable_int_map_order(const std::vector<int>& keys) {
  if (keys.size() <= 4) return keys;
  std::vector<std::pair<uint32_t, int>> entries;
  for (int k : keys) entries.emplace_back(static_cast<uint32_t>(champ_improve(k)), k);
  std::vector<int> out;
  champ_walk(std::move(entries), 0, out);
  return out;
}

}  // namespace sp::history
