// EventLogReader and read_tail.
#include "eventlog/log_reader.h"

#include <algorithm>
#include <cstring>
#include <span>

#include "common/error.h"

namespace sp::eventlog {
namespace {

std::string_view without_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

EventLogReader::EventLogReader(const storage::ObjectStore& store, EventLog log,
                               ReaderOptions options)
    : store_(store), log_(std::move(log)), opt_(options) {
  opt_.read_size = std::max<std::size_t>(opt_.read_size, 1);
  opt_.first_read_size = std::clamp<std::size_t>(opt_.first_read_size, 1, opt_.read_size);
  next_read_ = opt_.first_read_size;
}

bool EventLogReader::finished() const { return file_ >= log_.files.size() || !error_.empty(); }

std::string EventLogReader::position() const {
  if (file_ >= log_.files.size()) return store_.describe(log_.key) + " at its end";
  return store_.describe(log_.files[file_].key) + " at offset " + std::to_string(offset_);
}

void EventLogReader::compact_text() {
  if (text_pos_ == 0 || mapped_) return;
  text_.erase(0, text_pos_);
  text_base_ += text_pos_;
  scan_pos_ -= text_pos_;
  text_pos_ = 0;
}

bool EventLogReader::deliver(ReadStatus& st, const LineCallback& on_line) {
  const std::string_view text = buffer();
  while (true) {
    // The mapped lines delivered so far are not needed any more (a big file is not kept
    // resident as it is read).
    if (mapped_ && text_pos_ >= released_ + kReleaseStep + kReleaseLag) {
      released_ = text_pos_ - kReleaseLag;
      mapped_->release(released_);
    }
    const char* base = text.data();
    const void* nl = scan_pos_ < text.size()
                         ? std::memchr(base + scan_pos_, '\n', text.size() - scan_pos_)
                         : nullptr;
    if (nl == nullptr) {
      scan_pos_ = text.size();
      if (text.size() - text_pos_ > opt_.max_line_size && error_.empty()) {
        error_ = "corrupt event log file " + store_.describe(log_.files[file_].key) +
                 ": the line starting at decoded offset " + std::to_string(text_base_ + text_pos_) +
                 " is longer than " + std::to_string(opt_.max_line_size) + " bytes";
      }
      return true;
    }
    std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
    std::string_view line(base + text_pos_, end - text_pos_);
    if (mapped_) count_mapped(st, end + 1 - text_pos_);
    text_pos_ = scan_pos_ = end + 1;
    ++st.lines;
    ++total_lines_;
    if (!on_line(without_cr(line))) return false;
  }
}

void EventLogReader::count_mapped(ReadStatus& st, std::size_t bytes) {
  st.bytes_read += bytes;
  total_bytes_ += bytes;
}

void EventLogReader::next_file() {
  ++file_;
  offset_ = 0;
  next_read_ = opt_.first_read_size;
  decoder_.reset();
  decoder_ready_ = false;
  raw_pos_ = raw_end_ = 0;
  mapped_.reset();
  released_ = 0;
  text_.clear();
  text_pos_ = scan_pos_ = 0;
  text_base_ = 0;
  eof_seen_ = false;
}

bool EventLogReader::end_of_file_data(ReadStatus& st, const LineCallback& on_line, bool& stopped) {
  bool last = file_ + 1 >= log_.files.size();
  if (last && log_.in_progress) return false;  // it may still grow
  if (decoder_) {
    try {
      decoder_->finish();
    } catch (const CorruptData& e) {
      error_ = "corrupt event log file " + store_.describe(log_.files[file_].key) + ": " + e.what();
      return false;
    }
  }
  const std::string_view text = buffer();
  if (text_pos_ < text.size()) {  // the file's last line, without a final "\n"
    std::string_view line(text.data() + text_pos_, text.size() - text_pos_);
    if (mapped_) count_mapped(st, line.size());
    text_pos_ = scan_pos_ = text.size();
    ++st.lines;
    ++total_lines_;
    stopped = !on_line(without_cr(line));
  }
  next_file();
  return true;
}

std::size_t EventLogReader::fetch(const storage::ObjectInfo& file, bool growing,
                                  std::span<char> dst) {
  const std::optional<std::size_t> ahead = ahead_.take(file.key, offset_, dst);
  const std::size_t got = ahead ? *ahead : store_.read(file.key, offset_, dst);
  // Reading a completed file of a remote store through (full-size reads): its next chunk is
  // fetched while this one is decoded.
  const std::uint64_t end = offset_ + got;
  if (store_.remote() && !growing && got == opt_.read_size && end < file.size) {
    ahead_.start(
        store_, file.key, end,
        static_cast<std::size_t>(std::min<std::uint64_t>(opt_.read_size, file.size - end)));
  }
  return got;
}

ReadStatus EventLogReader::read_more(const LineCallback& on_line) {
  ReadStatus st;
  eof_seen_ = false;
  while (true) {
    if (!deliver(st, on_line)) {
      st.stopped = true;
      break;
    }
    if (!error_.empty()) {
      st.error = error_;
      st.corrupt = true;
      break;
    }
    if (file_ >= log_.files.size()) {
      st.at_end = true;
      break;
    }
    const auto& file = log_.files[file_];
    try {
      if (!decoder_ready_) {
        std::optional<Codec> codec;
        try {
          codec = file_codec(file.name());
        } catch (const Invalid& e) {  // an unknown codec: final, like corrupt data
          error_ = "cannot read event log file " + store_.describe(file.key) + ": " + e.what();
          continue;
        }
        decoder_ = codec ? make_decompressor(*codec) : nullptr;
        decoder_ready_ = true;
      }
      if (decoder_ && raw_pos_ < raw_end_) {  // decode what was fetched
        compact_text();
        std::string_view in(raw_.data() + raw_pos_, raw_end_ - raw_pos_);
        try {
          raw_pos_ += decoder_->feed(in, text_);
        } catch (const CorruptData& e) {
          raw_pos_ = raw_end_;
          error_ = "corrupt event log file " + store_.describe(file.key) + ": " + e.what();
        }
        continue;
      }
      if (eof_seen_) {
        bool stopped = false;
        if (!end_of_file_data(st, on_line, stopped)) {
          if (!error_.empty()) continue;  // report it after the lines before it
          st.at_end = true;
          break;
        }
        if (stopped) {
          st.stopped = true;
          break;
        }
        continue;
      }
      // A completed uncompressed file, from its start: mapped when the store can.
      const bool growing = file_ + 1 >= log_.files.size() && log_.in_progress;
      if (!decoder_ && offset_ == 0 && text_.empty() && !growing) {
        mapped_ = store_.map(file.key);
        if (mapped_) {  // its bytes count as read when their lines are delivered
          offset_ = mapped_->bytes().size();
          eof_seen_ = true;
          continue;
        }
      }
      // A completed file's size is known from the listing: no read past it, and a remote store
      // fetches a small rest whole, in one request.
      const std::uint64_t left = file.size > offset_ ? file.size - offset_ : 0;
      if (!growing && file.size > 0 && left == 0) {
        eof_seen_ = true;
        continue;
      }
      std::size_t want = next_read_;
      next_read_ = std::min(next_read_ * 2, opt_.read_size);
      if (!growing && left > 0) {
        want = store_.remote() && left <= opt_.read_size ? static_cast<std::size_t>(left)
                                                         : std::min<std::uint64_t>(want, left);
      }
      std::size_t got = 0;
      if (decoder_) {
        if (raw_.size() < want) raw_.resize(want);
        got = fetch(file, growing, std::span<char>(raw_.data(), want));
        raw_pos_ = 0;
        raw_end_ = got;
      } else {
        compact_text();
        const std::size_t at = text_.size();
        text_.resize(at + want);
        try {
          got = fetch(file, growing, std::span<char>(text_.data() + at, want));
        } catch (...) {
          text_.resize(at);
          throw;
        }
        text_.resize(at + got);
      }
      offset_ += got;
      st.bytes_read += got;
      total_bytes_ += got;
      if (got < want || (!growing && left > 0 && offset_ >= file.size)) eof_seen_ = true;
    } catch (const Error& e) {  // I/O: not final
      st.error = e.what();
      break;
    }
  }
  return st;
}

bool EventLogReader::refresh(const EventLog& latest) {
  if (latest.id != log_.id || latest.rolling != log_.rolling) return false;
  if (latest.files.size() < std::min(file_ + 1, log_.files.size())) return false;
  for (std::size_t i = 0; i < log_.files.size() && i <= file_; ++i) {
    // A rolling log's files keep their names; a single file changes it on completion.
    if (log_.rolling && latest.files[i].key != log_.files[i].key) return false;
  }
  if (file_ < latest.files.size() && file_ < log_.files.size() &&
      latest.files[file_].size < offset_) {
    return false;
  }
  log_ = latest;
  return true;
}

ReadStatus read_tail(const storage::ObjectStore& store, const EventLog& log,
                     std::uint64_t max_bytes, const LineCallback& on_line) {
  ReadStatus st;
  if (log.files.empty() || max_bytes == 0) {
    st.at_end = true;
    return st;
  }
  const storage::ObjectInfo& last = log.files.back();
  std::string keep;  // the window's text, whole lines only (but maybe the last)
  try {
    auto codec = file_codec(last.name());
    if (!codec) {
      auto now = store.stat(last.key);
      std::uint64_t size = now ? now->size : last.size;
      // One byte before the window too: it tells whether the window starts a line.
      std::uint64_t start = size > max_bytes ? size - max_bytes - 1 : 0;
      keep.resize(size - start);
      std::size_t got = store.read(last.key, start, std::span<char>(keep.data(), keep.size()));
      keep.resize(got);
      st.bytes_read = got;
      if (start > 0) {  // drop the line cut by the window's start
        auto nl = keep.find('\n');
        keep.erase(0, nl == std::string::npos ? keep.size() : nl + 1);
      }
    } else {
      EventLog one = log;
      one.files = {last};
      one.codec = codec;
      EventLogReader reader(store, std::move(one));
      ReadStatus r = reader.read_more([&](std::string_view line) {
        keep.append(line);
        keep.push_back('\n');
        if (keep.size() > 2 * max_bytes) {
          auto nl = keep.find('\n', keep.size() - max_bytes);
          keep.erase(0, nl + 1);
        }
        return true;
      });
      st.bytes_read = r.bytes_read;
      st.error = r.error;
      st.corrupt = r.corrupt;
      if (keep.size() > max_bytes) {
        auto nl = keep.find('\n', keep.size() - max_bytes);
        keep.erase(0, nl == std::string::npos ? keep.size() : nl + 1);
      }
    }
  } catch (const Error& e) {
    st.error = e.what();
    return st;
  }
  std::string_view rest = keep;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    if (nl == std::string_view::npos && log.in_progress) break;  // still being written
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    ++st.lines;
    if (!on_line(without_cr(line))) {
      st.stopped = true;
      return st;
    }
  }
  st.at_end = st.error.empty();
  return st;
}

}  // namespace sp::eventlog
