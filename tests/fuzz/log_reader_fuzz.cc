// libFuzzer target: the event-log line reader over an in-memory store holding one arbitrary
// file (its codec chosen by the first byte), read in tiny ranged reads, stopped and resumed,
// then tail-read; checks that the lines and their count agree between the ways of reading.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../unit/eventlog/stream_encoders.h"
#include "eventlog/log_reader.h"
#include "fuzz_seeds.h"
#include "storage/object_store.h"

namespace {

using namespace sp;

// One object in memory.
class MemoryStore final : public storage::ObjectStore {
 public:
  MemoryStore(std::string key, std::string data) : key_(std::move(key)), data_(std::move(data)) {}
  std::vector<storage::ObjectInfo> list(std::string_view) const override { return {info()}; }
  std::optional<storage::ObjectInfo> stat(std::string_view key) const override {
    if (key != key_) return std::nullopt;
    return info();
  }
  std::size_t read(std::string_view, std::uint64_t offset, std::span<char> dst) const override {
    if (offset >= data_.size()) return 0;
    std::size_t n = std::min<std::size_t>(dst.size(), data_.size() - offset);
    std::memcpy(dst.data(), data_.data() + offset, n);
    return n;
  }
  std::string describe(std::string_view key) const override { return "mem:" + std::string(key); }
  storage::ObjectInfo info() const {
    storage::ObjectInfo i;
    i.key = key_;
    i.size = data_.size();
    i.etag = "e";
    return i;
  }

 private:
  std::string key_;
  std::string data_;
};

const char* const kNames[] = {"app",
                              "app.zstd",
                              "app.lz4",
                              "app.snappy",
                              "app.lzf",
                              "app.inprogress",
                              "app.zstd.inprogress",
                              "app.lz4.inprogress"};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  namespace test = sp::eventlog::test;
  std::string text = test::sample_lines(30) + "last line without newline";
  sp::fuzz::write_seeds(
      {std::string(1, '\0') + text, std::string(1, '\1') + test::zstd_frames(text, 200),
       std::string(1, '\2') + test::lz4_block_stream(text, 512),
       std::string(1, '\3') + test::snappy_stream(text, 300),
       std::string(1, '\4') + test::lzf_chunks(text, 400), std::string(1, '\5') + "a\r\nb\nc"});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char* name = kNames[data[0] % (sizeof kNames / sizeof kNames[0])];
  MemoryStore store(name, std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  auto log = eventlog::discover_log(store, store.info());
  if (!log) std::abort();

  // All at once, with normal reads.
  std::string whole;
  std::uint64_t whole_lines = 0;
  eventlog::EventLogReader a(store, *log);
  auto sa = a.read_more([&](std::string_view line) {
    whole.append(line).push_back('\n');
    ++whole_lines;
    return true;
  });
  if (sa.lines != whole_lines) std::abort();

  // Tiny reads, stopping after every line: the same lines, or (on bad data) one list is a
  // prefix of the other.
  std::string pieces;
  eventlog::EventLogReader b(store, *log, {5, 1});
  bool b_ok = true;
  for (int guard = 0; guard < 1000000; ++guard) {
    auto sb = b.read_more([&](std::string_view line) {
      pieces.append(line).push_back('\n');
      return false;
    });
    if (!sb.stopped) {
      b_ok = sb.ok();
      break;
    }
  }
  if (b_ok != sa.ok()) std::abort();
  if (sa.ok() ? pieces != whole : !(whole.starts_with(pieces) || pieces.starts_with(whole))) {
    std::abort();
  }

  eventlog::read_tail(store, *log, 100,
                      [](std::string_view line) { return line.size() < (1u << 30); });
  return 0;
}
