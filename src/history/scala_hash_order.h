// Iteration order of Scala 2.13's mutable.HashMap, which leaks into some Spark REST arrays
// (a stage's accumulatorUpdates, an RDD's dataDistribution).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace sp::history {

// java.lang.String.hashCode of UTF-8 text (hashed over its UTF-16 code units).
int32_t java_string_hash(std::string_view utf8);

// Scala's ## of a boxed Long.
int32_t scala_long_hash(int64_t v);

// Tracks the table length of a mutable.HashMap as keys are added (it never shrinks).
class ScalaTableSize {
 public:
  // Before a put of a key (`is_new`: the key was absent); `via_update` for map(key) = v, which
  // checks growth even for existing keys, unlike getOrElseUpdate.
  void before_put(bool is_new, bool via_update);
  int length() const { return length_; }

 private:
  int length_ = 16;
  int64_t size_ = 0;
};

struct ScalaHashEntry {
  int32_t hash;       // the key's ## (before Scala's improveHash)
  uint64_t inserted;  // insertion sequence, for equal hashes
  size_t index;       // caller's index
};

// Sorts entries into the map's iteration order for the given table length.
void scala_hash_order(std::vector<ScalaHashEntry>& entries, int table_length);

// Iteration order of a Scala 2.13 immutable Map[Int, _] built by adding `keys` in this order
// (distinct): insertion order up to 4 entries, else the CHAMP trie order of the hashed keys.
std::vector<int> scala_immutable_int_map_order(const std::vector<int>& keys);

}  // namespace sp::history
