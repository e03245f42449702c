// /stages, /stages/<id>, /stages/<id>/<attempt> (StagesResource and AppStatusStore's
// newStageData: details, taskStatus, withSummaries, quantiles).
#include <algorithm>

#include "history/api_internal.h"
#include "history/scala_hash_order.h"

namespace sp::history::api {

namespace {

const std::vector<std::string> kStageStatuses = {"ACTIVE", "COMPLETE", "FAILED", "PENDING",
                                                 "SKIPPED"};
const std::vector<std::string> kTaskStatuses = {"RUNNING", "KILLED", "FAILED", "SUCCESS",
                                                "UNKNOWN"};

void write_accumulable(JsonWriter& w, const AccumulableInfo& a) {
  w.begin_object();
  w.field("id", a.id);
  if (a.name) w.field("name", *a.name);
  if (a.update) w.field("update", *a.update);
  if (a.value) w.field("value", *a.value);
  w.end_object();
}

// StageInfo.accumulables values in mutable.HashMap order, without internal/SQL ones.
void write_stage_accumulables(JsonWriter& w, const StageInfo& info) {
  ScalaTableSize size;
  std::vector<ScalaHashEntry> entries;
  for (size_t i = 0; i < info.accumulables.size(); ++i) {
    size.before_put(true, true);
    entries.push_back({scala_long_hash(info.accumulables[i].id), i, i});
  }
  scala_hash_order(entries, size.length());
  w.key("accumulatorUpdates");
  w.begin_array();
  for (const ScalaHashEntry& e : entries) {
    const AccumulableInfo& a = info.accumulables[e.index];
    if (a.internal || (a.metadata && *a.metadata == "sql")) continue;
    write_accumulable(w, a);
  }
  w.end_array();
}

void write_exec_stage_summary(JsonWriter& w, const ExecutorStageSummary& e) {
  const TaskMetrics& m = e.metrics;
  w.begin_object();
  w.field("taskTime", e.task_time);
  w.field("failedTasks", e.failed_tasks);
  w.field("succeededTasks", e.succeeded_tasks);
  w.field("killedTasks", e.killed_tasks);
  w.field("inputBytes", m[kInputBytesRead]);
  w.field("inputRecords", m[kInputRecordsRead]);
  w.field("outputBytes", m[kOutputBytesWritten]);
  w.field("outputRecords", m[kOutputRecordsWritten]);
  w.field("shuffleRead", m[kShuffleRemoteBytesRead] + m[kShuffleLocalBytesRead]);
  w.field("shuffleReadRecords", m[kShuffleRecordsRead]);
  w.field("shuffleWrite", m[kShuffleBytesWritten]);
  w.field("shuffleWriteRecords", m[kShuffleRecordsWritten]);
  w.field("memoryBytesSpilled", m[kMemoryBytesSpilled]);
  w.field("diskBytesSpilled", m[kDiskBytesSpilled]);
  w.field("isBlacklistedForStage", e.excluded);
  if (e.peak.is_set()) {
    w.key("peakMemoryMetrics");
    write_peak_metrics(w, e.peak);
  }
  w.field("isExcludedForStage", e.excluded);
  w.end_object();
}

struct StageOptions {
  bool details = false;
  bool with_summaries = false;
  std::vector<double> quantiles;
  std::vector<std::string> task_statuses;
};

void write_stage(JsonWriter& w, const AppState& s, const Stage& st, const StageOptions& o) {
  const StageInfo& info = st.info;
  const TaskMetrics& m = st.metrics;
  w.begin_object();
  w.field("status", stage_status_name(st.status));
  w.field("stageId", info.stage_id);
  w.field("attemptId", info.attempt_id);
  w.field("numTasks", info.num_tasks);
  w.field("numActiveTasks", st.active_tasks);
  w.field("numCompleteTasks", st.completed_tasks);
  w.field("numFailedTasks", st.failed_tasks);
  w.field("numKilledTasks", st.killed_tasks);
  w.field("numCompletedIndices", static_cast<int64_t>(st.completed_indices.size()));
  if (info.submission_time) w.field_date("submissionTime", *info.submission_time);
  if (st.first_launch_time < INT64_MAX) w.field_date("firstTaskLaunchedTime", st.first_launch_time);
  if (info.completion_time) w.field_date("completionTime", *info.completion_time);
  if (info.failure_reason) w.field("failureReason", *info.failure_reason);
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
  w.field("inputBytes", m[kInputBytesRead]);
  w.field("inputRecords", m[kInputRecordsRead]);
  w.field("outputBytes", m[kOutputBytesWritten]);
  w.field("outputRecords", m[kOutputRecordsWritten]);
  w.field("shuffleRemoteBlocksFetched", m[kShuffleRemoteBlocksFetched]);
  w.field("shuffleLocalBlocksFetched", m[kShuffleLocalBlocksFetched]);
  w.field("shuffleFetchWaitTime", m[kShuffleFetchWaitTime]);
  w.field("shuffleRemoteBytesRead", m[kShuffleRemoteBytesRead]);
  w.field("shuffleRemoteBytesReadToDisk", m[kShuffleRemoteBytesReadToDisk]);
  w.field("shuffleLocalBytesRead", m[kShuffleLocalBytesRead]);
  w.field("shuffleReadBytes", m[kShuffleLocalBytesRead] + m[kShuffleRemoteBytesRead]);
  w.field("shuffleReadRecords", m[kShuffleRecordsRead]);
  w.field("shuffleCorruptMergedBlockChunks", m[kPushCorruptMergedBlockChunks]);
  w.field("shuffleMergedFetchFallbackCount", m[kPushMergedFetchFallbackCount]);
  w.field("shuffleMergedRemoteBlocksFetched", m[kPushRemoteMergedBlocksFetched]);
  w.field("shuffleMergedLocalBlocksFetched", m[kPushLocalMergedBlocksFetched]);
  w.field("shuffleMergedRemoteChunksFetched", m[kPushRemoteMergedChunksFetched]);
  w.field("shuffleMergedLocalChunksFetched", m[kPushLocalMergedChunksFetched]);
  w.field("shuffleMergedRemoteBytesRead", m[kPushRemoteMergedBytesRead]);
  w.field("shuffleMergedLocalBytesRead", m[kPushLocalMergedBytesRead]);
  w.field("shuffleRemoteReqsDuration", m[kShuffleRemoteReqsDuration]);
  w.field("shuffleMergedRemoteReqsDuration", m[kPushRemoteMergedReqsDuration]);
  w.field("shuffleWriteBytes", m[kShuffleBytesWritten]);
  w.field("shuffleWriteTime", m[kShuffleWriteTime]);
  w.field("shuffleWriteRecords", m[kShuffleRecordsWritten]);
  w.field("name", info.name);
  if (st.description) w.field("description", *st.description);
  w.field("details", info.details);
  w.field("schedulingPool", st.scheduling_pool);
  w.key("rddIds");
  w.begin_array();
  for (const RddInfo& r : info.rdd_infos) w.value(r.id);
  w.end_array();
  write_stage_accumulables(w, info);
  StageKey key{info.stage_id, info.attempt_id};
  if (o.details) {
    w.key("tasks");
    w.begin_object();
    const std::vector<uint32_t>& positions = s.tasks.stage_tasks(info.stage_id, info.attempt_id);
    for (auto it = positions.rbegin(); it != positions.rend(); ++it) {
      const StoredTask& t = s.tasks.task(*it);
      if (!o.task_statuses.empty() &&
          std::find(o.task_statuses.begin(), o.task_statuses.end(), task_status_name(t.status)) ==
              o.task_statuses.end()) {
        continue;
      }
      w.key(std::to_string(t.task_id));
      write_task(w, s, t);
    }
    w.end_object();
    w.key("executorSummary");
    w.begin_object();
    auto lo = s.exec_summaries.lower_bound({info.stage_id, info.attempt_id, std::string()});
    for (auto it = lo; it != s.exec_summaries.end() && std::get<0>(it->first) == info.stage_id &&
                       std::get<1>(it->first) == info.attempt_id;
         ++it) {
      w.key(std::get<2>(it->first));
      write_exec_stage_summary(w, *it->second);
    }
    w.end_object();
    auto spec = s.speculation.find(key);
    if (spec != s.speculation.end()) {
      const SpeculationSummary& ss = spec->second;
      w.key("speculationSummary");
      w.begin_object();
      w.field("numTasks", ss.num_tasks);
      w.field("numActiveTasks", ss.num_active_tasks);
      w.field("numCompletedTasks", ss.num_completed_tasks);
      w.field("numFailedTasks", ss.num_failed_tasks);
      w.field("numKilledTasks", ss.num_killed_tasks);
      w.end_object();
    }
  }
  w.key("killedTasksSummary");
  w.begin_object();
  for (const auto& [reason, n] : st.killed_summary) w.field(reason, n);
  w.end_object();
  w.field("resourceProfileId", info.resource_profile_id);
  if (st.peak.is_set()) {
    w.key("peakExecutorMetrics");
    write_peak_metrics(w, st.peak);
  }
  if (o.with_summaries) {
    JsonWriter probe;
    if (write_task_metric_distributions(probe, s, info.stage_id, info.attempt_id, o.quantiles)) {
      w.key("taskMetricsDistributions");
      write_task_metric_distributions(w, s, info.stage_id, info.attempt_id, o.quantiles);
    }
    auto lo = s.exec_summaries.lower_bound({info.stage_id, info.attempt_id, std::string()});
    if (lo != s.exec_summaries.end() && std::get<0>(lo->first) == info.stage_id &&
        std::get<1>(lo->first) == info.attempt_id) {
      w.key("executorMetricsDistributions");
      write_executor_metrics_distributions(w, s, info.stage_id, info.attempt_id, o.quantiles);
    }
  }
  w.field("isShufflePushEnabled", info.shuffle_push_enabled);
  w.field("shuffleMergersCount", info.shuffle_mergers_count);
  w.end_object();
}

StageOptions stage_options(const QueryParams& q, bool default_details) {
  StageOptions o;
  o.quantiles = quantiles_param(q, "0.0,0.25,0.5,0.75,1.0");
  o.details = bool_param(q, "details", default_details);
  o.with_summaries = bool_param(q, "withSummaries", false);
  o.task_statuses = enum_list(q, "taskStatus", kTaskStatuses);
  std::sort(o.quantiles.begin(), o.quantiles.end());
  return o;
}

}  // namespace

void stage_list(JsonWriter& w, const AppState& s, const QueryParams& q) {
  std::vector<std::string> statuses = enum_list(q, "status", kStageStatuses);
  StageOptions o = stage_options(q, false);
  w.begin_array();
  for (auto it = s.stages.rbegin(); it != s.stages.rend(); ++it) {
    const Stage& st = *it->second;
    if (!statuses.empty() && std::find(statuses.begin(), statuses.end(),
                                       stage_status_name(st.status)) == statuses.end()) {
      continue;
    }
    if (o.details && !o.task_statuses.empty()) {
      bool keep = false;
      for (const std::string& ts : o.task_statuses) {
        int unknown = st.info.num_tasks - st.failed_tasks - st.killed_tasks - st.active_tasks -
                      st.completed_tasks;
        if ((ts == "FAILED" && st.failed_tasks > 0) || (ts == "KILLED" && st.killed_tasks > 0) ||
            (ts == "RUNNING" && st.active_tasks > 0) ||
            (ts == "SUCCESS" && st.completed_tasks > 0) || (ts == "UNKNOWN" && unknown > 0)) {
          keep = true;
        }
      }
      if (!keep) continue;
    }
    write_stage(w, s, st, o);
  }
  w.end_array();
}

void stage_attempts(JsonWriter& w, const AppState& s, int stage_id, const QueryParams& q) {
  StageOptions o = stage_options(q, true);
  auto lo = s.stages.lower_bound({stage_id, INT32_MIN});
  if (lo == s.stages.end() || lo->first.first != stage_id) {
    not_found("unknown stage: " + std::to_string(stage_id));
  }
  w.begin_array();
  for (auto it = lo; it != s.stages.end() && it->first.first == stage_id; ++it) {
    write_stage(w, s, *it->second, o);
  }
  w.end_array();
}

void stage_attempt(JsonWriter& w, const AppState& s, int stage_id, int attempt,
                   const QueryParams& q) {
  StageOptions o = stage_options(q, true);
  auto it = s.stages.find({stage_id, attempt});
  if (it == s.stages.end()) {
    std::string ids;
    for (auto a = s.stages.lower_bound({stage_id, INT32_MIN});
         a != s.stages.end() && a->first.first == stage_id; ++a) {
      if (!ids.empty()) ids += ",";
      ids += std::to_string(a->first.second);
    }
    if (ids.empty()) not_found("unknown stage: " + std::to_string(stage_id));
    not_found("unknown attempt for stage " + std::to_string(stage_id) + ".  Found attempts: [" +
              ids + "]");
  }
  write_stage(w, s, *it->second, o);
}

}  // namespace sp::history::api
