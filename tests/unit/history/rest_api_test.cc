// REST answers beyond the conformance cases: Spark's 404 and 400 answers, parameter parsing,
// the listing of incomplete attempts (spark-events-broken), and the text forms used.
#include <gtest/gtest.h>

#include <filesystem>

#include "history/spark_format.h"
#include "history_test_util.h"

namespace sp::history::testing {
namespace {

namespace fs = std::filesystem;
const std::string kDataDir = SPARKPLANE_SOURCE_DIR "/../shared/conformance/spark-history";

class RestApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (fs::exists(kDataDir + "/spark-events")) {
      logs_ = new LoadedLogs(load_log_dir(kDataDir + "/spark-events"));
    }
  }
  static void TearDownTestSuite() {
    delete logs_;
    logs_ = nullptr;
  }
  void SetUp() override {
    if (logs_ == nullptr) GTEST_SKIP() << "conformance data not found at " << kDataDir;
  }
  static void expect(const std::string& url, int status, const std::string& body) {
    Response r = route(*logs_, url);
    EXPECT_EQ(r.status, status) << url << ": " << r.body;
    EXPECT_EQ(r.body, body) << url;
  }
  static LoadedLogs* logs_;
};

LoadedLogs* RestApiTest::logs_ = nullptr;

TEST_F(RestApiTest, NotFoundAnswers) {
  const std::string app = "applications/local-1422981780767";
  expect("applications/foobar", 404, "unknown app: foobar");
  expect(app + "/stages/12345", 404, "unknown stage: 12345");
  expect(app + "/stages/1/1", 404, "unknown attempt for stage 1.  Found attempts: [0]");
  expect(app + "/jobs/99", 404, "unknown job: 99");
  expect(app + "/storage/rdd/5", 404, "no rdd found w/ id 5");
  expect(app + "/sql/3", 404, "unknown query execution id: 3");
  expect(app + "/5", 404, "unknown app local-1422981780767, attempt 5");
  expect("applications/local-1426533911241/jobs", 404, "no such app: local-1426533911241");
  expect("applications/local-1426533911241/3/jobs", 404, "no such app: local-1426533911241/3");
  expect(app + "/jobs/abc", 404, "/api/v1/" + app + "/jobs/abc");
  expect(app + "/environment/x", 404, "/api/v1/" + app + "/environment/x");
  EXPECT_EQ(route(*logs_, app + "/stages/flimflam").status, 404);
  EXPECT_EQ(route(*logs_, app + "/jobs?status=bogus").status, 404);
  EXPECT_EQ(route(*logs_, "applications?limit=x").status, 404);
  expect("applications/local-1430917381534/stages/9/0/taskSummary", 404,
         "No tasks reported metrics for 9 / 0 yet.");
}

TEST_F(RestApiTest, BadParameterAnswers) {
  expect("applications/local-1430917381534/stages/0/0/taskSummary?quantiles=foo,0.1", 400,
         "Bad value for parameter \"quantiles\".  Expected a double, got \"foo\"");
  expect("applications/local-1422981780767/stages?quantiles=bad", 400,
         "Bad value for parameter \"quantiles\".  Expected a double, got \"bad\"");
  expect("applications?minDate=bad", 400, "Couldn't parse date: bad");
  expect("applications?maxDate=2015-02", 400, "Couldn't parse date: 2015-02");
  EXPECT_EQ(route(*logs_, "applications/local-1430917381534/stages/0/0/taskList?length=0").status,
            500);  // Spark's view.max(0) throws
}

TEST_F(RestApiTest, ListingParameters) {
  auto ids = [](const std::string& url) {
    std::vector<std::string> out;
    for (const auto& a : nlohmann::json::parse(route(*logs_, url).body)) out.push_back(a["id"]);
    return out;
  };
  EXPECT_EQ(ids("applications?limit=2"),
            (std::vector<std::string>{"local-1766844910796", "local-1642039451826"}));
  EXPECT_TRUE(ids("applications?limit=0").empty());
  EXPECT_TRUE(ids("applications?limit=-1").empty());
  EXPECT_TRUE(ids("applications?status=running").empty());
  EXPECT_TRUE(ids("applications?status=").empty());  // Jersey: a null status matches nothing
  EXPECT_EQ(ids("applications?status=COMPLETED").size(), 17u);
  EXPECT_EQ(ids("applications?limit=").size(), 17u);
  EXPECT_EQ(ids("applications?maxDate=2015-02-03T16:42:40.000GMT"),
            (std::vector<std::string>{"local-1422981759269"}));
  // A date's zone and trailing text are read as SimpleDateFormat does.
  EXPECT_EQ(ids("applications?minEndDate=2015-05-06T14:03:00.950GMT%2B01:00"),
            ids("applications?minEndDate=2015-05-06T13:03:00.950GMT"));
}

