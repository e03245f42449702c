// The entities of Spark's application status store (AppStatusListener's live entities and what
// they write): jobs, stages, executor stage summaries, executors, RDDs, processes, environment.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "history/events.h"
#include "history/metrics.h"

namespace sp::history {

enum class JobStatus { kRunning, kSucceeded, kFailed, kUnknown };
enum class StageStatus { kActive, kComplete, kFailed, kPending, kSkipped };

const char* job_status_name(JobStatus s);
const char* stage_status_name(StageStatus s);

// A job as written to the store (v1.JobData plus the SQL execution id).
struct JobData {
  int job_id = 0;
  std::string name;
  std::optional<std::string> description;
  std::optional<int64_t> submission_time;
  std::optional<int64_t> completion_time;
  std::vector<int> stage_ids;
  std::optional<std::string> job_group;
  std::vector<std::string> job_tags;
  JobStatus status = JobStatus::kRunning;
  int num_tasks = 0;
  int num_active_tasks = 0;
  int num_completed_tasks = 0;
  int num_skipped_tasks = 0;
  int num_failed_tasks = 0;
  int num_killed_tasks = 0;
  int num_completed_indices = 0;
  int num_active_stages = 0;
  int num_completed_stages = 0;
  int num_skipped_stages = 0;
  int num_failed_stages = 0;
  std::map<std::string, int> killed_tasks_summary;
  std::optional<int64_t> sql_execution_id;
};

// The listener's mutable view of a running job.
struct LiveJob {
  bool written = false;
  JobData data;  // counters except the set-derived ones
  std::unordered_set<int64_t> completed_indices;
  std::set<int> completed_stages;
  std::set<int> skipped_stages;

  JobData snapshot() const;
};

struct ExecutorStageSummary {
  int64_t task_time = 0;
  int failed_tasks = 0;
  int succeeded_tasks = 0;
  int killed_tasks = 0;
  bool excluded = false;
  TaskMetrics metrics = filled_metrics(0);
  PeakExecutorMetrics peak;
};

struct SpeculationSummary {
  int num_tasks = 0;
  int num_active_tasks = 0;
  int num_completed_tasks = 0;
  int num_failed_tasks = 0;
  int num_killed_tasks = 0;
};

struct Stage {
  bool written = false;
  int saved_tasks = 0;  // tasks started, less those removed by the retention limit
  StageInfo info;
  std::vector<std::shared_ptr<LiveJob>> jobs;  // jobs that include this stage (may have ended)
  std::set<int> job_ids;
  StageStatus status = StageStatus::kPending;
  std::optional<std::string> description;
  std::string scheduling_pool = "default";
  int active_tasks = 0;
  int completed_tasks = 0;
  int failed_tasks = 0;
  int killed_tasks = 0;
  std::unordered_set<int> completed_indices;
  std::map<std::string, int> killed_summary;
  int64_t first_launch_time = INT64_MAX;
  TaskMetrics metrics = filled_metrics(0);
  // This stage object's executor summaries (written to the store with the stage).
  std::map<std::string, std::shared_ptr<ExecutorStageSummary>> executor_summaries;
  std::unordered_map<std::string, int> active_tasks_per_executor;
  std::set<std::string> excluded_executors;
  PeakExecutorMetrics peak;
  std::shared_ptr<SpeculationSummary> speculation;  // created on first speculative task
};

struct Executor {
  bool written = false;
  std::string id;
  std::optional<std::string> host_port;
  std::optional<std::string> host;
  bool active = true;
  int total_cores = 0;
  int64_t add_time = 0;
  std::optional<int64_t> remove_time;
  std::optional<std::string> remove_reason;
  int rdd_blocks = 0;
  int64_t memory_used = 0;
  int64_t disk_used = 0;
  int max_tasks = 0;
  int64_t max_memory = 0;
  int total_tasks = 0;
  int active_tasks = 0;
  int completed_tasks = 0;
  int failed_tasks = 0;
  int64_t total_duration = 0;
  int64_t total_gc_time = 0;
  int64_t total_input_bytes = 0;
  int64_t total_shuffle_read = 0;
  int64_t total_shuffle_write = 0;
  bool excluded = false;
  std::set<int> excluded_in_stages;
  StringPairs executor_logs;
  StringPairs attributes;
  std::vector<std::pair<std::string, ResourceInformation>> resources;
  int64_t total_on_heap = -1;
  int64_t total_off_heap = 0;
  int64_t used_on_heap = 0;
  int64_t used_off_heap = 0;
  int resource_profile_id = 0;
  PeakExecutorMetrics peak;

  bool has_memory_info() const { return total_on_heap >= 0; }
  // Spark's LiveExecutor.hostname: the host, else the host part of host:port.
  std::string hostname() const;
};

// A cached RDD partition (block) and the executors holding it.
struct RddPartition {
  std::string block_name;
  std::vector<std::string> executors;
  int64_t memory_used = 0;
  int64_t disk_used = 0;
  std::string storage_level;  // effective level description
};

// What an RDD distribution shows, computed when its RDD is written (Spark caches it in
// LiveRDDDistribution.lastUpdate until a block update on that executor resets it).
struct RddDistributionApi {
  std::string address;
  int64_t memory_used = 0;
  int64_t memory_remaining = 0;
  int64_t disk_used = 0;
  bool has_memory_info = false;
  int64_t on_heap_used = 0;
  int64_t off_heap_used = 0;
  int64_t on_heap_remaining = 0;
  int64_t off_heap_remaining = 0;
};

struct RddDistribution {
  std::optional<RddDistributionApi> last_update;
  std::string executor_id;
  int64_t memory_used = 0;
  int64_t disk_used = 0;
  int64_t on_heap_used = 0;
  int64_t off_heap_used = 0;
  uint64_t insertion = 0;  // for the Scala hash map iteration order
};

struct Rdd {
  int id = 0;
  std::string name;
  int num_partitions = 0;
  StorageLevel level;
  int64_t memory_used = 0;
  int64_t disk_used = 0;
  std::list<RddPartition> partitions;  // insertion order
  std::unordered_map<std::string, std::list<RddPartition>::iterator> partition_index;
  std::unordered_map<std::string, RddDistribution> distributions;
  int distribution_table_size = 16;  // Scala HashMap table length (grows, never shrinks)
  uint64_t insertions = 0;

  RddPartition& partition(const std::string& block_name);
  void remove_partition(const std::string& block_name);
  RddDistribution& distribution(const std::string& executor_id);
  bool remove_distribution(const std::string& executor_id);
  // Distributions in the order Spark's mutable.HashMap iterates them.
  std::vector<const RddDistribution*> ordered_distributions() const;
};

struct MiscProcess {
  std::string id;
  std::string host_port;
  bool active = true;
  int total_cores = 0;
  int64_t add_time = 0;
  StringPairs logs;
};

struct ResourceProfile {
  int id = 0;
  std::vector<std::pair<std::string, ExecutorResourceRequest>> executor_resources;
  std::vector<std::pair<std::string, TaskResourceRequest>> task_resources;
  std::optional<int> max_tasks_per_executor;
};

// The application attempt as the status listener sees it (v1.ApplicationInfo).
struct StatusAppInfo {
  std::string id;
  std::string name;
  std::optional<std::string> attempt_id;
  int64_t start_time = 0;
  int64_t end_time = -1;
  int64_t last_updated = 0;
  int64_t duration = -1;
  std::string spark_user;
  bool completed = false;
  std::string app_spark_version;
};

}  // namespace sp::history
