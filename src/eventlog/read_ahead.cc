#include "eventlog/read_ahead.h"

#include <cstring>

namespace sp::eventlog {

ReadAhead::~ReadAhead() { drop(); }

void ReadAhead::drop() {
  if (!got_.valid()) return;
  try {
    got_.get();
  } catch (...) {  // nobody wants these bytes, nor their error
  }
}

void ReadAhead::start(const storage::ObjectStore& store, std::string key, std::uint64_t offset,
                      std::size_t len) {
  drop();
  key_ = std::move(key);
  offset_ = offset;
  buf_.resize(len);
  got_ = std::async(std::launch::async, [&store, this] {
    return store.read(key_, offset_, std::span<char>(buf_.data(), buf_.size()));
  });
}

std::optional<std::size_t> ReadAhead::take(std::string_view key, std::uint64_t offset,
                                           std::span<char> dst) {
  if (!got_.valid()) return std::nullopt;
  if (key != key_ || offset != offset_ || dst.size() != buf_.size()) {
    drop();
    return std::nullopt;
  }
  const std::size_t n = got_.get();  // rethrows the read's error
  std::memcpy(dst.data(), buf_.data(), n);
  return n;
}

}  // namespace sp::eventlog
