// EventLogReader: lines across files and codecs, incremental reading of growing logs, stopping
// and resuming, refresh after completion or rolling, corrupt and truncated files (lines before
// the bad spot delivered, error naming file and offset), and read_tail.
#include "eventlog/log_reader.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "../storage/temp_dir.h"
#include "eventlog/chunk_input.h"
#include "storage/local_store.h"
#include "stream_encoders.h"

namespace sp::eventlog {
namespace {

namespace fs = std::filesystem;

EventLog discover_one(const storage::ObjectStore& store) {
  auto d = discover_logs(store, "");
  if (d.logs.size() != 1) {
    ADD_FAILURE() << d.logs.size() << " logs, "
                  << (d.skipped.empty() ? "" : d.skipped[0].key + ": " + d.skipped[0].reason);
    return {};
  }
  return d.logs[0];
}

// All lines of a read_more call, joined with "\n" after each.
std::string read_all(EventLogReader& reader, ReadStatus* status = nullptr) {
  std::string out;
  auto st = reader.read_more([&](std::string_view line) {
    out.append(line);
    out.push_back('\n');
    return true;
  });
  if (status) *status = st;
  return out;
}

std::string encode(std::string_view codec, std::string_view text) {
  if (codec == "zstd") return test::zstd_frames(text, 20000);
  if (codec == "lz4") return test::lz4_block_stream(text);
  if (codec == "snappy") return test::snappy_stream(text);
  if (codec == "lzf") return test::lzf_chunks(text);
  return std::string(text);
}

class ReaderCodecTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ReaderCodecTest, SingleFileWithTinyReadsGivesEveryLine) {
  sp::test::TempDir dir;
  std::string text = test::sample_lines(3000);
  std::string ext = GetParam().empty() ? "" : "." + GetParam();
  dir.write("app-1" + ext, encode(GetParam(), text));
  storage::LocalStore store(dir.path());
  for (std::size_t read_size : {std::size_t{4u << 20}, std::size_t{4096}, std::size_t{7}}) {
    EventLogReader reader(store, discover_one(store), {read_size, 3, 1u << 20});
    ReadStatus st;
    EXPECT_EQ(read_all(reader, &st), text) << "read size " << read_size;
    EXPECT_TRUE(st.ok()) << st.error;
    EXPECT_TRUE(st.at_end);
    EXPECT_EQ(st.lines, 3000u);
    EXPECT_TRUE(reader.finished());
    EXPECT_EQ(reader.total_bytes_read(), fs::file_size(dir.path() / ("app-1" + ext)));
  }
}

TEST_P(ReaderCodecTest, RollingFilesInOrder) {
  sp::test::TempDir dir;
  std::string parts[3] = {test::sample_lines(100, 1), test::sample_lines(200, 2),
                          test::sample_lines(50, 3)};
  std::string ext = GetParam().empty() ? "" : "." + GetParam();
  for (int i = 0; i < 3; ++i) {
    dir.write("eventlog_v2_a/events_" + std::to_string(i + 9) + "_a" + ext,
              encode(GetParam(), parts[i]));
  }
  dir.write("eventlog_v2_a/appstatus_a", "");
  storage::LocalStore store(dir.path());
  EventLogReader reader(store, discover_one(store), {1000, 100, 1u << 20});
  ReadStatus st;
  EXPECT_EQ(read_all(reader, &st), parts[0] + parts[1] + parts[2]);
  EXPECT_TRUE(st.ok()) << st.error;
}

TEST_P(ReaderCodecTest, TruncatedCompletedFileIsAnErrorAfterItsLines) {
  if (GetParam().empty()) GTEST_SKIP() << "an uncompressed file cannot be truncated mid-unit";
  sp::test::TempDir dir;
  std::string text = test::sample_lines(2000);
  std::string enc = encode(GetParam(), text);
  dir.write("app." + GetParam(), enc.substr(0, enc.size() * 2 / 3));
  storage::LocalStore store(dir.path());
  EventLogReader reader(store, discover_one(store));
  ReadStatus st;
  std::string got = read_all(reader, &st);
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(st.corrupt);
  EXPECT_NE(st.error.find("corrupt event log file " +
                          (fs::canonical(dir.path()) / "app.").string() + GetParam() + ": "),
            std::string::npos)
      << st.error;
  EXPECT_NE(st.error.find("truncated"), std::string::npos) << st.error;
  EXPECT_GT(got.size(), 0u);
  EXPECT_EQ(got, text.substr(0, got.size()));  // whole lines, all correct
  // The error is final.
  auto again = reader.read_more([](std::string_view) { return true; });
  EXPECT_EQ(again.error, st.error);
  EXPECT_EQ(again.lines, 0u);
}

TEST_P(ReaderCodecTest, InProgressLogIsFollowedAsItGrows) {
  sp::test::TempDir dir;
  std::string text = test::sample_lines(1000);
  std::string enc = encode(GetParam(), text);
  std::string ext = GetParam().empty() ? "" : "." + GetParam();
  std::string name = "app" + ext + ".inprogress";
  storage::LocalStore store(dir.path());
  std::string got;
  std::unique_ptr<EventLogReader> reader;
  for (std::size_t at = 0; at < enc.size();) {
    std::size_t n = std::min<std::size_t>(enc.size() - at, 777 + at / 3);
    dir.write(name, std::string_view(enc).substr(at, n), /*append=*/true);
    at += n;
    if (!reader) reader = std::make_unique<EventLogReader>(store, discover_one(store));
    ReadStatus st;
    got += read_all(*reader, &st);
    ASSERT_TRUE(st.ok()) << st.error;
    EXPECT_TRUE(st.at_end);
    EXPECT_EQ(got, text.substr(0, got.size()));
  }
  EXPECT_EQ(got, text);
  EXPECT_FALSE(reader->finished());  // in progress: more may come
  // The app ends: the file is renamed; the reader carries on under the new name.
  fs::rename(dir.path() / name, dir.path() / ("app" + ext));
  EXPECT_TRUE(reader->refresh(discover_one(store)));
  ReadStatus st;
  EXPECT_EQ(read_all(*reader, &st), "");
  EXPECT_TRUE(st.ok()) << st.error;
  EXPECT_TRUE(reader->finished());
}

INSTANTIATE_TEST_SUITE_P(Codecs, ReaderCodecTest,
                         ::testing::Values("", "zstd", "lz4", "snappy", "lzf"),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           return p.param.empty() ? std::string("plain") : p.param;
                         });

