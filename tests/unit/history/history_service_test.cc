// The history service over a real log directory (a copy of the conformance logs): incremental
// scans, the memory-bounded cache, corrupt logs, in-progress logs, ACLs and the logs zip.
#include "history/history_service.h"
#include "history/history_metrics.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "storage/local_store.h"

namespace sp::history {
namespace {

namespace fs = std::filesystem;

const fs::path kLogs = SPARKPLANE_SOURCE_DIR "/../shared/conformance/spark-history/spark-events";

class HistoryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(kLogs)) GTEST_SKIP() << "no conformance logs at " << kLogs;
    dir_ = fs::temp_directory_path() /
           ("sp-history-service-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* name : {"local-1422981780767", "local-1430917381534", "local-1426533911241",
                             "app-20161116163331-0000"})
      fs::copy_file(kLogs / name, dir_ / name);
    for (const auto& e : fs::directory_iterator(dir_))
      fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<HistoryService> make(HistoryOptions o = {}) {
    return std::make_unique<HistoryService>(std::make_shared<storage::LocalStore>(dir_), "", o);
  }

  static std::string file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
};

TEST_F(HistoryServiceTest, ScansIncrementally) {
  auto s = make();
  auto first = s->scan();
  EXPECT_EQ(first.logs, 4u);
  EXPECT_EQ(first.summarized, 4u);
  auto second = s->scan();
  EXPECT_EQ(second.unchanged, 4u);
  EXPECT_EQ(second.summarized, 0u);
  fs::remove(dir_ / "local-1430917381534");
  auto third = s->scan();
  EXPECT_EQ(third.removed, 1u);
  auto a = s->answer("applications", {}, {});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body.find("local-1430917381534"), std::string::npos);
  EXPECT_NE(a.body.find("local-1422981780767"), std::string::npos);
}

TEST_F(HistoryServiceTest, ARestartListsUnchangedLogsFromTheListingCache) {
  HistoryOptions o;
  o.listing_cache = dir_ / ".listing.json";
  std::string listed;
  {
    auto s = make(o);
    EXPECT_EQ(s->scan().summarized, 4u);
    listed = s->answer("applications", {}, {}).body;
  }  // the first scan saved it
  ASSERT_TRUE(fs::exists(o.listing_cache));

  // The same logs: listed without reading one, with the same answer.
  {
    auto s = make(o);
    const ScanStats st = s->scan();
    EXPECT_EQ(st.restored, 4u);
    EXPECT_EQ(st.summarized, 0u);
    EXPECT_EQ(s->answer("applications", {}, {}).body, listed);
    EXPECT_EQ(s->scan().unchanged, 4u);
    // A changed log is read again; a vanished one goes.
    std::ofstream(dir_ / "local-1422981780767", std::ios::app) << "{\"Event\":\"x.Unknown\"}\n";
    fs::remove(dir_ / "local-1426533911241");
    const ScanStats changed = s->scan();
    EXPECT_EQ(changed.summarized, 1u);
    EXPECT_EQ(changed.removed, 1u);
    s->stop();  // saves what changed
  }
  {
    auto s = make(o);
    const ScanStats st = s->scan();
    EXPECT_EQ(st.restored, 3u);
    EXPECT_EQ(st.summarized, 0u);
  }

  // A broken cache, or one made for another directory, is ignored: every log is read.
  std::ofstream(o.listing_cache, std::ios::trunc) << "{broken";
  EXPECT_EQ(make(o)->scan().summarized, 3u);
  save_listing_cache(o.listing_cache, "/elsewhere", {{"local-1430917381534", {}}});
  EXPECT_EQ(make(o)->scan().summarized, 3u);
}

TEST_F(HistoryServiceTest, CacheIsBoundedByMemory) {
  HistoryOptions o;
  o.cache_bytes = 1;  // room for nothing but the app being served
  auto s = make(o);
  s->scan();
  for (const char* app : {"local-1422981780767", "local-1430917381534", "app-20161116163331-0000",
                          "local-1422981780767"}) {
    auto a = s->answer(std::string("applications/") + app + "/jobs", {}, {});
    EXPECT_EQ(a.status, 200) << app << ": " << a.body;
  }
  auto st = s->cache_stats();
  EXPECT_EQ(st.apps, 1u);
  EXPECT_EQ(st.evictions, 3u);
  EXPECT_EQ(st.misses, 4u);  // the first app was evicted, so it was replayed again
}

TEST_F(HistoryServiceTest, CorruptLogIsReportedAndOthersServed) {
  std::ofstream(dir_ / "local-1999999999999")
      << "{\"Event\":\"SparkListenerLogStart\"\n\x01\x02garbage";
  auto s = make();
  s->scan();
  EXPECT_EQ(s->answer("applications/local-1422981780767/jobs", {}, {}).status, 200);
  auto problems = s->problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].first, "local-1999999999999");
  EXPECT_FALSE(problems[0].second.empty());
}

