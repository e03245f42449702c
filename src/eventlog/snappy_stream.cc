// SnappyStream: the snappy-java stream framing, chunks decoded with libsnappy.
#include "eventlog/snappy_stream.h"

#include <snappy.h>

#include <cstring>

namespace sp::eventlog {
namespace {

constexpr char kMagic[8] = {'\x82', 'S', 'N', 'A', 'P', 'P', 'Y', '\0'};
constexpr std::uint32_t kMagicHead = 0x82534E41u;  // the magic's first 4 bytes as an int32 BE

}  // namespace

std::size_t SnappyStream::feed(std::string_view in, std::string& out) {
  const std::size_t in_size = in.size();
  const std::size_t out_start = out.size();
  auto position = [&] { return consumed_ + (in_size - in.size()); };
  while (!in.empty() && out.size() - out_start < kFeedOutputLimit) {
    if (state_ == State::kHeader) {
      auto h = input_.take(in, kHeaderSize);
      if (!h) break;
      check_header(*h);
      input_.clear();
      state_ = State::kLength;
      unit_offset_ = position();
    } else if (state_ == State::kRestOfHeader) {
      auto h = input_.take(in, kHeaderSize - 4);
      if (!h) break;
      std::string whole(kMagic, 4);
      whole.append(*h);
      check_header(whole);
      input_.clear();
      state_ = State::kLength;
      unit_offset_ = position();
    } else if (state_ == State::kLength) {
      auto l = input_.take(in, 4);
      if (!l) break;
      std::uint32_t len = load_be32(l->data());
      input_.clear();
      if (len == kMagicHead) {  // a concatenated stream's header
        state_ = State::kRestOfHeader;
        continue;
      }
      if (len > kMaxUnitSize) {
        throw CorruptData(name(), unit_offset_,
                          "chunk length " + std::to_string(static_cast<std::int32_t>(len)) +
                              " is negative or larger than " + std::to_string(kMaxUnitSize));
      }
      chunk_len_ = len;
      if (len == 0) {
        unit_offset_ = position();
        continue;
      }
      state_ = State::kChunk;
    } else {
      auto c = input_.take(in, chunk_len_);
      if (!c) break;
      decode_chunk(*c, out);
      input_.clear();
      state_ = State::kLength;
      unit_offset_ = position();
    }
  }
  consumed_ = position();
  return in_size - in.size();
}

void SnappyStream::check_header(std::string_view h) {
  if (std::memcmp(h.data(), kMagic, sizeof kMagic) != 0) {
    throw CorruptData(name(), unit_offset_,
                      "bad stream header (expected snappy-java's magic \\x82SNAPPY\\0)");
  }
  auto version = static_cast<std::int32_t>(load_be32(h.data() + 8));
  if (version < 1) {
    throw CorruptData(name(), unit_offset_,
                      "unsupported stream version " + std::to_string(version) + " (expected >= 1)");
  }
}

void SnappyStream::decode_chunk(std::string_view chunk, std::string& out) {
  std::size_t len = 0;
  if (!snappy::GetUncompressedLength(chunk.data(), chunk.size(), &len)) {
    throw CorruptData(name(), unit_offset_, "chunk does not start with a snappy length");
  }
  if (len > kMaxUnitSize) {
    throw CorruptData(name(), unit_offset_,
                      "chunk claims " + std::to_string(len) + " decompressed bytes, more than " +
                          std::to_string(kMaxUnitSize));
  }
  const std::size_t at = out.size();
  out.resize(at + len);
  if (!snappy::RawUncompress(chunk.data(), chunk.size(), out.data() + at)) {
    out.resize(at);
    throw CorruptData(name(), unit_offset_,
                      "corrupt snappy chunk (" + std::to_string(chunk.size()) + " bytes)");
  }
}

std::string SnappyStream::pending_description() const {
  switch (state_) {
    case State::kHeader:
      return "stream ends inside the stream header (" + std::to_string(input_.held()) + " of " +
             std::to_string(kHeaderSize) + " bytes)";
    case State::kRestOfHeader:
      return "stream ends inside a concatenated stream header";
    case State::kLength:
      return "stream ends inside a chunk length (" + std::to_string(input_.held()) + " of 4 bytes)";
    case State::kChunk:
      break;
  }
  return "stream ends inside a chunk (" + std::to_string(input_.held()) + " of " +
         std::to_string(chunk_len_) + " bytes)";
}

}  // namespace sp::eventlog
