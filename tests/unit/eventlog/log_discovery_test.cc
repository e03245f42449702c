// Discovery of event logs in a directory, as Spark's FsHistoryProvider: single files, rolling
// directories with compaction, what is ignored and what is skipped with a reason; and the real
// logs of the conformance folder.
#include "eventlog/log_discovery.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "../storage/temp_dir.h"
#include "common/error.h"
#include "storage/local_store.h"

namespace sp::eventlog {
namespace {

const SkippedLog* find_skipped(const Discovery& d, std::string_view key) {
  for (const auto& s : d.skipped) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

const EventLog* find_log(const Discovery& d, std::string_view key) {
  for (const auto& l : d.logs) {
    if (l.key == key) return &l;
  }
  return nullptr;
}

TEST(LogDiscovery, SingleFilesAndWhatIsIgnored) {
  sp::test::TempDir dir;
  dir.write("app-1", "x\n");
  dir.write("app-2.zstd.inprogress", "");
  dir.write("local-3_1.lz4", "");
  dir.write(".app-1.crc", "");
  dir.write(".hidden", "");
  dir.write("other-dir/app-9", "");
  dir.write("app-4.gz", "");
  storage::LocalStore store(dir.path());
  auto d = discover_logs(store, "");
  ASSERT_EQ(d.logs.size(), 3u);
  const EventLog* a = find_log(d, "app-1");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->rolling);
  EXPECT_FALSE(a->in_progress);
  EXPECT_FALSE(a->codec);
  EXPECT_EQ(a->name, "app-1");
  EXPECT_EQ(a->id, "app-1");
  EXPECT_EQ(a->total_size, 2u);
  ASSERT_EQ(a->files.size(), 1u);
  EXPECT_EQ(a->files[0].key, "app-1");

  const EventLog* b = find_log(d, "app-2.zstd.inprogress");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->in_progress);
  EXPECT_EQ(b->codec, Codec::kZstd);
  EXPECT_EQ(b->id, "app-2.zstd");
  EXPECT_EQ(find_log(d, "local-3_1.lz4")->codec, Codec::kLz4);

  ASSERT_EQ(d.skipped.size(), 1u);
  EXPECT_EQ(d.skipped[0].key, "app-4.gz");
  EXPECT_NE(d.skipped[0].reason.find("unknown compression codec 'gz'"), std::string::npos);
}

TEST(LogDiscovery, RollingDirectoryInIndexOrder) {
  sp::test::TempDir dir;
  std::string d2 = "eventlog_v2_app-1/";
  dir.write(d2 + "events_10_app-1.lz4", "cc");
  dir.write(d2 + "events_9_app-1.lz4", "b");
  dir.write(d2 + "events_8_app-1.lz4", "aaaa");
  dir.write(d2 + "appstatus_app-1.inprogress", "");
  dir.write(d2 + ".events_8_app-1.lz4.crc", "");
  storage::LocalStore store(dir.path());
  auto d = discover_logs(store, "");
  ASSERT_EQ(d.logs.size(), 1u) << (d.skipped.empty() ? "" : d.skipped[0].reason);
  const EventLog& log = d.logs[0];
  EXPECT_EQ(log.key, "eventlog_v2_app-1/");
  EXPECT_EQ(log.name, "eventlog_v2_app-1");
  EXPECT_TRUE(log.rolling);
  EXPECT_TRUE(log.in_progress);
  EXPECT_EQ(log.codec, Codec::kLz4);
  ASSERT_EQ(log.files.size(), 3u);
  EXPECT_EQ(log.files[0].name(), "events_8_app-1.lz4");
  EXPECT_EQ(log.files[1].name(), "events_9_app-1.lz4");
  EXPECT_EQ(log.files[2].name(), "events_10_app-1.lz4");
  EXPECT_EQ(log.last_index, 10);
  EXPECT_EQ(log.total_size, 7u);
  EXPECT_EQ(log.last_modified_ms, log.files[2].mtime_ms);

  // Completing the app changes the status and the fingerprint, not the id.
  std::string before = log.fingerprint;
  std::filesystem::rename(dir.path() / d2 / "appstatus_app-1.inprogress",
                          dir.path() / d2 / "appstatus_app-1");
  auto done = discover_logs(store, "");
  EXPECT_FALSE(done.logs[0].in_progress);
  EXPECT_NE(done.logs[0].fingerprint, before);
  EXPECT_EQ(done.logs[0].id, log.id);
  // So does a file growing.
  dir.write(d2 + "events_10_app-1.lz4", "more", true);
  EXPECT_NE(discover_logs(store, "").logs[0].fingerprint, done.logs[0].fingerprint);
}

TEST(LogDiscovery, CompactFileReplacesEverythingUpToItsIndex) {
  sp::test::TempDir dir;
  std::string d2 = "eventlog_v2_app/";
  for (int i = 1; i <= 5; ++i) dir.write(d2 + "events_" + std::to_string(i) + "_app", "x");
  dir.write(d2 + "events_3_app.compact", "c");
  dir.write(d2 + "events_1_app.compact", "old");
  dir.write(d2 + "appstatus_app", "");
  storage::LocalStore store(dir.path());
  auto d = discover_logs(store, "");
  ASSERT_EQ(d.logs.size(), 1u);
  const auto& files = d.logs[0].files;
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].name(), "events_3_app.compact");
  EXPECT_EQ(files[1].name(), "events_4_app");
  EXPECT_EQ(files[2].name(), "events_5_app");
  EXPECT_EQ(d.logs[0].last_index, 5);
}

