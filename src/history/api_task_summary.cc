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
#include <mutex>
#include <optional>

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

  // Spark caches the values of quantiles at 0.05 steps per stage attempt, keyed by
  // round(q * 100) (so 0.051 shares 0.05's entry), and answers from that cache when every
  // requested quantile is cached for the same task count.
  auto cache_key = [](double q) -> std::optional<int64_t> {
    if (std::isnan(q)) return int64_t{0};
    double r = std::floor(q * 100 + 0.5);
    if (r >= 9.2e18 || r <= -9.2e18) return std::nullopt;
    int64_t k = static_cast<int64_t>(r);
    if (k % 5 != 0) return std::nullopt;
    return k;
  };
  std::vector<std::vector<double>> cols;
  {
    std::lock_guard<std::mutex> lock(s.quantile_cache.mu);
    std::vector<const std::vector<double>*> cached;
    for (double q : quantiles) {
      auto k = cache_key(q);
      if (!k) continue;
      auto it = s.quantile_cache.entries.find({stage_id, attempt, *k});
      if (it != s.quantile_cache.entries.end() && it->second.first == count) {
        cached.push_back(&it->second.second);
      }
    }
    if (cached.size() == quantiles.size()) {
      cols.assign(cached.front()->size(), std::vector<double>());
      for (const std::vector<double>* c : cached) {
        for (size_t m = 0; m < c->size(); ++m) cols[m].push_back((*c)[m]);
      }
    }
  }
  if (cols.empty()) {
    cols.push_back(derived([](const TaskView& t) { return t.duration; },
                           [](const TaskView& t) { return t.duration; }));  // duration
    cols.push_back(raw(kExecutorDeserializeTime));     // executorDeserializeTime
    cols.push_back(raw(kExecutorDeserializeCpuTime));  // executorDeserializeCpuTime
    cols.push_back(raw(kExecutorRunTime));             // executorRunTime
    cols.push_back(raw(kExecutorCpuTime));             // executorCpuTime
    cols.push_back(raw(kResultSize));                  // resultSize
    cols.push_back(raw(kJvmGcTime));                   // jvmGcTime
    cols.push_back(raw(kResultSerializationTime));     // resultSerializationTime
    cols.push_back(
        derived([](const TaskView& t) { return getting_result_time(t); },
                [](const TaskView& t) { return getting_result_time(t); }));  // gettingResultTime
    cols.push_back(
        derived([](const TaskView& t) { return scheduler_delay(t); },
                [](const TaskView& t) { return scheduler_delay(t); }));  // schedulerDelay
    cols.push_back(raw(kPeakExecutionMemory));                           // peakExecutionMemory
    cols.push_back(raw(kMemoryBytesSpilled));                            // memoryBytesSpilled
    cols.push_back(raw(kDiskBytesSpilled));                              // diskBytesSpilled
    cols.push_back(raw(kInputBytesRead));                                // bytesRead
    cols.push_back(raw(kInputRecordsRead));                              // recordsRead
    cols.push_back(raw(kOutputBytesWritten));                            // bytesWritten
    cols.push_back(raw(kOutputRecordsWritten));                          // recordsWritten
    cols.push_back(derived(
        [&](const TaskView& t) {
          return t.has_metrics
                     ? actual(t, kShuffleLocalBytesRead) + actual(t, kShuffleRemoteBytesRead)
                     : -1;
        },
        [&](const TaskView& t) {
          return actual(t, kShuffleLocalBytesRead) + actual(t, kShuffleRemoteBytesRead);
        }));                                             // readBytes
    cols.push_back(raw(kShuffleRecordsRead));            // readRecords
    cols.push_back(raw(kShuffleRemoteBlocksFetched));    // remoteBlocksFetched
    cols.push_back(raw(kShuffleLocalBlocksFetched));     // localBlocksFetched
    cols.push_back(raw(kShuffleFetchWaitTime));          // fetchWaitTime
    cols.push_back(raw(kShuffleRemoteBytesRead));        // remoteBytesRead
    cols.push_back(raw(kShuffleRemoteBytesReadToDisk));  // remoteBytesReadToDisk
    cols.push_back(derived(
        [&](const TaskView& t) {
          return t.has_metrics ? actual(t, kShuffleLocalBlocksFetched) +
                                     actual(t, kShuffleRemoteBlocksFetched)
                               : -1;
        },
        [&](const TaskView& t) {
          return actual(t, kShuffleLocalBlocksFetched) + actual(t, kShuffleRemoteBlocksFetched);
        }));                                              // totalBlocksFetched
    cols.push_back(raw(kShuffleRemoteReqsDuration));      // remoteReqsDuration
    cols.push_back(raw(kPushCorruptMergedBlockChunks));   // corruptMergedBlockChunks
    cols.push_back(raw(kPushMergedFetchFallbackCount));   // mergedFetchFallbackCount
    cols.push_back(raw(kPushRemoteMergedBlocksFetched));  // remoteMergedBlocksFetched
    cols.push_back(raw(kPushLocalMergedBlocksFetched));   // localMergedBlocksFetched
    cols.push_back(raw(kPushRemoteMergedChunksFetched));  // remoteMergedChunksFetched
    cols.push_back(raw(kPushLocalMergedChunksFetched));   // localMergedChunksFetched
    cols.push_back(raw(kPushRemoteMergedBytesRead));      // remoteMergedBytesRead
    cols.push_back(raw(kPushLocalMergedBytesRead));       // localMergedBytesRead
    cols.push_back(raw(kPushRemoteMergedReqsDuration));   // remoteMergedReqsDuration
    cols.push_back(raw(kShuffleBytesWritten));            // writeBytes
    cols.push_back(raw(kShuffleRecordsWritten));          // writeRecords
    cols.push_back(raw(kShuffleWriteTime));               // writeTime
    std::lock_guard<std::mutex> lock(s.quantile_cache.mu);
    for (size_t qi = 0; qi < quantiles.size(); ++qi) {
      auto k = cache_key(quantiles[qi]);
      if (!k) continue;
      std::vector<double> values;
      for (const auto& col : cols) values.push_back(col[qi]);
      s.quantile_cache.entries[{stage_id, attempt, *k}] = {count, std::move(values)};
    }
  }

  size_t c = 0;
  auto next = [&](std::string_view name) { write_values(w, name, cols[c++]); };
  w.begin_object();
  write_values(w, "quantiles", quantiles);
  for (const char* n : {"duration", "executorDeserializeTime", "executorDeserializeCpuTime",
                        "executorRunTime", "executorCpuTime", "resultSize", "jvmGcTime",
                        "resultSerializationTime", "gettingResultTime", "schedulerDelay",
                        "peakExecutionMemory", "memoryBytesSpilled", "diskBytesSpilled"}) {
    next(n);
  }
  w.key("inputMetrics");
  w.begin_object();
  next("bytesRead");
  next("recordsRead");
  w.end_object();
  w.key("outputMetrics");
  w.begin_object();
  next("bytesWritten");
  next("recordsWritten");
  w.end_object();
  w.key("shuffleReadMetrics");
  w.begin_object();
  for (const char* n :
       {"readBytes", "readRecords", "remoteBlocksFetched", "localBlocksFetched", "fetchWaitTime",
        "remoteBytesRead", "remoteBytesReadToDisk", "totalBlocksFetched", "remoteReqsDuration"}) {
    next(n);
  }
  w.key("shufflePushReadMetricsDist");
  w.begin_object();
  for (const char* n :
       {"corruptMergedBlockChunks", "mergedFetchFallbackCount", "remoteMergedBlocksFetched",
        "localMergedBlocksFetched", "remoteMergedChunksFetched", "localMergedChunksFetched",
        "remoteMergedBytesRead", "localMergedBytesRead", "remoteMergedReqsDuration"}) {
    next(n);
  }
  w.end_object();
  w.end_object();
  w.key("shuffleWriteMetrics");
  w.begin_object();
  next("writeBytes");
  next("writeRecords");
  next("writeTime");
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
