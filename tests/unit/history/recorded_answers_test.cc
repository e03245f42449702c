// Regression check against answers a real Spark 4.1.1 History Server gave for the conformance
// logs, beyond cases.tsv (every endpoint and parameter variant, errors, retention limits).
// tests/unit/history/data/*.tsv hold one "url<TAB>status<TAB>hash" line per answer, where the
// hash is FNV-1a of the answer's canonical JSON (sorted keys, numbers as doubles, lastUpdated
// cleared) or of its error text. A "# limits=jobs,stages,tasks,deadExecutors,sqlExecutions"
// line sets the retention limits the server ran with.
//
// To record: point SPARKPLANE_HISTORY_ORACLE at a folder of raw answers (index.json as the
// oracle diff test reads it) and SPARKPLANE_HISTORY_RECORD at the .tsv to write.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "history_test_util.h"

namespace sp::history::testing {
namespace {

namespace fs = std::filesystem;
const std::string kDataDir = SPARKPLANE_SOURCE_DIR "/../shared/conformance/spark-history";
const std::string kRecorded = SPARKPLANE_SOURCE_DIR "/tests/unit/history/data";

void to_doubles(nlohmann::json& j) {
  if (j.is_number()) {
    j = j.get<double>();
  } else if (j.is_object() || j.is_array()) {
    for (auto& x : j) to_doubles(x);
  }
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string canonical_hash(int status, const std::string& body, bool html) {
  std::string text;
  if (status == 200) {
    nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded()) return "not-json";
    clear_last_updated(j);
    to_doubles(j);
    text = j.dump();
  } else if (!html) {
    text = body;
  }
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(fnv1a(text)));
  return buf;
}

TEST(RecordedAnswersTest, Record) {
  const char* dir = std::getenv("SPARKPLANE_HISTORY_ORACLE");
  const char* out = std::getenv("SPARKPLANE_HISTORY_RECORD");
  if (dir == nullptr || out == nullptr) GTEST_SKIP() << "recording not asked for";
  nlohmann::json index = nlohmann::json::parse(read_file(std::string(dir) + "/index.json"));
  std::ofstream f(out);
  if (const char* l = std::getenv("SPARKPLANE_HISTORY_ORACLE_LIMITS"))
    f << "# limits=" << l << "\n";
  for (const auto& row : index) {
    std::string body = read_file(std::string(dir) + "/" + row[2].get<std::string>());
    int status = row[1].get<int>();
    bool html = body.find("<html>") != std::string::npos;
    f << row[0].get<std::string>() << "\t" << status << "\t" << canonical_hash(status, body, html)
      << "\n";
  }
}

TEST(RecordedAnswersTest, MatchSpark411) {
  if (!fs::exists(kDataDir + "/spark-events")) GTEST_SKIP() << "conformance logs not found";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kRecorded)) {
    if (entry.path().extension() != ".tsv") continue;
    ++files;
    std::istringstream in(read_file(entry.path().string()));
    std::string line;
    RetentionLimits limits;
    std::vector<std::array<std::string, 3>> rows;
    while (std::getline(in, line)) {
      if (line.rfind("# limits=", 0) == 0) {
        std::sscanf(line.c_str() + 9, "%d,%d,%d,%d,%d", &limits.jobs, &limits.stages,
                    &limits.tasks_per_stage, &limits.dead_executors, &limits.sql_executions);
        continue;
      }
      size_t t1 = line.find('\t'), t2 = line.rfind('\t');
      if (t1 == std::string::npos || t2 == t1) continue;
      rows.push_back({line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
    }
    LoadedLogs logs = load_log_dir(kDataDir + "/spark-events", limits);
    int ok = 0;
    const std::string no_text = canonical_hash(404, "", true);
    for (const auto& [url, status, hash] : rows) {
      Response r = route(logs, url);
      int want = std::stoi(status);
      bool match = r.status == want;
      std::string got;
      if (match && want == 200) {
        got = canonical_hash(200, r.body, false);
        match = got == hash;
      } else if (match && hash != no_text) {
        got = canonical_hash(want, r.body, false);  // the error text Spark gives
        match = got == hash;
      }
      if (match) {
        ++ok;
      } else {
        ADD_FAILURE() << entry.path().filename().string() << ": " << url << " -> HTTP " << r.status
                      << " (want " << want << "), hash " << got << " (want " << hash << ")";
      }
    }
    std::cout << "[ RECORDED ] " << entry.path().filename().string() << ": " << ok << "/"
              << rows.size() << " answers match\n";
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace sp::history::testing
