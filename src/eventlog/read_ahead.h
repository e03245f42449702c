// One ranged read of an object done in the background, so that a reader of a remote store (S3)
// has the next chunk on its way while it decodes the current one: the network wait overlaps the
// work instead of adding to it.
#pragma once

#include <cstdint>
#include <future>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "storage/object_store.h"

namespace sp::eventlog {

class ReadAhead {
 public:
  ReadAhead() = default;
  ~ReadAhead();  // waits for a read under way
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // Starts reading `len` bytes of `key` from `offset` (a read under way is waited for first).
  void start(const storage::ObjectStore& store, std::string key, std::uint64_t offset,
             std::size_t len);
  // When the read under way is exactly (key, offset, dst.size()): waits for it, copies what it
  // got into dst and returns the count (rethrowing its error). Otherwise nullopt, and a read
  // under way is dropped.
  std::optional<std::size_t> take(std::string_view key, std::uint64_t offset, std::span<char> dst);

 private:
  void drop();

  std::string key_;
  std::uint64_t offset_ = 0;
  std::string buf_;
  std::future<std::size_t> got_;
};

}  // namespace sp::eventlog
