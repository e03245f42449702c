// /stages/<id>/<attempt>/taskList and the task JSON (v1.TaskData), with Spark's index order
// for sortBy (ties by task id) and its offset/length/status rules.
#include <algorithm>
#include <chrono>

#include "history/api_internal.h"

namespace sp::history::api {

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t getting_result_time(int64_t launch, int64_t fetch_start, int64_t duration) {
  if (fetch_start > 0) {
    return duration > 0 ? launch + duration - fetch_start : now_ms() - fetch_start;
  }
  return 0;
}

void write_metrics(JsonWriter& w, const TaskMetrics& m) {
  w.begin_object();
  w.field("executorDeserializeTime", m[kExecutorDeserializeTime]);
  w.field("executorDeserializeCpuTime", m[kExecutorDeserializeCpuTime]);
  w.field("executorRunTime", m[kExecutorRunTime]);
  w.field("executorCpuTime", m[kExecutorCpuTime]);
  w.field("resultSize", m[kResultSize]);
  w.field("jvmGcTime", m[kJvmGcTime]);
  w.field("resultSerializationTime", m[kResultSerializationTime]);
  w.field("memoryBytesSpilled", m[kMemoryBytesSpilled]);
  w.field("diskBytesSpilled", m[kDiskBytesSpilled]);
  w.field("peakExecutionMemory", m[kPeakExecutionMemory]);
  w.key("inputMetrics");
  w.begin_object();
  w.field("bytesRead", m[kInputBytesRead]);
  w.field("recordsRead", m[kInputRecordsRead]);
  w.end_object();
  w.key("outputMetrics");
  w.begin_object();
  w.field("bytesWritten", m[kOutputBytesWritten]);
  w.field("recordsWritten", m[kOutputRecordsWritten]);
  w.end_object();
  w.key("shuffleReadMetrics");
  w.begin_object();
  w.field("remoteBlocksFetched", m[kShuffleRemoteBlocksFetched]);
  w.field("localBlocksFetched", m[kShuffleLocalBlocksFetched]);
  w.field("fetchWaitTime", m[kShuffleFetchWaitTime]);
  w.field("remoteBytesRead", m[kShuffleRemoteBytesRead]);
  w.field("remoteBytesReadToDisk", m[kShuffleRemoteBytesReadToDisk]);
  w.field("localBytesRead", m[kShuffleLocalBytesRead]);
  w.field("recordsRead", m[kShuffleRecordsRead]);
  w.field("remoteReqsDuration", m[kShuffleRemoteReqsDuration]);
  w.key("shufflePushReadMetrics");
  w.begin_object();
  w.field("corruptMergedBlockChunks", m[kPushCorruptMergedBlockChunks]);
  w.field("mergedFetchFallbackCount", m[kPushMergedFetchFallbackCount]);
  w.field("remoteMergedBlocksFetched", m[kPushRemoteMergedBlocksFetched]);
  w.field("localMergedBlocksFetched", m[kPushLocalMergedBlocksFetched]);
  w.field("remoteMergedChunksFetched", m[kPushRemoteMergedChunksFetched]);
  w.field("localMergedChunksFetched", m[kPushLocalMergedChunksFetched]);
  w.field("remoteMergedBytesRead", m[kPushRemoteMergedBytesRead]);
  w.field("localMergedBytesRead", m[kPushLocalMergedBytesRead]);
  w.field("remoteMergedReqsDuration", m[kPushRemoteMergedReqsDuration]);
  w.end_object();
  w.end_object();
  w.key("shuffleWriteMetrics");
  w.begin_object();
  w.field("bytesWritten", m[kShuffleBytesWritten]);
  w.field("writeTime", m[kShuffleWriteTime]);
  w.field("recordsWritten", m[kShuffleRecordsWritten]);
  w.end_object();
  w.end_object();
}

// The value the EXEC_RUN_TIME index holds (negative for unsuccessful tasks, -1 without metrics).
int64_t run_time_index(const AppState& s, const StoredTask& t) {
  if (!t.has_metrics) return -1;
  int64_t v = s.tasks.metrics(t)[kExecutorRunTime];
  return t.status == TaskStatus::kSuccess ? v : -v - 1;
}

}  // namespace

