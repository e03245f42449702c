#include "history/zip_stream.h"

#include <zlib.h>

#include <ctime>

namespace sp::history {
namespace {

constexpr std::uint16_t kVersionZip64 = 45;
constexpr std::uint16_t kFlagDataDescriptor = 1u << 3;
constexpr std::uint16_t kFlagUtf8 = 1u << 11;

void put16(std::string& b, std::uint16_t v) {
  b.push_back(static_cast<char>(v & 0xff));
  b.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v & 0xffff));
  put16(b, static_cast<std::uint16_t>(v >> 16));
}
void put64(std::string& b, std::uint64_t v) {
  put32(b, static_cast<std::uint32_t>(v & 0xffffffffu));
  put32(b, static_cast<std::uint32_t>(v >> 32));
}

}  // namespace

ZipStreamWriter::ZipStreamWriter(Sink sink) : sink_(std::move(sink)) {}

bool ZipStreamWriter::emit(std::string_view bytes) {
  if (failed_) return false;
  if (!bytes.empty() && !sink_(bytes)) {
    failed_ = true;
    return false;
  }
  offset_ += bytes.size();
  return true;
}

bool ZipStreamWriter::begin(const std::string& name, std::int64_t mtime_ms) {
  if (open_) end();
  Entry e;
  e.name = name;
  e.offset = offset_;
  std::time_t t = static_cast<std::time_t>(mtime_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  if (tm.tm_year < 80) {  // DOS time starts in 1980
    tm = std::tm{};
    tm.tm_mday = 1;
    tm.tm_year = 80;
  }
  e.dos_time = static_cast<std::uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  e.dos_date =
      static_cast<std::uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  e.crc = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));

  std::string h;
  put32(h, 0x04034b50);
  put16(h, kVersionZip64);
  put16(h, kFlagDataDescriptor | kFlagUtf8);
  put16(h, 0);  // stored
  put16(h, e.dos_time);
  put16(h, e.dos_date);
  put32(h, 0);  // crc, in the descriptor
  put32(h, 0xffffffffu);
  put32(h, 0xffffffffu);
  put16(h, static_cast<std::uint16_t>(name.size()));
  put16(h, 20);  // Zip64 extra field: sizes in the descriptor
  h += name;
  put16(h, 0x0001);
  put16(h, 16);
  put64(h, 0);
  put64(h, 0);
  entries_.push_back(std::move(e));
  open_ = true;
  return emit(h);
}

bool ZipStreamWriter::write(std::string_view data) {
  if (!open_) return false;
  Entry& e = entries_.back();
  std::size_t pos = 0;
  while (pos < data.size()) {  // crc32 takes a uInt length
    const std::size_t n = std::min<std::size_t>(data.size() - pos, 1u << 30);
    e.crc = static_cast<std::uint32_t>(
        crc32(e.crc, reinterpret_cast<const Bytef*>(data.data() + pos), static_cast<uInt>(n)));
    pos += n;
  }
  e.size += data.size();
  return emit(data);
}

bool ZipStreamWriter::end() {
  if (!open_) return !failed_;
  open_ = false;
  const Entry& e = entries_.back();
  std::string d;
  put32(d, 0x08074b50);
  put32(d, e.crc);
  put64(d, e.size);
  put64(d, e.size);
  return emit(d);
}

bool ZipStreamWriter::finish() {
  if (open_ && !end()) return false;
  const std::uint64_t cd_start = offset_;
  std::string cd;
  for (const Entry& e : entries_) {
    put32(cd, 0x02014b50);
    put16(cd, (3u << 8) | kVersionZip64);  // made by: Unix
    put16(cd, kVersionZip64);
    put16(cd, kFlagDataDescriptor | kFlagUtf8);
    put16(cd, 0);
    put16(cd, e.dos_time);
    put16(cd, e.dos_date);
    put32(cd, e.crc);
    put32(cd, 0xffffffffu);
    put32(cd, 0xffffffffu);
    put16(cd, static_cast<std::uint16_t>(e.name.size()));
    put16(cd, 28);  // Zip64 extra: sizes and offset
    put16(cd, 0);   // comment
    put16(cd, 0);   // disk
    put16(cd, 0);   // internal attributes
    put32(cd, 0100644u << 16);
    put32(cd, 0xffffffffu);
    cd += e.name;
    put16(cd, 0x0001);
    put16(cd, 24);
    put64(cd, e.size);
    put64(cd, e.size);
    put64(cd, e.offset);
    if (cd.size() > (1u << 20)) {
      if (!emit(cd)) return false;
      cd.clear();
    }
  }
  if (!emit(cd)) return false;
  const std::uint64_t cd_size = offset_ - cd_start;
  const std::uint64_t eocd64 = offset_;
  std::string t;
  put32(t, 0x06064b50);  // Zip64 end of central directory record
  put64(t, 44);
  put16(t, (3u << 8) | kVersionZip64);
  put16(t, kVersionZip64);
  put32(t, 0);
  put32(t, 0);
  put64(t, entries_.size());
  put64(t, entries_.size());
  put64(t, cd_size);
  put64(t, cd_start);
  put32(t, 0x07064b50);  // its locator
  put32(t, 0);
  put64(t, eocd64);
  put32(t, 1);
  put32(t, 0x06054b50);  // end of central directory, pointing at the Zip64 record
  put16(t, 0xffff);
  put16(t, 0xffff);
  put16(t, 0xffff);
  put16(t, 0xffff);
  put32(t, 0xffffffffu);
  put32(t, 0xffffffffu);
  put16(t, 0);
  return emit(t);
}

}  // namespace sp::history
