// Event parsing: malformed input is reported, never thrown; old logs get Spark's defaults.
#include <gtest/gtest.h>

#include "history/event_parser.h"

namespace sp::history {
namespace {

TEST(EventParserTest, RejectsMalformedLines) {
  EventParser p;
  Event ev;
  std::string err;
  for (const char* line : {"not json", "{", "[]", "{}", "{\"Event\":5}", "\"x\"", "",
                           "{\"Event\":\"SparkListenerTaskEnd\"}",
                           "{\"Event\":\"SparkListenerJobStart\",\"Job ID\":\"x\"}",
                           "{\"Event\":\"SparkListenerLogStart\"}"}) {
    err.clear();
    EXPECT_FALSE(p.parse(line, ev, &err)) << line;
    EXPECT_FALSE(err.empty()) << line;
  }
}

TEST(EventParserTest, UnknownEventsAreIgnored) {
  EventParser p;
  Event ev;
  ASSERT_TRUE(p.parse(R"({"Event":"com.example.MyEvent","x":1})", ev));
  EXPECT_TRUE(std::holds_alternative<IgnoredEvent>(ev));
  ASSERT_TRUE(p.parse(R"({"Event":"SparkListenerSpeculativeTaskSubmitted","Stage ID":1})", ev));
  EXPECT_TRUE(std::holds_alternative<IgnoredEvent>(ev));
}

TEST(EventParserTest, TaskEndDefaultsForOldLogs) {
  EventParser p;
  Event ev;
  // A Spark 1.x task end: no attempt ids, no executor metrics, no CPU times.
  std::string line = R"({"Event":"SparkListenerTaskEnd","Stage ID":3,"Task Type":"ResultTask",
    "Task End Reason":{"Reason":"Success"},
    "Task Info":{"Task ID":7,"Index":2,"Launch Time":1000,"Executor ID":"driver",
      "Host":"localhost","Locality":"PROCESS_LOCAL","Getting Result Time":0,
      "Finish Time":1500,"Failed":false,"Accumulables":[]},
    "Task Metrics":{"Executor Deserialize Time":3,"Executor Run Time":400,"Result Size":10,
      "JVM GC Time":0,"Result Serialization Time":1,"Memory Bytes Spilled":0,
      "Disk Bytes Spilled":0,"Input Metrics":{"Data Read Method":"Hadoop","Bytes Read":99}}})";
  ASSERT_TRUE(p.parse(line, ev));
  const auto& e = std::get<TaskEndEvent>(ev);
  EXPECT_EQ(e.stage_id, 3);
  EXPECT_EQ(e.stage_attempt_id, 0);
  EXPECT_EQ(e.task.attempt, 1);  // Spark's default when "Attempt" is absent
  EXPECT_EQ(e.task.partition_id, -1);
  EXPECT_FALSE(e.task.speculative);
  EXPECT_STREQ(e.task.status(), "SUCCESS");
  EXPECT_EQ(e.metrics[kExecutorRunTime], 400);
  EXPECT_EQ(e.metrics[kExecutorCpuTime], 0);
  EXPECT_EQ(e.metrics[kInputBytesRead], 99);
  EXPECT_EQ(e.executor_metrics[0], 0);
}

