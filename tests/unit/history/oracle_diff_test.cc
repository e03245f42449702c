// Differential check against answers recorded from a real Spark History Server serving the
// conformance logs: set SPARKPLANE_HISTORY_ORACLE to a folder with index.json
// ([[url, http status, answer file], ...]) and the answer files. Skipped otherwise.
// SPARKPLANE_HISTORY_ORACLE_LIMITS="jobs,stages,tasks,deadExecutors,sqlExecutions" replays with
// the retention limits the recording server had.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "history_test_util.h"

namespace sp::history::testing {
namespace {

const std::string kDataDir = SPARKPLANE_SOURCE_DIR "/../shared/conformance/spark-history";

TEST(OracleDiffTest, RecordedAnswersMatch) {
  const char* dir = std::getenv("SPARKPLANE_HISTORY_ORACLE");
  if (dir == nullptr) GTEST_SKIP() << "SPARKPLANE_HISTORY_ORACLE not set";
  const char* filter = std::getenv("SPARKPLANE_HISTORY_ORACLE_FILTER");
  RetentionLimits limits;
  if (const char* l = std::getenv("SPARKPLANE_HISTORY_ORACLE_LIMITS")) {
    std::sscanf(l, "%d,%d,%d,%d,%d", &limits.jobs, &limits.stages, &limits.tasks_per_stage,
                &limits.dead_executors, &limits.sql_executions);
  }
  LoadedLogs logs = load_log_dir(kDataDir + "/spark-events", limits);
  nlohmann::json index = nlohmann::json::parse(read_file(std::string(dir) + "/index.json"));
  int total = 0, ok = 0;
  std::map<std::string, int> by_kind;
  for (const auto& row : index) {
    std::string url = row[0].get<std::string>();
    int status = row[1].get<int>();
    if (filter != nullptr && url.find(filter) == std::string::npos) continue;
    ++total;
    Response r = route(logs, url);
    std::string body = read_file(std::string(dir) + "/" + row[2].get<std::string>());
    std::string problem;
    if (r.status != status) {
      problem = "HTTP " + std::to_string(r.status) + ", want " + std::to_string(status);
    } else if (status == 200) {
      nlohmann::json got = nlohmann::json::parse(r.body, nullptr, false);
      nlohmann::json want = nlohmann::json::parse(body, nullptr, false);
      clear_last_updated(got);
      clear_last_updated(want);
      if (auto d = json_diff(got, want)) problem = *d;
    } else if (r.content_type == "text/plain" && body.find("<html>") == std::string::npos &&
               r.body != body) {
      problem = "message \"" + r.body + "\", want \"" + body + "\"";
    }
    if (problem.empty()) {
      ++ok;
    } else {
      ADD_FAILURE() << url << "\n  " << problem;
    }
  }
  std::cout << "[ ORACLE   ] " << ok << "/" << total << " answers match\n";
}

}  // namespace
}  // namespace sp::history::testing