TEST_F(RestApiTest, TaskListParameters) {
  const std::string base = "applications/local-1430917381534/stages/0/0/taskList";
  auto task_ids = [](const std::string& url) {
    std::vector<int64_t> out;
    for (const auto& t : nlohmann::json::parse(route(*logs_, url).body)) out.push_back(t["taskId"]);
    return out;
  };
  EXPECT_EQ(task_ids(base + "?offset=3&length=2"), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(task_ids(base + "?sortBy=").size(), 20u);
  EXPECT_EQ(task_ids(base + "?sortBy=runtime&length=3"),
            task_ids(base + "?sortBy=INCREASING_RUNTIME&length=3"));
  EXPECT_TRUE(task_ids(base + "?status=success&length=0").empty());
  EXPECT_TRUE(task_ids(base + "?offset=2147483647&length=10&status=success").empty());
  EXPECT_TRUE(task_ids(base + "?status=failed").empty());
}

// The two folders of spark-events-broken: one attempt of the application is incomplete.
TEST(BrokenLogsTest, IncompleteAttemptsAreListed) {
  for (const char* dir : {"last-attempt-incomplete", "previous-attempt-incomplete"}) {
    std::string path = kDataDir + "/spark-events-broken/" + dir;
    if (!fs::exists(path)) GTEST_SKIP() << "broken logs not found at " << path;
    LoadedLogs logs = load_log_dir(path);
    bool last_incomplete = std::string(dir) == "last-attempt-incomplete";
    int status = 0;
    auto list = nlohmann::json::parse(application_list_json(logs.summaries, {}, &status));
    ASSERT_EQ(status, 200);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["id"], "application_1656321732247_0006");
    EXPECT_EQ(list[0]["name"], "PythonPi");
    const auto& atts = list[0]["attempts"];
    ASSERT_EQ(atts.size(), 2u);
    EXPECT_EQ(atts[0]["attemptId"], "2");
    EXPECT_EQ(atts[1]["attemptId"], "1");
    const auto& incomplete = last_incomplete ? atts[0] : atts[1];
    const auto& complete = last_incomplete ? atts[1] : atts[0];
    EXPECT_EQ(incomplete["completed"], false);
    EXPECT_EQ(incomplete["endTime"], "1969-12-31T23:59:59.999GMT");
    EXPECT_EQ(incomplete["endTimeEpoch"], -1);
    EXPECT_EQ(incomplete["duration"], 0);
    EXPECT_EQ(complete["completed"], true);
    EXPECT_EQ(complete["duration"], last_incomplete ? 8105 : 9485);
    // Status follows the newest attempt.
    auto running = nlohmann::json::parse(
        application_list_json(logs.summaries, {{"status", "running"}}, &status));
    EXPECT_EQ(running.size(), last_incomplete ? 1u : 0u);
    for (const auto& store : logs.stores) {
      EXPECT_EQ(serve_app(*store, "jobs", {}).status, 200);
      EXPECT_EQ(serve_app(*store, "executors", {}).status, 200);
    }
  }
}

TEST(SparkFormatTest, Dates) {
  EXPECT_EQ(spark_date_string(1422981780767), "2015-02-03T16:43:00.767GMT");
  EXPECT_EQ(spark_date_string(-1), "1969-12-31T23:59:59.999GMT");
  EXPECT_EQ(spark_date_string(0), "1970-01-01T00:00:00.000GMT");
  EXPECT_EQ(parse_simple_date_param("2015-02-10"), 1423526400000);
  EXPECT_EQ(parse_simple_date_param("2015-05-06T13:03:00.950GMT"), 1430917380950);
  EXPECT_EQ(parse_simple_date_param("2015-05-06T13:03:00.950UTC"), 1430917380950);
  EXPECT_EQ(parse_simple_date_param("2015-05-06T13:03:00.950-0100"), 1430920980950);
  EXPECT_EQ(parse_simple_date_param("2015-05-06T13:03:00.950PST"), 1430946180950);
  // Unknown zones fall back to the date alone; months roll over leniently.
  EXPECT_EQ(parse_simple_date_param("2015-02-10T10:00:00.000XYZ"), 1423526400000);
  EXPECT_EQ(parse_simple_date_param("2015-13-01"), parse_simple_date_param("2016-01-01"));
  EXPECT_FALSE(parse_simple_date_param("bad"));
  EXPECT_FALSE(parse_simple_date_param(""));
}

TEST(SparkFormatTest, JavaNumbers) {
  EXPECT_EQ(java_double_string(1.0), "1.0");
  EXPECT_EQ(java_double_string(0.05), "0.05");
  EXPECT_EQ(java_double_string(4.1411e8), "4.1411E8");
  EXPECT_EQ(java_double_string(1234567.0), "1234567.0");
  EXPECT_EQ(java_double_string(1e-4), "1.0E-4");
  EXPECT_EQ(java_double_string(-2.5), "-2.5");
  EXPECT_EQ(parse_java_double(" 0.5 "), 0.5);
  EXPECT_EQ(parse_java_double(".5"), 0.5);
  EXPECT_EQ(parse_java_double("1e-1"), 0.1);
  EXPECT_EQ(parse_java_double("0.5d"), 0.5);
  EXPECT_FALSE(parse_java_double(""));
  EXPECT_FALSE(parse_java_double("foo"));
  EXPECT_FALSE(parse_java_double("1,5"));
  EXPECT_EQ(parse_java_int("-12"), -12);
  EXPECT_FALSE(parse_java_int("2147483648"));
  EXPECT_FALSE(parse_java_int("1.0"));
}

}  // namespace
}  // namespace sp::history::testing