TEST(LogDiscovery, RollingLogsSparkCannotReadAreSkippedWithAReason) {
  sp::test::TempDir dir;
  dir.write("eventlog_v2_gap/events_1_gap", "");
  dir.write("eventlog_v2_gap/events_3_gap", "");
  dir.write("eventlog_v2_gap/appstatus_gap", "");
  dir.write("eventlog_v2_nostatus/events_1_nostatus", "");
  dir.write("eventlog_v2_nofiles/appstatus_nofiles.inprogress", "");
  dir.write("eventlog_v2_badindex/events_x_badindex", "");
  dir.write("eventlog_v2_badindex/appstatus_badindex", "");
  dir.write("eventlog_v2_codec/events_1_codec.br", "");
  dir.write("eventlog_v2_codec/appstatus_codec", "");
  std::filesystem::create_directories(dir.path() / "eventlog_v2_empty");
  dir.write("not-a-log-dir/events_1_x", "");
  storage::LocalStore store(dir.path());
  auto d = discover_logs(store, "");
  EXPECT_TRUE(d.logs.empty());
  EXPECT_EQ(d.skipped.size(), 6u);
  auto reason = [&](std::string_view key) {
    auto s = find_skipped(d, key);
    return s ? s->reason : std::string("(not skipped)");
  };
  EXPECT_EQ(reason("eventlog_v2_gap/"), "missing event file: expected indices 1..3, have 1, 3");
  EXPECT_NE(reason("eventlog_v2_nostatus/").find("no appstatus file"), std::string::npos);
  EXPECT_NE(reason("eventlog_v2_nofiles/").find("no event file"), std::string::npos);
  EXPECT_NE(reason("eventlog_v2_empty/").find("no event file"), std::string::npos);
  EXPECT_NE(reason("eventlog_v2_badindex/").find("without a numeric index"), std::string::npos);
  EXPECT_NE(reason("eventlog_v2_codec/").find("unknown compression codec 'br'"), std::string::npos);
}

TEST(LogDiscovery, ConformanceLogs) {
  std::filesystem::path events =
      SPARKPLANE_SOURCE_DIR "/../shared/conformance/spark-history/spark-events";
  if (!std::filesystem::is_directory(events)) {
    GTEST_SKIP() << "conformance logs not found at " << events;
  }
  storage::LocalStore store(events);
  auto d = discover_logs(store, "");
  EXPECT_TRUE(d.skipped.empty());
  std::size_t entries = 0;  // every entry is a log: 18 files and one rolling directory
  for (const auto& e : std::filesystem::directory_iterator(events)) {
    entries += e.path().filename().string().front() != '.';
  }
  EXPECT_EQ(entries, 19u);
  ASSERT_EQ(d.logs.size(), entries);
  const EventLog* rolling = find_log(d, "eventlog_v2_local-1766844910796/");
  ASSERT_TRUE(rolling);
  EXPECT_TRUE(rolling->rolling);
  EXPECT_FALSE(rolling->in_progress);
  EXPECT_FALSE(rolling->codec);
  ASSERT_EQ(rolling->files.size(), 1u);  // the .crc file is not an event file
  EXPECT_EQ(rolling->files[0].key, "eventlog_v2_local-1766844910796/events_1_local-1766844910796");
  EXPECT_EQ(rolling->last_index, 1);
  for (const char* name : {"local-1430917381535_1", "local-1430917381535_2",
                           "application_1553914137147_0018", "app-20161115172038-0000"}) {
    const EventLog* log = find_log(d, name);
    ASSERT_TRUE(log) << name;
    EXPECT_FALSE(log->rolling);
    EXPECT_FALSE(log->in_progress);
    EXPECT_FALSE(log->codec);
    EXPECT_EQ(log->id, name);
  }
}

}  // namespace
}  // namespace sp::eventlog
