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

// Task events are parsed into the event a reused ParsedLine holds (or one kept from before):
// nothing of the earlier line may remain.
TEST(EventParserTest, ReusedLinesKeepNothingOfTheirLastEvent) {
  const std::string full =
      R"({"Event":"SparkListenerTaskEnd","Stage ID":3,"Stage Attempt ID":1,"Task Type":"ResultTask",
    "Task End Reason":{"Reason":"TaskKilled","Kill Reason":"stage cancelled, a long reason"},
    "Task Info":{"Task ID":7,"Index":2,"Attempt":3,"Partition ID":5,"Launch Time":1000,
      "Executor ID":"executor-with-a-long-name","Host":"a-rather-long-host-name.example.com",
      "Locality":"NODE_LOCAL","Speculative":true,"Getting Result Time":1400,"Finish Time":1500,
      "Failed":false,"Killed":true,"Accumulables":[
        {"ID":1,"Name":"internal.metrics.executorRunTime","Update":5,"Value":9,"Internal":true,
         "Count Failed Values":true},
        {"ID":2,"Name":"number of output rows, a long name","Update":"11","Value":"12",
         "Internal":true,"Count Failed Values":true,"Metadata":"sql"},
        {"ID":3,"Name":"a user accumulator with a long name","Update":1.5,"Value":2.5}]},
    "Task Executor Metrics":{"JVMHeapMemory":77},
    "Task Metrics":{"Executor Deserialize Time":3,"Executor Run Time":400,"Result Size":10,
      "JVM GC Time":0,"Result Serialization Time":1,"Memory Bytes Spilled":0,
      "Disk Bytes Spilled":0}})";
  const std::string bare =
      R"({"Event":"SparkListenerTaskEnd","Stage ID":4,"Task Type":"ResultTask",
    "Task End Reason":{"Reason":"Success"},
    "Task Info":{"Task ID":8,"Index":0,"Launch Time":1,"Executor ID":"1","Host":"h",
      "Locality":"ANY","Getting Result Time":0,"Finish Time":0,"Failed":false,
      "Accumulables":[{"ID":9}]}})";
  const std::string start =
      R"({"Event":"SparkListenerTaskStart","Stage ID":4,"Task Info":{"Task ID":8,"Index":0,
      "Launch Time":1,"Executor ID":"1","Host":"h","Locality":"ANY","Getting Result Time":0,
      "Finish Time":0,"Failed":false,"Accumulables":[]}})";
  auto same_task = [](const TaskInfo& a, const TaskInfo& b) {
    EXPECT_EQ(a.task_id, b.task_id);
    EXPECT_EQ(a.index, b.index);
    EXPECT_EQ(a.attempt, b.attempt);
    EXPECT_EQ(a.partition_id, b.partition_id);
    EXPECT_EQ(a.launch_time, b.launch_time);
    EXPECT_EQ(a.executor_id, b.executor_id);
    EXPECT_EQ(a.host, b.host);
    EXPECT_EQ(a.locality, b.locality);
    EXPECT_EQ(a.speculative, b.speculative);
    EXPECT_EQ(a.getting_result_time, b.getting_result_time);
    EXPECT_EQ(a.finish_time, b.finish_time);
    EXPECT_EQ(a.failed, b.failed);
    EXPECT_EQ(a.killed, b.killed);
    ASSERT_EQ(a.accumulables.size(), b.accumulables.size());
    for (size_t i = 0; i < a.accumulables.size(); ++i) {
      const AccumulableInfo &x = a.accumulables[i], &y = b.accumulables[i];
      EXPECT_EQ(x.id, y.id);
      EXPECT_EQ(x.name, y.name);
      EXPECT_EQ(x.update, y.update);
      EXPECT_EQ(x.value, y.value);
      EXPECT_EQ(x.internal, y.internal);
      EXPECT_EQ(x.count_failed_values, y.count_failed_values);
      EXPECT_EQ(x.metadata, y.metadata);
    }
  };
  EventParser reused_parser, fresh_parser;
  ParsedLine reused;
  for (const std::string* line : {&full, &bare, &full, &start, &full, &start, &bare, &bare}) {
    reused_parser.parse_line(*line, reused);
    ParsedLine fresh;
    fresh_parser.parse_line(*line, fresh);
    ASSERT_EQ(reused.kind, ParsedLine::Kind::kEvent) << reused.error;
    ASSERT_EQ(fresh.kind, ParsedLine::Kind::kEvent);
    ASSERT_EQ(reused.event.index(), fresh.event.index());
    if (const auto* f = std::get_if<TaskEndEvent>(&fresh.event)) {
      const auto& r = std::get<TaskEndEvent>(reused.event);
      EXPECT_EQ(r.stage_id, f->stage_id);
      EXPECT_EQ(r.stage_attempt_id, f->stage_attempt_id);
      EXPECT_EQ(r.reason.kind, f->reason.kind);
      EXPECT_EQ(r.reason.message, f->reason.message);
      EXPECT_EQ(r.executor_metrics, f->executor_metrics);
      EXPECT_EQ(r.metrics, f->metrics);
      same_task(r.task, f->task);
    } else {
      const auto& r = std::get<TaskStartEvent>(reused.event);
      const auto& s = std::get<TaskStartEvent>(fresh.event);
      EXPECT_EQ(r.stage_id, s.stage_id);
      EXPECT_EQ(r.stage_attempt_id, s.stage_attempt_id);
      same_task(r.task, s.task);
    }
  }
  // The fresh parse of the full line: what the reused one was compared with.
  ParsedLine check;
  fresh_parser.parse_line(full, check);
  const auto& e = std::get<TaskEndEvent>(check.event);
  ASSERT_EQ(e.task.accumulables.size(), 2u);  // the internal metric is dropped
  EXPECT_EQ(e.task.accumulables[1].value, "2.5");
  EXPECT_EQ(e.reason.message, "stage cancelled, a long reason");
}

}  // namespace
}  // namespace sp::history
