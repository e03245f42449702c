// CorruptData and the codec-independent part of Decompressor.
#include "eventlog/decompressor.h"

namespace sp::eventlog {

CorruptData::CorruptData(std::string_view codec, std::uint64_t offset, const std::string& problem)
    : Error(std::string(codec) + " at offset " + std::to_string(offset) + ": " + problem),
      offset_(offset) {}

void Decompressor::finish() const {
  if (at_boundary()) return;
  throw CorruptData(name(), pending_offset(), "truncated: " + pending_description());
}

}  // namespace sp::eventlog