TEST(EventLogReader, PartialLastLineWaitsWhileInProgressAndCountsWhenComplete) {
  sp::test::TempDir dir;
  dir.write("app.inprogress", "one\r\ntwo\nthr");
  storage::LocalStore store(dir.path());
  EventLogReader reader(store, discover_one(store));
  EXPECT_EQ(read_all(reader), "one\ntwo\n");
  dir.write("app.inprogress", "ee\nfo", true);
  EXPECT_EQ(read_all(reader), "three\n");
  fs::rename(dir.path() / "app.inprogress", dir.path() / "app");
  ASSERT_TRUE(reader.refresh(discover_one(store)));
  EXPECT_EQ(read_all(reader), "fo\n");  // the last line of a completed file needs no "\n"
  EXPECT_TRUE(reader.finished());
}

TEST(EventLogReader, StopsWhenAskedAndResumesAtTheNextLine) {
  sp::test::TempDir dir;
  std::string text = test::sample_lines(500);
  dir.write("app.lz4", test::lz4_block_stream(text));
  storage::LocalStore store(dir.path());
  EventLogReader reader(store, discover_one(store));
  std::string got;
  int n = 0;
  auto st = reader.read_more([&](std::string_view line) {
    got.append(line).push_back('\n');
    return ++n < 3;
  });
  EXPECT_TRUE(st.stopped);
  EXPECT_EQ(st.lines, 3u);
  EXPECT_LE(st.bytes_read, 64u << 10);  // a head read is cheap
  got += read_all(reader);
  EXPECT_EQ(got, text);
}

