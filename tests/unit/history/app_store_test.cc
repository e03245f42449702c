// AppStore replay: listing summaries (also from partial replays), incomplete and truncated
// logs, malformed lines counted and skipped.
#include <gtest/gtest.h>

#include "history/app_store.h"
#include "history/rest_api.h"
#include "history_test_util.h"

namespace sp::history {
namespace {

const char* kLogStart = R"({"Event":"SparkListenerLogStart","Spark Version":"3.5.1"})";
const char* kAppStart =
    R"({"Event":"SparkListenerApplicationStart","App Name":"demo","App ID":"app-1","Timestamp":1000,"User":"ann","App Attempt ID":"2"})";
const char* kEnv =
    R"({"Event":"SparkListenerEnvironmentUpdate","JVM Information":{"Java Version":"17"},"Spark Properties":{"spark.ui.view.acls":"bob,carl","spark.admin.acls":"","spark.ui.view.acls.groups":"g1"},"System Properties":{},"Classpath Entries":{}})";
const char* kAppEnd = R"({"Event":"SparkListenerApplicationEnd","Timestamp":5000})";
const char* kJobStart =
    R"({"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":1100,"Stage Infos":[{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"count","Number of Tasks":2,"RDD Info":[],"Details":""}],"Stage IDs":[0],"Properties":{}})";
const char* kStageSubmitted =
    R"({"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"count","Number of Tasks":2,"RDD Info":[],"Details":"","Submission Time":1150},"Properties":{}})";
const char* kTaskStart =
    R"({"Event":"SparkListenerTaskStart","Stage ID":0,"Stage Attempt ID":0,"Task Info":{"Task ID":5,"Index":0,"Attempt":0,"Launch Time":1200,"Executor ID":"driver","Host":"localhost","Locality":"PROCESS_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":0,"Failed":false,"Killed":false,"Accumulables":[]}})";

TEST(AppStoreTest, SummaryFromPartialReplay) {
  AppStore store;
  for (const char* l : {kLogStart, kAppStart, kEnv, kAppEnd}) store.apply_line(l);
  store.set_last_updated(9000);
  AttemptSummary s = store.summary();
  EXPECT_EQ(s.app_id, "app-1");
  EXPECT_EQ(s.name, "demo");
  EXPECT_EQ(s.attempt_id, "2");
  EXPECT_EQ(s.start_time, 1000);
  EXPECT_EQ(s.end_time, 5000);
  EXPECT_EQ(s.duration, 4000);
  EXPECT_EQ(s.last_updated, 9000);
  EXPECT_EQ(s.spark_user, "ann");
  EXPECT_TRUE(s.completed);
  EXPECT_EQ(s.app_spark_version, "3.5.1");
  EXPECT_EQ(s.view_acls, "bob,carl");
  EXPECT_FALSE(s.admin_acls.has_value());  // empty means none
  EXPECT_EQ(s.view_acls_groups, "g1");
  EXPECT_FALSE(s.admin_acls_groups.has_value());
}

TEST(AppStoreTest, TruncatedLogIsIncomplete) {
  AppStore store;
  for (const char* l : {kLogStart, kAppStart, kEnv, kJobStart, kStageSubmitted, kTaskStart}) {
    store.apply_line(l);
  }
  store.apply_line(R"({"Event":"SparkListenerTaskEnd","Stage ID":0,"Stage Att)");  // cut off
  store.set_last_updated(2000);
  store.finish();
  EXPECT_EQ(store.stats().malformed_lines, 1u);
  EXPECT_NE(store.stats().first_error.find("line 7"), std::string::npos);
  AttemptSummary s = store.summary();
  EXPECT_FALSE(s.completed);
  EXPECT_EQ(s.end_time, -1);
  EXPECT_EQ(s.duration, 0);
  EXPECT_EQ(s.last_updated, 2000);

  // The running job, stage and task are written as Spark's store flushes them.
  Response jobs = serve_app(store, "jobs", {});
  ASSERT_EQ(jobs.status, 200);
  auto j = nlohmann::json::parse(jobs.body);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["status"], "RUNNING");
  EXPECT_EQ(j[0]["numActiveTasks"], 1);
  Response tasks = serve_app(store, "stages/0/0/taskList", {});
  auto t = nlohmann::json::parse(tasks.body);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0]["status"], "RUNNING");
  EXPECT_EQ(t[0]["duration"], 800);  // last update (2000) - launch (1200)
  EXPECT_FALSE(t[0].contains("taskMetrics"));
  Response summary = serve_app(store, "stages/0/0/taskSummary", {});
  EXPECT_EQ(summary.status, 404);
  EXPECT_EQ(summary.body, "No tasks reported metrics for 0 / 0 yet.");
}

