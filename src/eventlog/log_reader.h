// Reading one event log line by line: across the files of a rolling log in order, decoding
// each file's codec, in ranged reads of bounded size (a 1 GB log never sits in memory whole),
// and incrementally: read_more() continues where it stopped, so an in-progress log is followed
// as it grows (a trailing partial line waits for its end). Each line is handed over as a view
// into the reader's buffer, without a copy. Also a cheap tail read for the last events.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "eventlog/decompressor.h"
#include "eventlog/log_discovery.h"
#include "eventlog/read_ahead.h"
#include "storage/object_store.h"

namespace sp::eventlog {

struct ReaderOptions {
  // The largest ranged read. The first read of each file is first_read_size, doubling on each
  // read up to read_size, so that reading only the first lines stays cheap.
  std::size_t read_size = 4u << 20;
  std::size_t first_read_size = 64u << 10;
  // A longer line is reported as corrupt data (bounds memory on garbage without newlines).
  std::size_t max_line_size = 512u << 20;
};

struct ReadStatus {
  // Bytes fetched from the store by this call (as stored; of a mapped file: those of the lines
  // delivered).
  std::uint64_t bytes_read = 0;
  std::uint64_t lines = 0;  // lines delivered by this call
  bool stopped = false;     // the callback returned false; call again for the rest
  // Everything available was read: all of a completed log, or all written so far of an
  // in-progress one (its trailing partial line, if any, is held back).
  bool at_end = false;
  // Empty when all went well. Otherwise one line naming the file and the offset.
  std::string error;
  // The error is bad data (corrupt or truncated): it is final, later calls return it again.
  // Otherwise it is an I/O error (e.g. the file was renamed or deleted): call refresh() with a
  // newer discovery of the log, or try again.
  bool corrupt = false;

  bool ok() const { return error.empty(); }
};

// Called with each complete line, without its "\n" (nor a "\r" before it). The view is valid
// only during the call. Return false to stop reading (read_more returns with stopped = true).
// The callback must not call back into the reader (but for mapping()).
using LineCallback = std::function<bool(std::string_view line)>;

class EventLogReader {
 public:
  // `store` must outlive the reader.
  EventLogReader(const storage::ObjectStore& store, EventLog log, ReaderOptions options = {});

  // Delivers the lines from where the last call stopped to the end of the data available now.
  // Lines before a corrupt spot are delivered before the error is returned. The last line of a
  // completed file is delivered even without a final "\n" (as Spark reads it).
  ReadStatus read_more(const LineCallback& on_line);

  // Takes a newer discovery of the same log (it grew, got more files, completed: a single file
  // renamed from ".inprogress"). Returns false when reading cannot continue from where it is
  // (another log, the files read so far changed or were compacted away, a file shrank): then
  // start over with a new reader.
  bool refresh(const EventLog& latest);

  const EventLog& log() const { return log_; }
  // The mapping the current file's lines are delivered from (a completed uncompressed file of a
  // store that maps), else null. Holding it keeps the views of those lines valid after the
  // callback; the callback may call this.
  const std::shared_ptr<storage::MappedObject>& mapping() const { return mapped_; }
  // Every file of a completed log was read to its end (or a corrupt spot was hit).
  bool finished() const;
  std::uint64_t total_lines() const { return total_lines_; }
  std::uint64_t total_bytes_read() const { return total_bytes_; }
  // "<file> at offset <n>": where reading stands, for messages.
  std::string position() const;

 private:
  bool deliver(ReadStatus& st, const LineCallback& on_line);
  void compact_text();
  // Bytes of a mapped file count as read when their lines are delivered.
  void count_mapped(ReadStatus& st, std::size_t bytes);
  // The bytes lines are delivered from: the mapped file, or text_.
  std::string_view buffer() const { return mapped_ ? mapped_->bytes() : std::string_view(text_); }
  void next_file();
  // Reads the current file at offset_ into dst (from the read ahead when it holds that chunk).
  std::size_t fetch(const storage::ObjectInfo& file, bool growing, std::span<char> dst);
  // Handles the end of the current file's data; returns false when reading must pause.
  bool end_of_file_data(ReadStatus& st, const LineCallback& on_line, bool& stopped);

  const storage::ObjectStore& store_;
  EventLog log_;
  ReaderOptions opt_;

  std::size_t file_ = 0;      // the file being read (index into log_.files)
  std::uint64_t offset_ = 0;  // bytes of it fetched so far
  std::size_t next_read_ = 0;
  bool eof_seen_ = false;  // the last read of this call was short: no more data for now
  std::unique_ptr<Decompressor> decoder_;
  bool decoder_ready_ = false;  // decoder_ matches the current file (null when uncompressed)

  std::string raw_;  // fetched compressed bytes
  std::size_t raw_pos_ = 0;
  std::size_t raw_end_ = 0;
  // A completed uncompressed file mapped into memory: its lines are delivered from there
  // (text_ stays empty), without copying the file.
  std::shared_ptr<storage::MappedObject> mapped_;
  // Pages are given back in steps, some way behind the lines delivered (holders of mapping()
  // may still read those; they would be read from the file again, at a cost).
  static constexpr std::size_t kReleaseStep = 4u << 20;
  static constexpr std::size_t kReleaseLag = 8u << 20;
  std::size_t released_ = 0;     // of mapped_: the bytes before this were given back
  std::string text_;             // decoded bytes: a partial line, then what follows
  std::size_t text_pos_ = 0;     // start of the first undelivered line
  std::size_t scan_pos_ = 0;     // where the search for the next "\n" resumes
  std::uint64_t text_base_ = 0;  // decoded offset (in the file) of text_[0]

  std::string error_;  // a final (corrupt data) error, reported once the lines before it are out
  std::uint64_t total_lines_ = 0;
  std::uint64_t total_bytes_ = 0;
  ReadAhead ahead_;  // last: destroyed first, waiting for a read that uses store_
};

// Delivers the lines of (about) the last `max_bytes` of a log's decoded data, from the first
// line that starts in that window, as Spark's FsHistoryProvider does with
// spark.history.fs.endEventReparseChunkSize to find SparkListenerApplicationEnd. Only the last
// file is read: an uncompressed one with one ranged read of its end, a compressed one by
// decoding it, keeping the last lines. The partial last line of an in-progress log is skipped.
ReadStatus read_tail(const storage::ObjectStore& store, const EventLog& log,
                     std::uint64_t max_bytes, const LineCallback& on_line);

}  // namespace sp::eventlog
