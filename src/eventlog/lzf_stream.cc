// LzfStream: the compress-lzf chunk framing, compressed chunks decoded with liblzf.
#include "eventlog/lzf_stream.h"

#include <lzf.h>

namespace sp::eventlog {

std::size_t LzfStream::feed(std::string_view in, std::string& out) {
  const std::size_t in_size = in.size();
  const std::size_t out_start = out.size();
  auto position = [&] { return consumed_ + (in_size - in.size()); };
  while (!in.empty() && out.size() - out_start < kFeedOutputLimit) {
    if (state_ == State::kHeader) {
      auto h = input_.take(in, 5);
      if (!h) break;
      if ((*h)[0] != 'Z' || (*h)[1] != 'V') {
        throw CorruptData(name(), chunk_offset_, "bad chunk signature (expected \"ZV\")");
      }
      int type = static_cast<unsigned char>((*h)[2]);
      if (type != 0 && type != 1) {
        throw CorruptData(
            name(), chunk_offset_,
            "unknown chunk type " + std::to_string(type) + " (expected 0 stored or 1 compressed)");
      }
      compressed_ = type == 1;
      body_len_ = load_be16(h->data() + 3);
      input_.clear();
      state_ = compressed_ ? State::kOriginalLength : State::kBody;
    } else if (state_ == State::kOriginalLength) {
      auto l = input_.take(in, 2);
      if (!l) break;
      original_len_ = load_be16(l->data());
      input_.clear();
      if ((body_len_ == 0) != (original_len_ == 0)) {
        throw CorruptData(name(), chunk_offset_,
                          "inconsistent chunk lengths (compressed " + std::to_string(body_len_) +
                              ", decompressed " + std::to_string(original_len_) + ")");
      }
      state_ = State::kBody;
    } else {
      if (body_len_ > 0) {
        auto b = input_.take(in, body_len_);
        if (!b) break;
        decode_body(*b, out);
        input_.clear();
      }
      state_ = State::kHeader;
      chunk_offset_ = position();
    }
  }
  // A chunk with an empty body is complete as soon as its header is.
  if (state_ == State::kBody && body_len_ == 0) {
    state_ = State::kHeader;
    chunk_offset_ = position();
  }
  consumed_ = position();
  return in_size - in.size();
}

void LzfStream::decode_body(std::string_view body, std::string& out) {
  if (!compressed_) {
    out.append(body);
    return;
  }
  const std::size_t at = out.size();
  out.resize(at + original_len_);
  unsigned n = lzf_decompress(body.data(), static_cast<unsigned>(body.size()), out.data() + at,
                              original_len_);
  if (n != original_len_) {
    out.resize(at);
    throw CorruptData(name(), chunk_offset_,
                      "LZF data does not decode to the " + std::to_string(original_len_) +
                          " bytes the chunk header claims");
  }
}

std::string LzfStream::pending_description() const {
  switch (state_) {
    case State::kHeader:
      return "stream ends inside a chunk header (" + std::to_string(input_.held()) + " of 5 bytes)";
    case State::kOriginalLength:
      return "stream ends inside a chunk header (" + std::to_string(5 + input_.held()) +
             " of 7 bytes)";
    case State::kBody:
      break;
  }
  return "stream ends inside a chunk (" + std::to_string(input_.held()) + " of " +
         std::to_string(body_len_) + " bytes)";
}

}  // namespace sp::eventlog