TEST(AppStoreTest, MalformedLinesAreCountedAndSkipped) {
  AppStore store;
  store.apply_line(kAppStart);
  store.apply_line("garbage");
  store.apply_line("");
  store.apply_line("   ");
  store.apply_line(R"({"Event":"SparkListenerJobEnd","Job ID":"zero"})");
  store.apply_line(R"({"Event":"org.example.Custom"})");
  store.apply_line(kAppEnd);
  store.finish();
  EXPECT_EQ(store.stats().lines, 7u);
  EXPECT_EQ(store.stats().malformed_lines, 2u);
  EXPECT_EQ(store.stats().ignored_events, 1u);
  EXPECT_EQ(store.stats().events, 3u);
  EXPECT_TRUE(store.summary().completed);
  EXPECT_GT(store.memory_bytes(), 0u);
}

TEST(AppStoreTest, NoApplicationStartMeansNoId) {
  AppStore store;
  store.apply_line(kLogStart);
  store.finish();
  EXPECT_FALSE(store.summary().has_app_id());
  int status = 0;
  std::string body = application_list_json({store.summary()}, {}, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(nlohmann::json::parse(body).size(), 0u);
}

TEST(AppStoreTest, EventsWithoutTheirEntitiesAreHarmless) {
  AppStore store;
  store.apply_line(kAppStart);
  // Ends, updates and exclusions for jobs, stages, executors and RDDs never started.
  store.apply_line(
      R"({"Event":"SparkListenerJobEnd","Job ID":3,"Job Result":{"Result":"JobSucceeded"}})");
  store.apply_line(
      R"({"Event":"SparkListenerStageCompleted","Stage Info":{"Stage ID":9,"Stage Name":"x","Number of Tasks":1,"RDD Info":[]}})");
  store.apply_line(
      R"({"Event":"SparkListenerTaskEnd","Stage ID":9,"Task Type":"T","Task End Reason":{"Reason":"Success"},"Task Info":{"Task ID":1,"Index":0,"Launch Time":1,"Executor ID":"7","Host":"h","Locality":"ANY","Getting Result Time":0,"Finish Time":2,"Failed":false}})");
  store.apply_line(
      R"({"Event":"SparkListenerExecutorRemoved","Timestamp":1,"Executor ID":"7","Removed Reason":"x"})");
  store.apply_line(R"({"Event":"SparkListenerUnpersistRDD","RDD ID":4})");
  store.apply_line(
      R"({"Event":"SparkListenerBlockUpdated","Block Updated Info":{"Block Manager ID":{"Executor ID":"7","Host":"h","Port":1},"Block ID":"rdd_4_0","Storage Level":{"Use Disk":false,"Use Memory":true,"Deserialized":true,"Replication":1},"Memory Size":10,"Disk Size":0}})");
  store.apply_line(
      R"({"Event":"org.apache.spark.scheduler.SparkListenerNodeExcluded","time":1,"hostId":"h","executorFailures":2})");
  store.apply_line(
      R"({"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd","executionId":4,"time":5})");
  store.apply_line(
      R"({"Event":"org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates","executionId":4,"accumUpdates":[[1,2]]})");
  store.finish();
  EXPECT_EQ(store.stats().malformed_lines, 0u);
  EXPECT_EQ(serve_app(store, "jobs", {}).body, "[ ]");
  EXPECT_EQ(serve_app(store, "stages", {}).body, "[ ]");
  EXPECT_EQ(serve_app(store, "storage/rdd", {}).body, "[ ]");
  EXPECT_EQ(serve_app(store, "sql", {}).body, "[ ]");
}

}  // namespace
}  // namespace sp::history
