// libFuzzer target: the history model on arbitrary event-log text. Each input is split into
// lines and replayed into an AppStore (parser, status and SQL listeners), then every kind of
// REST answer is rendered; nothing may crash, and every answer must be valid JSON or an error.
// fuzz-link: sp_history
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "fuzz_seeds.h"
#include "history/app_store.h"
#include "history/event_parser.h"
#include "history/rest_api.h"

using namespace sp::history;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  sp::fuzz::write_seeds({
      R"SEED({"Event":"SparkListenerLogStart","Spark Version":"3.5.1"}
{"Event":"SparkListenerApplicationStart","App Name":"a","App ID":"app-1","Timestamp":1,"User":"u"}
{"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":2,"Stage Infos":[{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"s","Number of Tasks":1,"RDD Info":[{"RDD ID":1,"Name":"r","Storage Level":{"Use Disk":false,"Use Memory":true,"Deserialized":true,"Replication":1},"Number of Partitions":1,"Number of Cached Partitions":0,"Memory Size":0,"Disk Size":0}],"Details":""}],"Stage IDs":[0],"Properties":{"spark.sql.execution.id":"0"}}
{"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"s","Number of Tasks":1,"RDD Info":[{"RDD ID":1,"Name":"r","Storage Level":{"Use Disk":false,"Use Memory":true,"Deserialized":true,"Replication":1},"Number of Partitions":1,"Number of Cached Partitions":0,"Memory Size":0,"Disk Size":0}],"Submission Time":3},"Properties":{}}
{"Event":"SparkListenerTaskStart","Stage ID":0,"Stage Attempt ID":0,"Task Info":{"Task ID":0,"Index":0,"Attempt":0,"Launch Time":4,"Executor ID":"1","Host":"h","Locality":"ANY","Speculative":true,"Getting Result Time":0,"Finish Time":0,"Failed":false,"Killed":false,"Accumulables":[]}}
{"Event":"SparkListenerTaskEnd","Stage ID":0,"Stage Attempt ID":0,"Task Type":"ResultTask","Task End Reason":{"Reason":"Success"},"Task Info":{"Task ID":0,"Index":0,"Attempt":0,"Launch Time":4,"Executor ID":"1","Host":"h","Locality":"ANY","Speculative":true,"Getting Result Time":5,"Finish Time":6,"Failed":false,"Killed":false,"Accumulables":[{"ID":7,"Name":"number of output rows","Update":"3","Value":"3","Internal":true,"Count Failed Values":true,"Metadata":"sql"}]},"Task Metrics":{"Executor Deserialize Time":1,"Executor Run Time":1,"Result Size":1,"JVM GC Time":0,"Result Serialization Time":0,"Memory Bytes Spilled":0,"Disk Bytes Spilled":0}}
{"Event":"SparkListenerBlockUpdated","Block Updated Info":{"Block Manager ID":{"Executor ID":"1","Host":"h","Port":1},"Block ID":"rdd_1_0","Storage Level":{"Use Disk":false,"Use Memory":true,"Deserialized":true,"Replication":1},"Memory Size":10,"Disk Size":0}}
{"Event":"SparkListenerStageCompleted","Stage Info":{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"s","Number of Tasks":1,"RDD Info":[],"Submission Time":3,"Completion Time":7,"Accumulables":[{"ID":9,"Name":"c","Value":"1"}]}}
{"Event":"SparkListenerJobEnd","Job ID":0,"Completion Time":8,"Job Result":{"Result":"JobSucceeded"}}
{"Event":"SparkListenerApplicationEnd","Timestamp":9}
)SEED",
      R"SEED({"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart","executionId":0,"description":"d","details":"","physicalPlanDescription":"p","sparkPlanInfo":{"nodeName":"WholeStageCodegen (1)","simpleString":"w","children":[{"nodeName":"Project","simpleString":"p","children":[{"nodeName":"InputAdapter","simpleString":"i","children":[{"nodeName":"Exchange","simpleString":"e","children":[],"metadata":{},"metrics":[{"name":"data size","accumulatorId":7,"metricType":"size"}]}],"metadata":{},"metrics":[]}],"metadata":{},"metrics":[]}],"metadata":{},"metrics":[{"name":"duration","accumulatorId":8,"metricType":"timing"}]},"time":1}
{"Event":"org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates","executionId":0,"accumUpdates":[[7,5]]}
{"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd","executionId":0,"time":2}
)SEED",
      R"SEED({"Event":"SparkListenerExecutorAdded","Timestamp":1,"Executor ID":"1","Executor Info":{"Host":"h","Total Cores":2,"Log Urls":{"stdout":"x"},"Resources":{"gpu":{"name":"gpu","addresses":["0"]}}}}
{"Event":"org.apache.spark.scheduler.SparkListenerNodeBlacklisted","time":1,"hostId":"h","executorFailures":1}
{"Event":"SparkListenerExecutorRemoved","Timestamp":2,"Executor ID":"1","Removed Reason":"x"}
)SEED",
  });
  return 0;
}

namespace {

void check_json(const Response& r) {
  if (r.status != 200) return;
  static simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(r.body).get(doc) != simdjson::SUCCESS) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // The parser alone, on the whole input as one line.
  EventParser parser;
  Event ev;
  parser.parse(text, ev);

  AppStore store;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    store.apply_line(text.substr(start, nl - start));
    start = nl + 1;
  }
  store.set_last_updated(10);
  store.finish();
  const QueryParams none;
  const QueryParams details{{"details", "true"}, {"withSummaries", "true"}};
  for (const char* path :
       {"jobs", "jobs/0", "stages", "stages/0", "stages/0/0", "stages/0/0/taskSummary",
        "stages/0/0/taskList", "executors", "allexecutors", "allmiscellaneousprocess",
        "storage/rdd", "storage/rdd/1", "environment", "sql", "sql/0"}) {
    check_json(serve_app(store, path, none));
  }
  check_json(serve_app(store, "stages", details));
  check_json(serve_app(store, "stages/0/0/taskList", {{"sortBy", "-runtime"}}));
  int status = 0;
  std::string list = application_list_json({store.summary()}, none, &status);
  if (status != 200) std::abort();
  (void)store.memory_bytes();
  return 0;
}