void write_task(JsonWriter& w, const AppState& s, const StoredTask& t) {
  w.begin_object();
  w.field("taskId", t.task_id);
  w.field("index", t.index);
  w.field("attempt", t.attempt);
  w.field("partitionId", t.partition_id);
  w.field_date("launchTime", t.launch_time);
  if (t.result_fetch_start > 0) w.field_date("resultFetchStart", t.result_fetch_start);
  if (t.duration > 0) w.field("duration", t.duration);
  const std::string& exec_id = s.tasks.str(t.executor);
  w.field("executorId", exec_id);
  w.field("host", s.tasks.str(t.host));
  w.field("status", task_status_name(t.status));
  w.field("taskLocality", s.tasks.str(t.locality));
  w.field("speculative", t.speculative);
  w.key("accumulatorUpdates");
  w.begin_array();
  const TaskAccumulable* acc = s.tasks.accumulables(t);
  for (uint32_t i = 0; i < t.accum_count; ++i) {
    const TaskAccumulable& a = acc[i];
    w.begin_object();
    w.field("id", a.id);
    if (a.name != kNone) w.field("name", s.tasks.str(a.name));
    if (a.has_update) w.field("update", a.update);
    if (a.has_value) w.field("value", a.value);
    w.end_object();
  }
  w.end_array();
  if (t.error != kNone) w.field("errorMessage", s.tasks.error(t));
  TaskMetrics m = s.tasks.metrics(t);
  if (t.has_metrics) {
    w.key("taskMetrics");
    write_metrics(w, m);
  }
  w.key("executorLogs");
  w.begin_object();
  auto ex = s.executors.find(exec_id);
  if (ex != s.executors.end()) {
    for (const auto& [k, v] : ex->second->executor_logs) w.field(k, v);
  }
  w.end_object();
  int64_t fetch_start = t.result_fetch_start > 0 ? t.result_fetch_start : -1;
  bool finished = t.status == TaskStatus::kFailed || t.status == TaskStatus::kKilled ||
                  t.status == TaskStatus::kSuccess;
  int64_t delay = 0;
  if (finished && t.has_metrics && t.duration > 0) {
    int64_t grt = getting_result_time(t.launch_time, fetch_start, t.duration);
    delay = std::max<int64_t>(0, t.duration - m[kExecutorRunTime] - m[kExecutorDeserializeTime] -
                                     m[kResultSerializationTime] - grt);
  }
  w.field("schedulerDelay", delay);
  w.field("gettingResultTime",
          getting_result_time(t.launch_time, fetch_start, t.duration > 0 ? t.duration : -1));
  w.end_object();
}

std::vector<uint32_t> stage_task_positions(const AppState& s, int stage_id, int attempt) {
  return s.tasks.stage_tasks(stage_id, attempt);
}

void task_list(JsonWriter& w, const AppState& s, int stage_id, int attempt, const QueryParams& q) {
  int offset = int_param(q, "offset", 0);
  int length = int_param(q, "length", 20);
  std::string sort = first(q, "sortBy").value_or("ID");
  if (sort.empty()) sort = "ID";
  std::string lower;
  for (char c : sort) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  enum { kId, kIncreasing, kDecreasing } mode;
  if (lower == "runtime" || lower == "increasing_runtime") {
    mode = kIncreasing;
  } else if (lower == "-runtime" || lower == "decreasing_runtime") {
    mode = kDecreasing;
  } else if (lower == "id") {
    mode = kId;
  } else {
    not_found("Not Found");
  }
  std::vector<std::string> statuses =
      enum_list(q, "status", {"RUNNING", "KILLED", "FAILED", "SUCCESS", "UNKNOWN"});

  std::vector<uint32_t> order = s.tasks.stage_tasks(stage_id, attempt);
  if (mode != kId) {
    std::vector<std::pair<int64_t, uint32_t>> keyed;
    keyed.reserve(order.size());
    for (uint32_t pos : order) keyed.emplace_back(run_time_index(s, s.tasks.task(pos)), pos);
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    order.clear();
    for (const auto& k : keyed) order.push_back(k.second);
    if (mode == kDecreasing) std::reverse(order.begin(), order.end());
  }
  std::vector<uint32_t> page;
  if (!statuses.empty()) {
    // KVUtils.viewToSeq(view, offset, offset + length)(filter): a slice of the filtered tasks.
    int32_t until =
        static_cast<int32_t>(static_cast<uint32_t>(offset) + static_cast<uint32_t>(length));
    int64_t from = std::max(offset, 0);
    int64_t i = 0;
    for (uint32_t pos : order) {
      const StoredTask& t = s.tasks.task(pos);
      if (std::find(statuses.begin(), statuses.end(), task_status_name(t.status)) ==
          statuses.end()) {
        continue;
      }
      if (i >= from && i < until) page.push_back(pos);
      ++i;
    }
  } else {
    if (length <= 0) throw HttpError{500, "max must be positive."};
    size_t start = offset > 0 ? static_cast<size_t>(offset) : 0;
    for (size_t i = start; i < order.size() && page.size() < static_cast<size_t>(length); ++i) {
      page.push_back(order[i]);
    }
  }
  w.begin_array();
  for (uint32_t pos : page) write_task(w, s, s.tasks.task(pos));
  w.end_array();
}

}  // namespace sp::history::api
