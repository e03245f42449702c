// A zip archive written front to back into a byte sink, for the REST `logs` download: entries
// are stored (Spark's event logs are already compressed or compress poorly against the CPU
// cost), sizes and CRCs follow each entry in a data descriptor, and Zip64 records are always
// written, so logs of any size stream with constant memory. Written by hand: libzip needs a
// seekable output, which an HTTP response is not.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::history {

class ZipStreamWriter {
 public:
  // Receives the archive's bytes in order; returns false to abort (the client went away).
  using Sink = std::function<bool(std::string_view bytes)>;

  explicit ZipStreamWriter(Sink sink);

  // Starts an entry; `name` uses "/" separators; mtime in Unix milliseconds (stored as DOS
  // time, UTC). Returns false when the sink aborted.
  bool begin(const std::string& name, std::int64_t mtime_ms);
  bool write(std::string_view data);
  bool end();
  // Writes the central directory. No entry may be open.
  bool finish();

 private:
  struct Entry {
    std::string name;
    std::uint32_t crc = 0;
    std::uint64_t size = 0;
    std::uint64_t offset = 0;
    std::uint16_t dos_time = 0, dos_date = 0;
  };
  bool emit(std::string_view bytes);

  Sink sink_;
  std::vector<Entry> entries_;
  std::uint64_t offset_ = 0;
  bool open_ = false;
  bool failed_ = false;
};

}  // namespace sp::history