// Found by log_reader_fuzz: a zstd frame that declares 9 bytes of content and holds two empty
// raw blocks; a legacy (v0.5) frame header. Read whole or in tiny reads, each is the same
// corrupt file.
class ZstdOddFrameTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ZstdOddFrameTest, IsCorruptWhateverTheReadSize) {
  sp::test::TempDir dir;
  dir.write("app.zstd", GetParam());
  storage::LocalStore store(dir.path());
  for (std::size_t read_size : {std::size_t{4u << 20}, std::size_t{5}, std::size_t{1}}) {
    EventLogReader reader(store, discover_one(store), {read_size, read_size, 1u << 20});
    ReadStatus st;
    std::string got;
    for (int guard = 0; guard < 1000; ++guard) {
      got += read_all(reader, &st);
      if (!st.stopped) break;
    }
    EXPECT_EQ(got, "") << "read size " << read_size;
    EXPECT_FALSE(st.ok()) << "read size " << read_size;
    EXPECT_TRUE(st.corrupt) << "read size " << read_size << ": " << st.error;
  }
}

INSTANTIATE_TEST_SUITE_P(
    FuzzFinds, ZstdOddFrameTest,
    ::testing::Values(std::string("\x28\xb5\x2f\xfd\x20\x09\x00\x00\x00\x01\x00\x00", 12),
                      std::string("\x25\xb5\x2f\xfd\x00\xfd\x20\x20", 8)));

TEST(EventLogReader, CorruptBlockInTheMiddleOfARollingLog) {
  sp::test::TempDir dir;
  std::string a = test::sample_lines(100, 1), b = test::sample_lines(3000, 2);
  std::string enc_b = test::lz4_block_stream(b);
  std::size_t second_block = 21 + load_le32(enc_b.data() + 9);
  enc_b[second_block + 30] ^= 0x40;
  dir.write("eventlog_v2_x/events_1_x.lz4", test::lz4_block_stream(a));
  dir.write("eventlog_v2_x/events_2_x.lz4", enc_b);
  dir.write("eventlog_v2_x/appstatus_x", "");
  storage::LocalStore store(dir.path());
  EventLogReader reader(store, discover_one(store));
  ReadStatus st;
  std::string got = read_all(reader, &st);
  EXPECT_TRUE(st.corrupt);
  EXPECT_NE(st.error.find("events_2_x.lz4: lz4 block stream at offset " +
                          std::to_string(second_block) + ": "),
            std::string::npos)
      << st.error;
  // Every line of the first file, and of the second file's first block, came out.
  std::size_t first_block_lines = 0;
  std::string first_block = b.substr(0, 32768);
  for (char c : first_block) first_block_lines += c == '\n';
  EXPECT_EQ(got, a + b.substr(0, first_block.rfind('\n') + 1));
  EXPECT_EQ(st.lines, 100 + first_block_lines);
}

TEST(EventLogReader, RollingLogGrowsByNewFiles) {
  sp::test::TempDir dir;
  dir.write("eventlog_v2_x/appstatus_x.inprogress", "");
  dir.write("eventlog_v2_x/events_1_x.zstd", test::zstd_frames("a\nb\npart"));
  storage::LocalStore store(dir.path());
  EventLogReader reader(store, discover_one(store));
  EXPECT_EQ(read_all(reader), "a\nb\n");
  dir.write("eventlog_v2_x/events_2_x.zstd", test::zstd_frames("c\n"));
  ASSERT_TRUE(reader.refresh(discover_one(store)));
  EXPECT_EQ(read_all(reader), "part\nc\n");  // file 1 is complete once file 2 exists
  fs::rename(dir.path() / "eventlog_v2_x/appstatus_x.inprogress",
             dir.path() / "eventlog_v2_x/appstatus_x");
  ASSERT_TRUE(reader.refresh(discover_one(store)));
  ReadStatus st;
  EXPECT_EQ(read_all(reader, &st), "");
  EXPECT_TRUE(reader.finished());
}

TEST(EventLogReader, RefreshRefusesWhatItCannotContinue) {
  sp::test::TempDir dir;
  for (int i = 1; i <= 3; ++i) {
    dir.write("eventlog_v2_x/events_" + std::to_string(i) + "_x", "line\n");
  }
  dir.write("eventlog_v2_x/appstatus_x.inprogress", "");
  dir.write("other", "z\n");
  storage::LocalStore store(dir.path());
  auto logs = discover_logs(store, "").logs;
  ASSERT_EQ(logs.size(), 2u);
  EventLogReader reader(store, logs[0]);
  EXPECT_EQ(read_all(reader), "line\nline\nline\n");
  EXPECT_FALSE(reader.refresh(logs[1]));  // another log
  // Files 1..2 compacted away: what was read is gone.
  dir.write("eventlog_v2_x/events_2_x.compact", "line\nline\n");
  fs::remove(dir.path() / "eventlog_v2_x/events_1_x");
  fs::remove(dir.path() / "eventlog_v2_x/events_2_x");
  EXPECT_FALSE(reader.refresh(discover_logs(store, "").logs[0]));
}

