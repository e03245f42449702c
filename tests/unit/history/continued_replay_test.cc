// A replay that goes on after a flush (an in-progress log that grew) answers exactly as one
// fresh replay of the same lines: every conformance log is cut at several points, replayed up
// to a cut, flushed, answered, continued to the next cut, flushed again, and every recorded URL
// of its app is compared with a fresh replay of the lines up to that cut. Also with the small
// retention limits (their triggers depend on what was written before), and with a flush after
// every line.
#include <gtest/gtest.h>

#include <filesystem>

#include "history_test_util.h"

namespace sp::history::testing {
namespace {

namespace fs = std::filesystem;

const std::string kDataDir = SPARKPLANE_SOURCE_DIR "/../shared/conformance/spark-history";
const std::string kRecorded = SPARKPLANE_SOURCE_DIR "/tests/unit/history/data";
constexpr int64_t kNow = 1700000000000;

std::vector<std::string> logs() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kDataDir + "/spark-events")) {
    if (e.path().filename().string().rfind('.', 0) != 0) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The URLs about `app_id` (and the listing's).
std::vector<std::string> urls_of(const std::vector<std::string>& all, const std::string& app_id) {
  std::vector<std::string> out;
  const std::string app = "applications/" + app_id;
  for (const std::string& u : all) {
    std::string path = u.substr(0, u.find('?'));
    if (path == "applications" || path == "applications/" || path == app ||
        path.rfind(app + "/", 0) == 0)
      out.push_back(u);
  }
  return out;
}

// A store of `lines[0, n)`, flushed, as a one-app LoadedLogs.
LoadedLogs fresh(const std::vector<std::string>& lines, size_t n, const RetentionLimits& limits) {
  LoadedLogs out;
  out.stores.push_back(std::make_unique<AppStore>(limits));
  for (size_t i = 0; i < n; ++i) out.stores[0]->apply_line(lines[i]);
  out.stores[0]->set_last_updated(kNow);
  out.stores[0]->flush();
  out.summaries.push_back(out.stores[0]->summary());
  return out;
}

void check_cuts(const std::string& tsv, int cuts) {
  if (!fs::exists(kDataDir + "/spark-events")) GTEST_SKIP() << "conformance logs not found";
  RecordedUrls recorded = read_recorded_urls(kRecorded + "/" + tsv);
  ASSERT_FALSE(recorded.urls.empty());
  for (const std::string& path : logs()) {
    const std::vector<std::string> lines = log_lines(path);
    const std::string app_id = load_log(path, recorded.limits)->summary().app_id;
    const std::vector<std::string> urls = urls_of(recorded.urls, app_id);
    LoadedLogs going_on;
    going_on.stores.push_back(std::make_unique<AppStore>(recorded.limits));
    going_on.summaries.emplace_back();
    size_t applied = 0;
    for (int k = 1; k <= cuts; ++k) {
      const size_t cut = lines.size() * static_cast<size_t>(k) / static_cast<size_t>(cuts);
      for (; applied < cut; ++applied) going_on.stores[0]->apply_line(lines[applied]);
      going_on.stores[0]->set_last_updated(kNow);
      going_on.stores[0]->flush();
      going_on.summaries[0] = going_on.stores[0]->summary();
      LoadedLogs once = fresh(lines, cut, recorded.limits);
      auto diff = first_difference(going_on, once, urls);
      EXPECT_FALSE(diff) << fs::path(path).filename().string() << " cut at line " << cut << " of "
                         << lines.size() << ": " << *diff;
      EXPECT_EQ(going_on.stores[0]->stats().malformed_lines,
                once.stores[0]->stats().malformed_lines);
    }
  }
}

TEST(HistoryContinuedReplayTest, FlushedAtCutsAnswersAsOneReplay) {
  check_cuts("spark411_answers.tsv", 7);
  check_cuts("spark411_edge_cases.tsv", 7);
}

TEST(HistoryContinuedReplayTest, FlushedAtCutsWithSmallRetentionLimits) {
  check_cuts("spark411_small_limits.tsv", 5);
}

TEST(HistoryContinuedReplayTest, FlushAfterEveryLineLeavesNoTrace) {
  if (!fs::exists(kDataDir + "/spark-events")) GTEST_SKIP() << "conformance logs not found";
  for (const char* tsv : {"spark411_answers.tsv", "spark411_small_limits.tsv"}) {
    RecordedUrls recorded = read_recorded_urls(kRecorded + "/" + tsv);
    for (const std::string& path : logs()) {
      const std::vector<std::string> lines = log_lines(path);
      LoadedLogs going_on;
      going_on.stores.push_back(std::make_unique<AppStore>(recorded.limits));
      AppStore& store = *going_on.stores[0];
      for (size_t i = 0; i < lines.size(); ++i) {
        store.apply_line(lines[i]);
        store.set_last_updated(kNow - static_cast<int64_t>(lines.size() - i));
        store.flush();
      }
      store.set_last_updated(kNow);
      store.flush();
      going_on.summaries.push_back(store.summary());
      LoadedLogs once = fresh(lines, lines.size(), recorded.limits);
      auto diff = first_difference(going_on, once, urls_of(recorded.urls, store.summary().app_id));
      EXPECT_FALSE(diff) << tsv << ": " << fs::path(path).filename().string() << ": " << *diff;
    }
  }
}

// Retention triggers run on an entity's first write: a flush writes live entities, and the
// replay that goes on must not take them as written. Small limits; a flush and a comparison
// with a fresh replay after every line.
TEST(HistoryContinuedReplayTest, FirstWritesAfterAFlushStillTriggerRetention) {
  auto stage = [](int id, const char* extra) {
    return std::string(R"({"Stage ID":)") + std::to_string(id) +
           R"(,"Stage Attempt ID":0,"Stage Name":"s","Number of Tasks":1,"RDD Info":[],"Details":"")" +
           extra + "}";
  };
  auto job_start = [&](int id, int64_t t) {
    return std::string(R"({"Event":"SparkListenerJobStart","Job ID":)") + std::to_string(id) +
           R"(,"Submission Time":)" + std::to_string(t) + R"(,"Stage Infos":[)" + stage(id, "") +
           R"(],"Stage IDs":[)" + std::to_string(id) + R"(],"Properties":{}})";
  };
  auto job_end = [](int id, int64_t t) {
    return std::string(R"({"Event":"SparkListenerJobEnd","Job ID":)") + std::to_string(id) +
           R"(,"Completion Time":)" + std::to_string(t) +
           R"(,"Job Result":{"Result":"JobSucceeded"}})";
  };
  auto submitted = [&](int id, int64_t t) {
    return std::string(R"({"Event":"SparkListenerStageSubmitted","Stage Info":)") +
           stage(id, (R"(,"Submission Time":)" + std::to_string(t)).c_str()) +
           R"(,"Properties":{}})";
  };
  auto completed = [&](int id, int64_t t0, int64_t t1) {
    return std::string(R"({"Event":"SparkListenerStageCompleted","Stage Info":)") +
           stage(id, (R"(,"Submission Time":)" + std::to_string(t0) + R"(,"Completion Time":)" +
                      std::to_string(t1))
                         .c_str()) +
           "}";
  };
  auto executor = [](const char* id) {
    return std::string(R"({"Event":"SparkListenerExecutorAdded","Timestamp":2,"Executor ID":")") +
           id + R"(","Executor Info":{"Host":"h","Total Cores":2,"Log Urls":{}}})";
  };
  auto removed = [](const char* id, int64_t t) {
    return std::string(R"({"Event":"SparkListenerExecutorRemoved","Timestamp":)") +
           std::to_string(t) + R"(,"Executor ID":")" + id + R"(","Removed Reason":"gone"})";
  };
  auto task = [](const char* event, int stage_id, int64_t finish) {
    return std::string(R"({"Event":"SparkListener)") + event + R"(","Stage ID":)" +
           std::to_string(stage_id) +
           R"(,"Stage Attempt ID":0,"Task Type":"ResultTask","Task End Reason":{"Reason":"Success"},"Task Info":{"Task ID":1,"Index":0,"Attempt":0,"Launch Time":100,"Executor ID":"1","Host":"h","Locality":"PROCESS_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":)" +
           std::to_string(finish) + R"(,"Failed":false,"Killed":false,"Accumulables":[]}})";
  };
  const std::vector<std::string> lines = {
      R"({"Event":"SparkListenerApplicationStart","App Name":"r","App ID":"app-r","Timestamp":1,"User":"u"})",
      executor("1"),
      executor("2"),
      executor("3"),
      job_start(0, 10),
      submitted(0, 11),
      completed(0, 11, 12),
      job_end(0, 13),
      job_start(1, 20),
      submitted(1, 21),
      completed(1, 21, 22),
      job_end(1, 23),
      removed("2", 24),
      removed("3", 25),
      job_start(2, 30),
      submitted(2, 31),
      // A stage's peak: its first write (stage 0 goes, over the limit of 2).
      R"({"Event":"SparkListenerStageExecutorMetrics","Executor ID":"1","Stage ID":2,"Stage Attempt ID":0,"Executor Metrics":{"JVMHeapMemory":5}})",
      task("TaskStart", 2, 0),
      completed(2, 31, 40),
      // The job's and the executor's first writes (job 0 and executor 2 go).
      task("TaskEnd", 2, 41),
      job_end(2, 42),
      R"({"Event":"SparkListenerApplicationEnd","Timestamp":50})",
  };
  RetentionLimits limits;
  limits.jobs = 2;
  limits.stages = 2;
  limits.dead_executors = 1;
  const std::vector<std::string> urls = {
      "applications/app-r/jobs", "applications/app-r/stages", "applications/app-r/allexecutors",
      "applications/app-r/executors", "applications/app-r/stages/2/0/taskList"};
  LoadedLogs going_on;
  going_on.stores.push_back(std::make_unique<AppStore>(limits));
  going_on.summaries.emplace_back();
  for (size_t i = 0; i < lines.size(); ++i) {
    going_on.stores[0]->apply_line(lines[i]);
    going_on.stores[0]->set_last_updated(kNow);
    going_on.stores[0]->flush();
    going_on.summaries[0] = going_on.stores[0]->summary();
    LoadedLogs once = fresh(lines, i + 1, limits);
    EXPECT_EQ(once.stores[0]->stats().malformed_lines, 0u) << once.stores[0]->stats().first_error;
    auto diff = first_difference(going_on, once, urls);
    EXPECT_FALSE(diff) << "after line " << i + 1 << ": " << *diff;
  }
  // The limits did remove what they should (else the test would show nothing).
  EXPECT_EQ(route(going_on, "applications/app-r/jobs").body.find("\"jobId\" : 0"),
            std::string::npos);
  EXPECT_EQ(route(going_on, "applications/app-r/allexecutors").body.find("\"id\" : \"2\""),
            std::string::npos);
}

}  // namespace
}  // namespace sp::history::testing