TEST_F(HistoryServiceTest, MetricsCountTheListingScansAndReplays) {
  std::ofstream(dir_ / "local-1999999999999") << "\x01\x02 not an event log";
  const std::string whole = file(kLogs / "local-1422981780767");
  std::ofstream(dir_ / "local-1422981780768.inprogress", std::ios::binary)
      << whole.substr(0, whole.find('\n', whole.find("SparkListenerJobStart")) + 1);
  auto s = make();
  s->scan();
  s->scan();
  EXPECT_EQ(s->answer("applications/local-1422981780767/jobs", {}, {}).status, 200);
  const std::string m = render_history_metrics(*s);
  for (const char* line :
       {"sparkplane_history_logs 6\n", "sparkplane_history_logs_unreadable 1\n",
        "sparkplane_history_attempts_in_progress 1\n", "sparkplane_history_scans_total 2\n",
        "sparkplane_history_logs_read_total 6\n", "sparkplane_history_replays_total 1\n",
        "sparkplane_history_cache_applications 1\n",
        "# TYPE sparkplane_history_scans_total counter\n"}) {
    EXPECT_NE(m.find(line), std::string::npos) << line << " in\n" << m;
  }
  const ListingCounts c = s->listing_counts();
  EXPECT_EQ(c.apps, 4u);  // the in-progress copy names an application already listed
}

TEST_F(HistoryServiceTest, InProgressLogIsFollowed) {
  const std::string whole = file(kLogs / "local-1422981780767");
  fs::remove(dir_ / "local-1422981780767");
  // The first two jobs' events only: cut after the second SparkListenerJobEnd.
  std::size_t cut = whole.find("\"Event\":\"SparkListenerJobEnd\"");
  cut = whole.find('\n', whole.find("\"Event\":\"SparkListenerJobEnd\"", cut + 1)) + 1;
  const fs::path live = dir_ / "local-1422981780767.inprogress";
  std::ofstream(live, std::ios::binary) << whole.substr(0, cut);
  auto s = make();
  s->scan();
  auto count_jobs = [&] {
    auto a = s->answer("applications/local-1422981780767/jobs", {}, {});
    EXPECT_EQ(a.status, 200);
    std::size_t n = 0;
    for (std::size_t p = 0; (p = a.body.find("\"jobId\"", p)) != std::string::npos; ++p) ++n;
    return n;
  };
  EXPECT_EQ(count_jobs(), 2u);
  EXPECT_NE(s->answer("applications", {}, {}).body.find("\"completed\" : false"),
            std::string::npos);
  std::ofstream(live, std::ios::binary | std::ios::app) << whole.substr(cut);
  fs::last_write_time(live, fs::last_write_time(live) + std::chrono::seconds(1));
  s->scan();
  EXPECT_EQ(count_jobs(), 3u);
}

TEST_F(HistoryServiceTest, GrownInProgressLogIsReadOnNotReplayed) {
  const std::string whole = file(kLogs / "local-1430917381534");
  fs::remove(dir_ / "local-1430917381534");
  const std::size_t cut = whole.find('\n', whole.size() / 2) + 1;
  const fs::path live = dir_ / "local-1430917381534.inprogress";
  std::ofstream(live, std::ios::binary) << whole.substr(0, cut);
  auto s = make();
  s->scan();
  const std::string app = "applications/local-1430917381534/";
  EXPECT_EQ(s->answer(app + "jobs", {}, {}).status, 200);
  auto first = s->cache_stats();
  EXPECT_EQ(first.replays, 1u);
  EXPECT_EQ(first.reads_on, 0u);
  EXPECT_EQ(first.bytes_read, cut);

  // It grows by its second half; then it completes (renamed without ".inprogress").
  std::ofstream(live, std::ios::binary | std::ios::app) << whole.substr(cut);
  fs::last_write_time(live, fs::last_write_time(live) + std::chrono::seconds(1));
  s->scan();
  EXPECT_EQ(s->answer(app + "jobs", {}, {}).status, 200);
  auto second = s->cache_stats();
  EXPECT_EQ(second.replays, 1u);
  EXPECT_EQ(second.reads_on, 1u);
  EXPECT_EQ(second.bytes_read - first.bytes_read, whole.size() - cut);  // only what was added
  fs::rename(live, dir_ / "local-1430917381534");
  s->scan();
  EXPECT_EQ(s->answer(app + "jobs", {}, {}).status, 200);
  EXPECT_EQ(s->cache_stats().replays, 1u);
  EXPECT_EQ(s->cache_stats().reads_on, 2u);
  EXPECT_EQ(s->cache_stats().bytes_read, whole.size());

  // Every answer as a server that replayed the complete log at once.
  auto fresh = make();
  fresh->scan();
  for (const char* r : {"", "jobs", "stages", "stages/0", "stages/0/0/taskList", "executors",
                        "allexecutors", "storage/rdd", "environment", "sql"}) {
    auto a = s->answer(app + r, {}, {}), b = fresh->answer(app + r, {}, {});
    EXPECT_EQ(a.status, b.status) << r;
    EXPECT_EQ(a.body, b.body) << r;
  }
  EXPECT_EQ(fresh->cache_stats().replays, 1u);
}