TEST(EventLogReader, OverlongLineIsReportedNotBuffered) {
  sp::test::TempDir dir;
  dir.write("app", "ok\n" + std::string(10000, 'x'));
  storage::LocalStore store(dir.path());
  EventLogReader reader(store, discover_one(store), {1024, 1024, 4096});
  ReadStatus st;
  EXPECT_EQ(read_all(reader, &st), "ok\n");
  EXPECT_TRUE(st.corrupt);
  EXPECT_NE(st.error.find("the line starting at decoded offset 3 is longer than 4096 bytes"),
            std::string::npos)
      << st.error;
}

TEST(EventLogReader, MissingFileIsAnIoErrorNotFinal) {
  sp::test::TempDir dir;
  dir.write("app.inprogress", "a\n");
  storage::LocalStore store(dir.path());
  EventLogReader reader(store, discover_one(store));
  fs::rename(dir.path() / "app.inprogress", dir.path() / "app");
  ReadStatus st;
  read_all(reader, &st);
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(st.corrupt);
  ASSERT_TRUE(reader.refresh(discover_one(store)));
  EXPECT_EQ(read_all(reader, &st), "a\n");
  EXPECT_TRUE(st.ok());
}

TEST(EventLogReader, UnknownCodecIsFinal) {
  sp::test::TempDir dir;
  dir.write("app.gz", "x\n");
  storage::LocalStore store(dir.path());
  EventLog log;  // made by hand: discovery would have skipped it
  log.key = log.name = log.id = "app.gz";
  log.files = {*store.stat("app.gz")};
  EventLogReader reader(store, log);
  ReadStatus st;
  EXPECT_EQ(read_all(reader, &st), "");
  EXPECT_TRUE(st.corrupt);
  EXPECT_NE(st.error.find("unknown compression codec 'gz'"), std::string::npos) << st.error;
  EXPECT_TRUE(reader.finished());
}

std::string tail_of(const storage::ObjectStore& store, std::uint64_t bytes,
                    ReadStatus* st = nullptr) {
  std::string out;
  auto s = read_tail(store, discover_one(store), bytes, [&](std::string_view line) {
    out.append(line).push_back('\n');
    return true;
  });
  if (st) *st = s;
  return out;
}

TEST(ReadTail, UncompressedReadsOnlyTheEnd) {
  sp::test::TempDir dir;
  std::string text = test::sample_lines(5000) + "{\"Event\":\"SparkListenerApplicationEnd\"}\n";
  dir.write("app", text);
  storage::LocalStore store(dir.path());
  ReadStatus st;
  std::string tail = tail_of(store, 1000, &st);
  EXPECT_TRUE(st.ok()) << st.error;
  EXPECT_LE(st.bytes_read, 1001u);
  EXPECT_TRUE(text.ends_with(tail));
  EXPECT_LE(tail.size(), 1000u);
  EXPECT_TRUE(tail.ends_with("{\"Event\":\"SparkListenerApplicationEnd\"}\n"));
  EXPECT_EQ(text[text.size() - tail.size() - 1], '\n');  // starts at a line start
  EXPECT_EQ(tail_of(store, 1u << 30), text);
}

TEST(ReadTail, CompressedDecodesTheLastFileOnly) {
  sp::test::TempDir dir;
  std::string last = test::sample_lines(3000, 2) + "END\n";
  dir.write("eventlog_v2_x/events_1_x.snappy", "garbage that is never read");
  dir.write("eventlog_v2_x/events_2_x.snappy", test::snappy_stream(last));
  dir.write("eventlog_v2_x/appstatus_x", "");
  storage::LocalStore store(dir.path());
  ReadStatus st;
  std::string tail = tail_of(store, 5000, &st);
  EXPECT_TRUE(st.ok()) << st.error;
  EXPECT_LE(tail.size(), 5000u);
  EXPECT_GT(tail.size(), 4000u);
  EXPECT_TRUE(last.ends_with(tail));
  EXPECT_EQ(last[last.size() - tail.size() - 1], '\n');
}

