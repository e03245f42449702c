// The streaming-decompressor interface shared by every codec: fed compressed bytes as they
// become available (an in-progress log grows), it appends what it can decode and keeps an
// incomplete unit (block, chunk, frame) for the next call. Corrupt or truncated input is
// reported as CorruptData with the offset in the compressed stream and what was expected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace sp::eventlog {

// Corrupt or truncated compressed data. what() is "<codec> at offset <n>: <problem>".
class CorruptData : public Error {
 public:
  CorruptData(std::string_view codec, std::uint64_t offset, const std::string& problem);
  // Offset in the compressed stream of the unit (block, chunk, frame) that is bad.
  std::uint64_t offset() const { return offset_; }

 private:
  std::uint64_t offset_;
};

class Decompressor {
 public:
  // One feed() stops early, leaving input unconsumed, once it appended this much (bounds memory
  // for highly compressible input); the caller feeds the rest after draining `out`.
  static constexpr std::size_t kFeedOutputLimit = 4u << 20;
  // No single block or chunk may claim more than this many bytes (compressed or not).
  static constexpr std::size_t kMaxUnitSize = 64u << 20;

  virtual ~Decompressor() = default;

  // Decodes the next bytes of the compressed stream, appending decoded bytes to `out`. Returns
  // how many bytes of `in` were consumed: all of them, unless `out` grew by kFeedOutputLimit
  // first. Bytes of an incomplete unit are consumed and held. Throws CorruptData; the object
  // must not be used after that.
  virtual std::size_t feed(std::string_view in, std::string& out) = 0;

  // True when everything fed so far ended at a unit boundary: nothing is held back.
  virtual bool at_boundary() const = 0;

  // At the end of a complete file: throws CorruptData ("truncated ...") unless at_boundary().
  void finish() const;

  // Compressed bytes consumed so far.
  std::uint64_t consumed() const { return consumed_; }

 protected:
  // The codec's short name, for messages.
  virtual std::string_view name() const = 0;
  // Offset of the unit being assembled, and what is missing, for the truncation message.
  virtual std::uint64_t pending_offset() const = 0;
  virtual std::string pending_description() const = 0;

  std::uint64_t consumed_ = 0;
};

}  // namespace sp::eventlog