TEST(EventParserTest, TaskEndReasons) {
  EventParser p;
  Event ev;
  auto reason = [&](const std::string& r) {
    std::string line = R"({"Event":"SparkListenerTaskEnd","Stage ID":0,"Task Type":"T",
      "Task End Reason":)" +
                       r + R"(,"Task Info":{"Task ID":1,"Index":0,"Launch Time":1,
      "Executor ID":"1","Host":"h","Locality":"ANY","Getting Result Time":0,"Finish Time":2,
      "Failed":true,"Accumulables":[]}})";
    EXPECT_TRUE(p.parse(line, ev)) << r;
    return std::get<TaskEndEvent>(ev).reason;
  };
  EXPECT_EQ(reason(R"({"Reason":"TaskKilled"})").message, "unknown reason");
  EXPECT_EQ(reason(R"({"Reason":"TaskKilled","Kill Reason":"stage cancelled"})").kind,
            TaskEndKind::kTaskKilled);
  EXPECT_EQ(
      reason(
          R"({"Reason":"ExecutorLostFailure","Executor ID":"3","Exit Caused By App":false,"Loss Reason":"gone"})")
          .message,
      "ExecutorLostFailure (executor 3 exited unrelated to the running tasks) Reason: gone");
  EXPECT_EQ(reason(R"({"Reason":"TaskCommitDenied"})").message,
            "TaskCommitDenied (Driver denied task commit) for job: -1, partition: -1, "
            "attemptNumber: -1");
  EXPECT_EQ(reason(R"({"Reason":"ExceptionFailure","Class Name":"java.lang.X","Description":"boom",
      "Stack Trace":[{"Declaring Class":"a.B","Method Name":"m","File Name":"B.java","Line Number":3},
      {"Declaring Class":"a.C","Method Name":"n","File Name":null,"Line Number":-1}]})")
                .message,
            "java.lang.X: boom\n        a.B.m(B.java:3)\n        a.C.n(Unknown Source)");
  EXPECT_EQ(
      reason(
          R"({"Reason":"FetchFailed","Block Manager Address":{"Executor ID":"1","Host":"h","Port":7},
      "Shuffle ID":2,"Map ID":3,"Reduce ID":4,"Message":"lost"})")
          .message,
      "FetchFailed(BlockManagerId(1, h, 7, None), shuffleId=2, mapIndex=Unknown, mapId=3, "
      "reduceId=4, message=\nlost\n)");
  EXPECT_FALSE(p.parse(R"({"Event":"SparkListenerTaskEnd","Stage ID":0,"Task Type":"T",
      "Task End Reason":{"Reason":"Bogus"},"Task Info":{}})",
                       ev));
}

TEST(EventParserTest, ExclusionEventsOldAndNewNames) {
  EventParser p;
  Event ev;
  ASSERT_TRUE(p.parse(
      R"({"Event":"org.apache.spark.scheduler.SparkListenerExecutorBlacklisted","time":1,"executorId":"2","taskFailures":4})",
      ev));
  EXPECT_EQ(std::get<ExclusionEvent>(ev).kind, ExclusionKind::kExecutorExcluded);
  ASSERT_TRUE(p.parse(
      R"({"Event":"org.apache.spark.scheduler.SparkListenerNodeExcludedForStage","time":1,"hostId":"h","executorFailures":1,"stageId":3,"stageAttemptId":1})",
      ev));
  const auto& e = std::get<ExclusionEvent>(ev);
  EXPECT_EQ(e.kind, ExclusionKind::kNodeExcludedForStage);
  EXPECT_EQ(e.id, "h");
  EXPECT_EQ(e.stage_id, 3);
  EXPECT_EQ(e.stage_attempt_id, 1);
}

TEST(EventParserTest, AccumulableValuesAsStrings) {
  EventParser p;
  Event ev;
  std::string line = R"({"Event":"SparkListenerStageCompleted","Stage Info":{"Stage ID":0,
    "Stage Name":"s","Number of Tasks":1,"RDD Info":[],"Accumulables":[
      {"ID":1,"Name":"n","Value":5050},{"ID":2,"Name":"d","Value":1.5},{"ID":3,"Value":"x"},
      {"ID":1,"Name":"n","Value":7}]}})";
  ASSERT_TRUE(p.parse(line, ev));
  const auto& acc = std::get<StageCompletedEvent>(ev).stage.accumulables;
  ASSERT_EQ(acc.size(), 3u);  // a map by id: the later id 1 replaces the earlier
  EXPECT_EQ(*acc[0].value, "7");
  EXPECT_EQ(*acc[1].value, "1.5");
  EXPECT_FALSE(acc[2].name.has_value());
}

}  // namespace
}  // namespace sp::history