TEST(ReadTail, InProgressSkipsThePartialLastLine) {
  sp::test::TempDir dir;
  dir.write("app.inprogress", "a\nb\nc");
  storage::LocalStore store(dir.path());
  EXPECT_EQ(tail_of(store, 100), "a\nb\n");
  EXPECT_EQ(tail_of(store, 3), "b\n");
}

// A real directory seen as a remote store would be: it says remote() and counts its reads.
class CountingRemoteStore final : public storage::ObjectStore {
 public:
  explicit CountingRemoteStore(const fs::path& root, bool remote) : inner_(root), remote_(remote) {}
  std::vector<storage::ObjectInfo> list(std::string_view prefix) const override {
    return inner_.list(prefix);
  }
  std::optional<storage::ObjectInfo> stat(std::string_view key) const override {
    return inner_.stat(key);
  }
  std::size_t read(std::string_view key, std::uint64_t offset, std::span<char> dst) const override {
    ++reads;
    if (std::this_thread::get_id() != caller) ++reads_elsewhere;
    return inner_.read(key, offset, dst);
  }
  bool remote() const override { return remote_; }
  std::string describe(std::string_view key) const override { return inner_.describe(key); }
  mutable std::atomic<int> reads = 0;
  mutable std::atomic<int> reads_elsewhere = 0;  // on another thread than the reader's
  std::thread::id caller = std::this_thread::get_id();

 private:
  storage::LocalStore inner_;
  bool remote_;
};

TEST(EventLogReader, CompletedFilesAreNotReadPastTheirListedSize) {
  sp::test::TempDir dir;
  const std::string text = test::sample_lines(3000);  // a few hundred KB
  ASSERT_GT(text.size(), 200u << 10);
  dir.write("app-1.zstd", encode("zstd", text));
  dir.write("app-2", text);
  for (const bool remote : {false, true}) {
    CountingRemoteStore store(dir.path(), remote);
    for (const auto& log : discover_logs(store, "").logs) {
      store.reads = 0;
      EXPECT_EQ(store.reads_elsewhere, 0);  // small files: no read ahead
      EventLogReader reader(store, log);
      // As a listing reads: the first line, then on from there to the end.
      std::string first;
      reader.read_more([&](std::string_view line) {
        first = std::string(line) + "\n";
        return false;
      });
      ReadStatus st;
      EXPECT_EQ(first + read_all(reader, &st), text) << log.name;
      EXPECT_TRUE(st.at_end);
      const std::uint64_t size = log.files[0].size;
      // Remote: a small completed file in one request. Local: 64 KiB, doubling, and no request
      // only to find the end.
      int want = 1;
      for (std::uint64_t step = 64u << 10, done = step; !remote && done < size; ++want) {
        step *= 2;
        done += step;
      }
      EXPECT_EQ(store.reads, want) << log.name << (remote ? " remote" : " local");
    }
  }
}

TEST(EventLogReader, RemoteFilesAreReadAheadChunkByChunk) {
  sp::test::TempDir dir;
  const std::string text = test::sample_lines(20000);
  dir.write("app-1.zstd", encode("zstd", text));
  dir.write("app-2", text);
  CountingRemoteStore store(dir.path(), /*remote=*/true);
  for (const auto& log : discover_logs(store, "").logs) {
    store.reads = 0;
    store.reads_elsewhere = 0;
    const std::size_t chunk = 16u << 10;
    EventLogReader reader(store, log, {.read_size = chunk, .first_read_size = 4096});
    ReadStatus st;
    EXPECT_EQ(read_all(reader, &st), text) << log.name;
    EXPECT_TRUE(st.ok()) << st.error;
    EXPECT_EQ(st.bytes_read, log.files[0].size);
    // 4 KiB, 8 KiB, then 16 KiB chunks (each fetched while the one before is decoded), and
    // no read past the end.
    const std::uint64_t rest = log.files[0].size - (12u << 10);
    EXPECT_EQ(store.reads, 2 + static_cast<int>((rest + chunk - 1) / chunk)) << log.name;
    EXPECT_EQ(store.reads_elsewhere, store.reads - 3) << log.name;  // all the chunks after one
  }
}

}  // namespace
}  // namespace sp::eventlog
