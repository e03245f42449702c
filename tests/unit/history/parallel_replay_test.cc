// replay() with its parsing threads gives the same store as applying the lines one by one: every
// conformance log read through an EventLogReader in tiny batches (many batches in flight, out
// of order between the threads), every recorded URL of its app compared; malformed lines are
// counted the same; a replay can go on where it stopped when the log grows.
#include "history/parallel_replay.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "eventlog/log_discovery.h"
#include "history_test_util.h"
#include "storage/local_store.h"

namespace sp::history::testing {
namespace {

namespace fs = std::filesystem;

const std::string kDataDir = SPARKPLANE_SOURCE_DIR "/../shared/conformance/spark-history";
const std::string kRecorded = SPARKPLANE_SOURCE_DIR "/tests/unit/history/data";

LoadedLogs one(std::unique_ptr<AppStore> store) {
  LoadedLogs out;
  out.summaries.push_back(store->summary());
  out.stores.push_back(std::move(store));
  return out;
}

class HistoryParallelReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sp-parallel-replay-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = std::make_unique<storage::LocalStore>(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  eventlog::EventLog discover(const std::string& name) {
    for (const auto& log : eventlog::discover_logs(*store_, "").logs)
      if (log.name == name) return log;
    ADD_FAILURE() << "no log " << name;
    return {};
  }

  fs::path dir_;
  std::unique_ptr<storage::LocalStore> store_;
};

TEST_F(HistoryParallelReplayTest, SameAnswersAsOneLineAtATime) {
  if (!fs::exists(kDataDir + "/spark-events")) GTEST_SKIP() << "conformance logs not found";
  RecordedUrls recorded = read_recorded_urls(kRecorded + "/spark411_answers.tsv");
  storage::LocalStore events(kDataDir + "/spark-events");
  for (const auto& log : eventlog::discover_logs(events, "").logs) {
    LoadedLogs want = one(load_log(kDataDir + "/spark-events/" + log.name));
    const AppStoreStats& w = want.stores[0]->stats();
    for (ReplayOptions opt : {ReplayOptions{3, 4096, 3}, ReplayOptions{2, 1, 0},
                              ReplayOptions{1, 0, 0}, ReplayOptions{}}) {
      auto got = std::make_unique<AppStore>();
      eventlog::EventLogReader reader(events, log);
      auto status = replay(reader, *got, opt);
      EXPECT_TRUE(status.ok()) << status.error;
      EXPECT_TRUE(status.at_end);
      got->set_last_updated(log.last_modified_ms);
      got->flush();
      EXPECT_EQ(got->stats().lines, w.lines) << log.name;
      EXPECT_EQ(got->stats().events, w.events) << log.name;
      EXPECT_EQ(got->stats().ignored_events, w.ignored_events) << log.name;
      EXPECT_EQ(got->stats().malformed_lines, w.malformed_lines) << log.name;
      auto diff = first_difference(one(std::move(got)), want, recorded.urls);
      EXPECT_FALSE(diff) << log.name << " with " << opt.threads << " threads, batches of "
                         << opt.batch_bytes << " bytes: " << *diff;
    }
  }
}

TEST_F(HistoryParallelReplayTest, MalformedLinesAreCountedInOrder) {
  std::string text;
  const std::string start =
      R"({"Event":"SparkListenerApplicationStart","App Name":"x","App ID":"app-1","Timestamp":1,"User":"u"})";
  for (int i = 0; i < 2000; ++i) {
    text += (i == 777 ? std::string("not json") : i % 500 == 3 ? std::string("  ") : start) + "\n";
  }
  text += R"({"Event":"SparkListenerJobEnd","Job ID":"zero"})"
          "\n";
  std::ofstream(dir_ / "app-1") << text;
  const std::vector<std::string> lines = log_lines((dir_ / "app-1").string());
  AppStore want;
  for (const auto& l : lines) want.apply_line(l);
  AppStore got;
  eventlog::EventLogReader reader(*store_, discover("app-1"));
  replay(reader, got, ReplayOptions{2, 512, 4});
  EXPECT_EQ(got.stats().lines, want.stats().lines);
  EXPECT_EQ(got.stats().events, want.stats().events);
  EXPECT_EQ(got.stats().malformed_lines, 2u);
  EXPECT_EQ(got.stats().first_error, want.stats().first_error);
  EXPECT_EQ(got.stats().first_error.rfind("line 778: ", 0), 0u) << got.stats().first_error;
}

TEST_F(HistoryParallelReplayTest, GoesOnWhenTheLogGrows) {
  if (!fs::exists(kDataDir + "/spark-events")) GTEST_SKIP() << "conformance logs not found";
  const std::string whole = read_file(kDataDir + "/spark-events/local-1430917381534");
  const fs::path live = dir_ / "local-1430917381534.inprogress";
  AppStore got;
  std::unique_ptr<eventlog::EventLogReader> reader;
  for (std::size_t cut : {whole.size() / 3 + 17, whole.size() / 2, whole.size()}) {
    std::ofstream(live, std::ios::binary | std::ios::trunc) << whole.substr(0, cut);
    auto log = discover(live.filename().string());
    if (!reader) reader = std::make_unique<eventlog::EventLogReader>(*store_, log);
    ASSERT_TRUE(reader->refresh(log));
    replay(*reader, got, ReplayOptions{2, 2048, 0});
    got.set_last_updated(1);
    got.flush();
  }
  AppStore want;
  for (const auto& l : log_lines(live.string())) want.apply_line(l);
  want.set_last_updated(1);
  want.flush();
  EXPECT_EQ(got.stats().lines, want.stats().lines);
  EXPECT_EQ(got.stats().malformed_lines, 0u);
  for (const char* r : {"jobs", "stages", "executors", "stages/0/0/taskList"})
    EXPECT_EQ(serve_app(got, r, {}).body, serve_app(want, r, {}).body) << r;
}

}  // namespace
}  // namespace sp::history::testing
