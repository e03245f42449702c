// Everything replayed for one application attempt: the listener's live entities and what they
// wrote to the status store (the part the REST answers read).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "history/events.h"
#include "history/model.h"
#include "history/sql_model.h"
#include "history/task_store.h"

namespace sp::history {

// A task between its start and end events (Spark's LiveTask).
struct LiveTask {
  TaskInfo info;
  int stage_id = 0;
  int stage_attempt = 0;
  TaskMetrics metrics = filled_metrics(-1);  // -1: no metrics reported yet
  std::optional<std::string> error;
};

using StageKey = std::pair<int, int>;
using ExecSummaryKey = std::tuple<int, int, std::string>;

// How much the status store keeps (the History Server's spark.ui.retained* and
// spark.sql.ui.retainedExecutions settings, with Spark's defaults).
struct ReplayLimits {
  int retained_jobs = 1000;
  int retained_stages = 1000;
  int retained_tasks_per_stage = 100000;
  int retained_dead_executors = 100;
  int retained_sql_executions = 1000;
};

// AppStatusStore's CachedQuantile entries: (stage, attempt, round(q * 100)) -> (task count,
// the value of every task metric distribution at that quantile). Filled by answers.
struct QuantileCache {
  std::mutex mu;
  std::map<std::tuple<int, int, int64_t>, std::pair<int64_t, std::vector<double>>> entries;
};

struct AppState {
  ReplayLimits limits;
  mutable QuantileCache quantile_cache;

  // --- AppStatusListener state ---
  std::string spark_version;  // from SparkListenerLogStart
  std::optional<StatusAppInfo> app_info;
  int default_cpus_per_task = 1;
  std::map<int, ResourceProfile> resource_profiles;
  std::optional<EnvironmentUpdateEvent> environment;

  std::map<int, std::shared_ptr<LiveJob>> live_jobs;
  std::map<int, JobData> jobs;  // written snapshots

  std::map<StageKey, std::shared_ptr<Stage>> live_stages;
  std::map<StageKey, std::shared_ptr<Stage>> stages;                               // written
  std::map<ExecSummaryKey, std::shared_ptr<ExecutorStageSummary>> exec_summaries;  // written
  std::map<StageKey, SpeculationSummary> speculation;                              // written

  std::map<std::string, std::shared_ptr<Executor>> live_executors;
  std::map<std::string, std::shared_ptr<Executor>> dead_executors;
  std::map<std::string, std::shared_ptr<Executor>> executors;  // written
  int active_executor_count = 0;

  std::unordered_map<int64_t, LiveTask> live_tasks;
  TaskStore tasks;

  std::map<int, std::shared_ptr<Rdd>> live_rdds;
  std::map<int, std::shared_ptr<Rdd>> rdds;  // written

  std::map<std::string, std::shared_ptr<MiscProcess>> misc_processes;

  // Used for the duration of tasks still running when the log ends.
  std::optional<int64_t> last_update_time;

  // --- SQL (SQLAppStatusListener) ---
  SqlState sql;

  bool finished = false;
};

}  // namespace sp::history
