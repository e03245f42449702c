// /stages/<id>/<attempt>/taskSummary and the withSummaries distributions: Spark's quantile
// method over its disk-store task indices (AppStatusStore.taskSummary / stageExecutorSummary).
//
// The task count is that of tasks whose run time index is >= 0 (successful tasks with
// metrics). Each metric is then read from its own index, which holds the value for successful
// tasks and a negated value otherwise, except derived indices (scheduler delay, getting result
// time, total shuffle reads/blocks) and the duration, which also count unsuccessful tasks. The
// quantile at q is the element at min(q * count, count - 1) of that index, or NaN past its end.
#include <algorithm>
#include <cmath>
#include <limits>

#include "history/api_internal.h"

namespace sp::history::api {

namespace {

// One scanned index: (index value, value reported) in index order, only entries >= 0.
using Scan = std::vector<std::pair<int64_t, int64_t>>;

struct TaskView {
  int64_t task_id;
  bool success;
  bool has_metrics;
  int64_t launch_time;
  int64_t result_fetch_start;
  int64_t duration;
  TaskMetrics m;  // actual values
};

int64_t stored(const TaskView& t, int metric) {
  if (!t.has_metrics) return -1;
  int64_t v = t.m[metric];
  return t.success ? v : -v - 1;
}

int64_t getting_result_time(const TaskView& t) {
  if (!t.has_metrics) return -1;
  if (t.result_fetch_start > 0) {
    if (t.duration > 0) return t.launch_time + t.duration - t.result_fetch_start;
    return 0;  // only for tasks still fetching: not reachable from a replayed log
  }
  return 0;
}

int64_t scheduler_delay(const TaskView& t) {
  if (!t.has_metrics) return -1;
  int64_t grt = 0;
  if (t.result_fetch_start > 0 && t.duration > 0) {
    grt = t.launch_time + t.duration - t.result_fetch_start;
  }
  return std::max<int64_t>(0, t.duration - t.m[kExecutorRunTime] - t.m[kExecutorDeserializeTime] -
                                  t.m[kResultSerializationTime] - grt);
}

std::vector<double> pick(Scan scan, const std::vector<int64_t>& indices) {
  std::stable_sort(scan.begin(), scan.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> out;
  double last = std::numeric_limits<double>::quiet_NaN();
  int64_t current = -1;
  int64_t pos = 0;
  const int64_t size = static_cast<int64_t>(scan.size());
  for (int64_t idx : indices) {
    if (idx == current) {
      out.push_back(last);
      continue;
    }
    int64_t skip = idx - current - 1;
    current = idx;
    if (skip > 0) pos = std::min(size, pos + skip);
    if (pos < size) {
      last = static_cast<double>(scan[static_cast<size_t>(pos)].second);
      ++pos;
      out.push_back(last);
    } else {
      out.push_back(std::numeric_limits<double>::quiet_NaN());
    }
  }
  return out;
}

void write_values(JsonWriter& w, std::string_view name, const std::vector<double>& values) {
  w.key(name);
  w.begin_array();
  for (double v : values) w.value_double(v);
  w.end_array();
}

// getQuantilesValue over already sorted values.
std::vector<double> quantile_values(const std::vector<double>& sorted,
                                    const std::vector<double>& quantiles) {
  std::vector<double> out;
  int64_t count = static_cast<int64_t>(sorted.size());
  for (double q : quantiles) {
    if (count == 0) {
      out.push_back(0.0);
      continue;
    }
    int64_t i = std::min(static_cast<int64_t>(q * static_cast<double>(count)), count - 1);
    if (i < 0) i = 0;
    out.push_back(sorted[static_cast<size_t>(i)]);
  }
  return out;
}

}  // namespace

bool write_task_metric_distributions(JsonWriter& w, const AppState& s, int stage_id, int attempt,
                                     std::vector<double> quantiles) {
  std::sort(quantiles.begin(), quantiles.end());
  std::vector<TaskView> tasks;
  for (uint32_t pos : s.tasks.stage_tasks(stage_id, attempt)) {
    const StoredTask& t = s.tasks.task(pos);
    tasks.push_back({t.task_id, t.status == TaskStatus::kSuccess, t.has_metrics, t.launch_time,
                     t.result_fetch_start, t.duration, s.tasks.metrics(t)});
  }
  int64_t count = 0;
  for (const TaskView& t : tasks) {
    if (stored(t, kExecutorRunTime) >= 0) ++count;
  }
  if (count <= 0) return false;
  std::vector<int64_t> indices;
  for (double q : quantiles) {
    double x = q * static_cast<double>(count);
    int64_t i = std::isnan(x)  ? 0
                : x >= 9.2e18  ? std::numeric_limits<int64_t>::max()
                : x <= -9.2e18 ? std::numeric_limits<int64_t>::min()
                               : static_cast<int64_t>(x);
    indices.push_back(std::min(i, count - 1));
  }
  // A raw metric index: the stored value is both the key and the reported value.
  auto raw = [&](int metric) {
    Scan scan;
    for (const TaskView& t : tasks) {
      int64_t v = stored(t, metric);
      if (v >= 0) scan.emplace_back(v, v);
    }
    return pick(std::move(scan), indices);
  };
  auto derived = [&](auto key_fn, auto value_fn) {
    Scan scan;
    for (const TaskView& t : tasks) {
      int64_t k = key_fn(t);
      if (k >= 0) scan.emplace_back(k, value_fn(t));
    }
    return pick(std::move(scan), indices);
  };
  auto actual = [](const TaskView& t, int metric) { return t.m[metric]; };

  w.begin_object();
  write_values(w, "quantiles", quantiles);
  write_values(w, "duration",
               derived([](const TaskView& t) { return t.duration; },
                       [](const TaskView& t) { return t.duration; }));
  write_values(w, "executorDeserializeTime", raw(kExecutorDeserializeTime));
  write_values(w, "executorDeserializeCpuTime", raw(kExecutorDeserializeCpuTime));
  write_values(w, "executorRunTime", raw(kExecutorRunTime));
  write_values(w, "executorCpuTime", raw(kExecutorCpuTime));
  write_values(w, "resultSize", raw(kResultSize));
  write_values(w, "jvmGcTime", raw(kJvmGcTime));
  write_values(w, "resultSerializationTime", raw(kResultSerializationTime));
  write_values(w, "gettingResultTime",
               derived([](const TaskView& t) { return getting_result_time(t); },
                       [](const TaskView& t) { return getting_result_time(t); }));
  write_values(w, "schedulerDelay",
               derived([](const TaskView& t) { return scheduler_delay(t); },
                       [](const TaskView& t) { return scheduler_delay(t); }));
  write_values(w, "peakExecutionMemory", raw(kPeakExecutionMemory));
  write_values(w, "memoryBytesSpilled", raw(kMemoryBytesSpilled));
  write_values(w, "diskBytesSpilled", raw(kDiskBytesSpilled));
  w.key("inputMetrics");
  w.begin_object();
  write_values(w, "bytesRead", raw(kInputBytesRead));
  write_values(w, "recordsRead", raw(kInputRecordsRead));
  w.end_object();
  w.key("outputMetrics");
  w.begin_object();
  write_values(w, "bytesWritten", raw(kOutputBytesWritten));
  write_values(w, "recordsWritten", raw(kOutputRecordsWritten));
  w.end_object();
  w.key("shuffleReadMetrics");
  w.begin_object();
  write_values(w, "readBytes",
               derived(
                   [&](const TaskView& t) {
                     return t.has_metrics ? actual(t, kShuffleLocalBytesRead) +
                                                actual(t, kShuffleRemoteBytesRead)
                                          : -1;
                   },
                   [&](const TaskView& t) {
                     return actual(t, kShuffleLocalBytesRead) + actual(t, kShuffleRemoteBytesRead);
                   }));
  write_values(w, "readRecords", raw(kShuffleRecordsRead));
  write_values(w, "remoteBlocksFetched", raw(kShuffleRemoteBlocksFetched));
  write_values(w, "localBlocksFetched", raw(kShuffleLocalBlocksFetched));
  write_values(w, "fetchWaitTime", raw(kShuffleFetchWaitTime));
  write_values(w, "remoteBytesRead", raw(kShuffleRemoteBytesRead));
  write_values(w, "remoteBytesReadToDisk", raw(kShuffleRemoteBytesReadToDisk));
  write_values(w, "totalBlocksFetched",
               derived(
                   [&](const TaskView& t) {
                     return t.has_metrics ? actual(t, kShuffleLocalBlocksFetched) +
                                                actual(t, kShuffleRemoteBlocksFetched)
                                          : -1;
                   },
                   [&](const TaskView& t) {
                     return actual(t, kShuffleLocalBlocksFetched) +
                            actual(t, kShuffleRemoteBlocksFetched);
                   }));
  write_values(w, "remoteReqsDuration", raw(kShuffleRemoteReqsDuration));
  w.key("shufflePushReadMetricsDist");
  w.begin_object();
  write_values(w, "corruptMergedBlockChunks", raw(kPushCorruptMergedBlockChunks));
  write_values(w, "mergedFetchFallbackCount", raw(kPushMergedFetchFallbackCount));
  write_values(w, "remoteMergedBlocksFetched", raw(kPushRemoteMergedBlocksFetched));
  write_values(w, "localMergedBlocksFetched", raw(kPushLocalMergedBlocksFetched));
  write_values(w, "remoteMergedChunksFetched", raw(kPushRemoteMergedChunksFetched));
  write_values(w, "localMergedChunksFetched", raw(kPushLocalMergedChunksFetched));
  write_values(w, "remoteMergedBytesRead", raw(kPushRemoteMergedBytesRead));
  write_values(w, "localMergedBytesRead", raw(kPushLocalMergedBytesRead));
  write_values(w, "remoteMergedReqsDuration", raw(kPushRemoteMergedReqsDuration));
  w.end_object();
  w.end_object();
  w.key("shuffleWriteMetrics");
  w.begin_object();
  write_values(w, "writeBytes", raw(kShuffleBytesWritten));
  write_values(w, "writeRecords", raw(kShuffleRecordsWritten));
  write_values(w, "writeTime", raw(kShuffleWriteTime));
  w.end_object();
  w.end_object();
  return true;
}

void write_executor_metrics_distributions(JsonWriter& w, const AppState& s, int stage_id,
                                          int attempt, const std::vector<double>& quantiles) {
  std::vector<const ExecutorStageSummary*> execs;
  auto lo = s.exec_summaries.lower_bound({stage_id, attempt, std::string()});
  for (auto it = lo; it != s.exec_summaries.end() && std::get<0>(it->first) == stage_id &&
                     std::get<1>(it->first) == attempt;
       ++it) {
    execs.push_back(it->second.get());
  }
  auto dist = [&](auto fn) {
    std::vector<double> v;
    for (const ExecutorStageSummary* e : execs) v.push_back(static_cast<double>(fn(*e)));
    std::sort(v.begin(), v.end());
    return quantile_values(v, quantiles);
  };
  using E = ExecutorStageSummary;
  w.begin_object();
  write_values(w, "quantiles", quantiles);
  write_values(w, "taskTime", dist([](const E& e) { return e.task_time; }));
  write_values(w, "failedTasks", dist([](const E& e) { return e.failed_tasks; }));
  write_values(w, "succeededTasks", dist([](const E& e) { return e.succeeded_tasks; }));
  write_values(w, "killedTasks", dist([](const E& e) { return e.killed_tasks; }));
  write_values(w, "inputBytes", dist([](const E& e) { return e.metrics[kInputBytesRead]; }));
  write_values(w, "inputRecords", dist([](const E& e) { return e.metrics[kInputRecordsRead]; }));
  write_values(w, "outputBytes", dist([](const E& e) { return e.metrics[kOutputBytesWritten]; }));
  write_values(w, "outputRecords",
               dist([](const E& e) { return e.metrics[kOutputRecordsWritten]; }));
  write_values(w, "shuffleRead", dist([](const E& e) {
                 return e.metrics[kShuffleRemoteBytesRead] + e.metrics[kShuffleLocalBytesRead];
               }));
  write_values(w, "shuffleReadRecords",
               dist([](const E& e) { return e.metrics[kShuffleRecordsRead]; }));
  write_values(w, "shuffleWrite", dist([](const E& e) { return e.metrics[kShuffleBytesWritten]; }));
  write_values(w, "shuffleWriteRecords",
               dist([](const E& e) { return e.metrics[kShuffleRecordsWritten]; }));
  write_values(w, "memoryBytesSpilled",
               dist([](const E& e) { return e.metrics[kMemoryBytesSpilled]; }));
  write_values(w, "diskBytesSpilled",
               dist([](const E& e) { return e.metrics[kDiskBytesSpilled]; }));
  w.key("peakMemoryMetrics");
  w.begin_object();
  for (int i = 0; i < kNumExecutorMetrics; ++i) {
    std::vector<double> v;
    for (const E* e : execs) {
      if (e->peak.is_set()) v.push_back(static_cast<double>(e->peak.values[i]));
    }
    std::sort(v.begin(), v.end());
    write_values(w, kExecutorMetricNames[i], quantile_values(v, quantiles));
  }
  w.end_object();
  w.end_object();
}

void write_peak_metrics(JsonWriter& w, const PeakExecutorMetrics& peak) {
  w.begin_object();
  for (int i = 0; i < kNumExecutorMetrics; ++i) w.field(kExecutorMetricNames[i], peak.values[i]);
  w.end_object();
}

void task_summary(JsonWriter& w, const AppState& s, int stage_id, int attempt,
                  const QueryParams& q) {
  std::vector<double> quantiles = quantiles_param(q, "0.05,0.25,0.5,0.75,0.95");
  if (!write_task_metric_distributions(w, s, stage_id, attempt, quantiles)) {
    not_found("No tasks reported metrics for " + std::to_string(stage_id) + " / " +
              std::to_string(attempt) + " yet.");
  }
}

}  // namespace sp::history::api