TEST_F(HistoryServiceTest, ReadIsRetriedAfterAnIoError) {
  auto s = make();
  s->scan();
  // The file vanishes between the scan and the first request, then comes back.
  fs::rename(dir_ / "local-1430917381534", dir_ / ".hidden");
  s->answer("applications/local-1430917381534/jobs", {}, {});
  fs::rename(dir_ / ".hidden", dir_ / "local-1430917381534");
  auto a = s->answer("applications/local-1430917381534/jobs", {}, {});
  EXPECT_EQ(a.status, 200);
  EXPECT_NE(a.body.find("\"jobId\""), std::string::npos);
  EXPECT_EQ(s->cache_stats().replays, 1u);
  EXPECT_EQ(s->cache_stats().reads_on, 1u);
}

TEST_F(HistoryServiceTest, RewrittenInProgressLogIsReplayed) {
  const std::string whole = file(kLogs / "local-1430917381534");
  fs::remove(dir_ / "local-1430917381534");
  const fs::path live = dir_ / "local-1430917381534.inprogress";
  std::ofstream(live, std::ios::binary) << whole.substr(0, whole.find('\n', whole.size() / 2) + 1);
  auto s = make();
  s->scan();
  const std::string jobs = "applications/local-1430917381534/jobs";
  const std::string before = s->answer(jobs, {}, {}).body;
  // Shorter than what was read: it cannot be read on.
  std::ofstream(live, std::ios::binary | std::ios::trunc)
      << whole.substr(0, whole.find('\n', whole.size() / 4) + 1);
  fs::last_write_time(live, fs::last_write_time(live) + std::chrono::seconds(1));
  s->scan();
  const std::string after = s->answer(jobs, {}, {}).body;
  EXPECT_EQ(s->cache_stats().replays, 2u);
  EXPECT_EQ(s->cache_stats().reads_on, 0u);
  EXPECT_NE(before, after);
}

TEST_F(HistoryServiceTest, AclsUseTheProxyUser) {
  HistoryOptions o;
  o.acls.enabled = true;
  o.acls.admins = {"root"};
  auto s = make(o);
  s->scan();
  const std::string path = "applications/local-1422981780767/jobs";
  Viewer owner;
  owner.user = "irashid";  // sparkUser of that log
  Viewer admin;
  admin.user = "root";
  Viewer stranger;
  stranger.user = "mallory";
  EXPECT_EQ(s->answer(path, {}, owner).status, 200);
  EXPECT_EQ(s->answer(path, {}, admin).status, 200);
  EXPECT_EQ(s->answer(path, {}, stranger).status, 403);
  EXPECT_EQ(s->answer(path, {}, Viewer{}).status, 403);
  EXPECT_EQ(s->answer("applications", {}, stranger).status, 200);  // the listing is public
}

TEST_F(HistoryServiceTest, IdsNeverReachTheFileSystem) {
  auto s = make();
  s->scan();
  for (const char* path :
       {"applications/..%2F..%2Fetc%2Fpasswd/jobs", "applications/../jobs",
        "applications/local-1422981780767/..%2F..%2Fx/jobs", "applications/%2Fetc%2Fpasswd/logs"})
    EXPECT_EQ(s->answer(path, {}, {}).status, 404) << path;
  EXPECT_TRUE(s->check_logs("../../etc/passwd", std::nullopt, {}).has_value());
}

TEST_F(HistoryServiceTest, LogsZipHoldsTheFiles) {
  auto s = make();
  s->scan();
  EXPECT_FALSE(s->check_logs("local-1422981780767", std::nullopt, {}).has_value());
  std::string zip;
  ASSERT_TRUE(s->stream_logs("local-1422981780767", std::nullopt, [&](std::string_view b) {
    zip.append(b);
    return true;
  }));
  const std::string content = file(dir_ / "local-1422981780767");
  EXPECT_EQ(zip.rfind("PK\x03\x04", 0), 0u);
  EXPECT_NE(zip.find(content), std::string::npos);       // stored, not deflated
  EXPECT_NE(zip.find("PK\x06\x06"), std::string::npos);  // Zip64 end record
}

}  // namespace
}  // namespace sp::history
