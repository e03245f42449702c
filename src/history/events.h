// Typed Spark listener events, as read from one event-log line (field names and defaults of
// Spark's JsonProtocol; old logs lack many fields and get Spark's defaults).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "history/metrics.h"

namespace sp::history {

using StringPairs = std::vector<std::pair<std::string, std::string>>;

// The job and stage properties the listeners read; the parser keeps only these.
inline constexpr std::string_view kListenerProperties[] = {
    "spark.job.description", "spark.jobGroup.id", "spark.job.tags", "spark.sql.execution.id",
    "spark.scheduler.pool"};

// A job or stage property's value, or null; a repeated key keeps its last value
// (java.util.Properties).
inline const std::string* find_property(const StringPairs& props, std::string_view key) {
  for (auto it = props.rbegin(); it != props.rend(); ++it) {
    if (it->first == key) return &it->second;
  }
  return nullptr;
}

struct AccumulableInfo {
  int64_t id = 0;
  std::optional<std::string> name;
  std::optional<std::string> update;
  std::optional<std::string> value;
  bool internal = false;
  bool count_failed_values = false;
  std::optional<std::string> metadata;
};

struct StorageLevel {
  bool use_disk = false;
  bool use_memory = false;
  bool use_off_heap = false;
  bool deserialized = false;
  int replication = 1;

  bool is_valid() const { return (use_memory || use_disk) && replication > 0; }
  // Spark's StorageLevel.description, e.g. "Memory Deserialized 1x Replicated".
  std::string description() const;
};

struct RddInfo {
  int id = 0;
  std::string name;
  int num_partitions = 0;
  StorageLevel storage_level;
  std::string callsite;
  std::vector<int> parent_ids;
};

struct StageInfo {
  int stage_id = 0;
  int attempt_id = 0;
  std::string name;
  int num_tasks = 0;
  std::vector<RddInfo> rdd_infos;
  std::vector<int> parent_ids;
  std::string details;
  std::optional<int64_t> submission_time;
  std::optional<int64_t> completion_time;
  std::optional<std::string> failure_reason;
  std::vector<AccumulableInfo> accumulables;  // unique ids, log order
  int resource_profile_id = 0;
  bool shuffle_push_enabled = false;
  int shuffle_mergers_count = 0;
};

struct TaskInfo {
  int64_t task_id = 0;
  int index = 0;
  int attempt = 0;
  int partition_id = -1;
  int64_t launch_time = 0;
  std::string executor_id;
  std::string host;
  std::string locality;
  bool speculative = false;
  int64_t getting_result_time = 0;
  int64_t finish_time = 0;
  bool failed = false;
  bool killed = false;
  std::vector<AccumulableInfo> accumulables;

  bool finished() const { return finish_time != 0; }
  bool getting_result() const { return getting_result_time != 0; }
  bool successful() const { return finished() && !failed && !killed; }
  // Spark's TaskInfo.status.
  const char* status() const;
};

enum class TaskEndKind {
  kSuccess,
  kResubmitted,
  kFetchFailed,
  kExceptionFailure,
  kTaskResultLost,
  kTaskKilled,
  kTaskCommitDenied,
  kExecutorLostFailure,
  kUnknownReason,
};

struct TaskEndReason {
  TaskEndKind kind = TaskEndKind::kSuccess;
  // The task's error message as the status store keeps it: the kill reason for TaskKilled,
  // toErrorString for other failures, empty for Success.
  std::string message;
};

struct LogStartEvent {
  std::string spark_version;
};
struct ApplicationStartEvent {
  std::string app_name;
  std::optional<std::string> app_id;
  int64_t time = 0;
  std::string user;
  std::optional<std::string> attempt_id;
  std::optional<StringPairs> driver_logs;
  std::optional<StringPairs> driver_attributes;
};
struct ApplicationEndEvent {
  int64_t time = 0;
};
struct EnvironmentUpdateEvent {
  StringPairs jvm;
  StringPairs spark;
  StringPairs hadoop;
  StringPairs system;
  StringPairs metrics;
  StringPairs classpath;
};
struct ExecutorResourceRequest {
  std::string resource_name;
  int64_t amount = 0;
  std::string discovery_script;
  std::string vendor;
};
struct TaskResourceRequest {
  std::string resource_name;
  double amount = 0;
};
struct ResourceProfileAddedEvent {
  int id = 0;
  std::vector<std::pair<std::string, ExecutorResourceRequest>> executor_resources;
  std::vector<std::pair<std::string, TaskResourceRequest>> task_resources;
};
struct ResourceInformation {
  std::string name;
  std::vector<std::string> addresses;
};
struct ExecutorAddedEvent {
  int64_t time = 0;
  std::string executor_id;
  std::string host;
  int total_cores = 0;
  StringPairs log_urls;
  StringPairs attributes;
  std::vector<std::pair<std::string, ResourceInformation>> resources;
  int resource_profile_id = 0;
};
struct ExecutorRemovedEvent {
  int64_t time = 0;
  std::string executor_id;
  std::string reason;
};
// Executor/node exclusion events, including the pre-3.1 "Blacklisted" names.
enum class ExclusionKind {
  kExecutorExcluded,
  kExecutorUnexcluded,
  kExecutorExcludedForStage,
  kNodeExcluded,
  kNodeUnexcluded,
  kNodeExcludedForStage,
};
struct ExclusionEvent {
  ExclusionKind kind = ExclusionKind::kExecutorExcluded;
  std::string id;  // executor id or host
  int stage_id = 0;
  int stage_attempt_id = 0;
};
struct BlockManagerAddedEvent {
  int64_t time = -1;
  std::string executor_id;
  std::string host;
  int port = 0;
  int64_t max_mem = 0;
  std::optional<int64_t> max_on_heap;
  std::optional<int64_t> max_off_heap;
};
struct JobStartEvent {
  int job_id = 0;
  int64_t time = -1;
  std::vector<int> stage_ids;
  std::vector<StageInfo> stage_infos;
  StringPairs properties;  // kListenerProperties only
};
struct JobEndEvent {
  int job_id = 0;
  int64_t time = -1;
  bool succeeded = true;
};
struct StageSubmittedEvent {
  StageInfo stage;
  StringPairs properties;  // kListenerProperties only
};
struct StageCompletedEvent {
  StageInfo stage;
};
struct TaskStartEvent {
  int stage_id = 0;
  int stage_attempt_id = 0;
  TaskInfo task;
};
struct TaskEndEvent {
  int stage_id = 0;
  int stage_attempt_id = 0;
  TaskEndReason reason;
  TaskInfo task;
  ExecutorMetricValues executor_metrics{};
  TaskMetrics metrics{};
};
struct StageExecutorMetricsEvent {
  std::string executor_id;
  int stage_id = 0;
  int stage_attempt_id = 0;
  ExecutorMetricValues metrics{};
};
struct TaskAccumUpdates {
  int64_t task_id = 0;
  int stage_id = 0;
  int stage_attempt_id = 0;
  std::vector<AccumulableInfo> updates;
};
struct StageExecutorUpdate {
  int stage_id = 0;
  int stage_attempt_id = 0;
  ExecutorMetricValues metrics{};
};
struct ExecutorMetricsUpdateEvent {
  std::string executor_id;
  std::vector<TaskAccumUpdates> accum_updates;
  std::vector<StageExecutorUpdate> executor_updates;
};
struct BlockUpdatedEvent {
  std::string executor_id;
  std::string host;
  int port = 0;
  std::string block_id;
  StorageLevel storage_level;
  int64_t mem_size = 0;
  int64_t disk_size = 0;
};
struct UnpersistRddEvent {
  int rdd_id = 0;
};
struct MiscellaneousProcessAddedEvent {
  int64_t time = 0;
  std::string process_id;
  std::string host_port;
  int cores = 0;
  StringPairs log_urls;
};

// SQL: the physical plan tree of SparkPlanInfo.
struct SqlMetricInfo {
  std::string name;
  int64_t accumulator_id = 0;
  std::string metric_type;
};
struct SparkPlanInfo {
  std::string node_name;
  std::string simple_string;
  std::vector<SparkPlanInfo> children;
  std::vector<SqlMetricInfo> metrics;
};
struct SqlExecutionStartEvent {
  int64_t execution_id = 0;
  std::optional<int64_t> root_execution_id;
  std::string description;
  std::string details;
  std::string physical_plan_description;
  std::shared_ptr<SparkPlanInfo> plan;
  int64_t time = 0;
};
struct SqlExecutionEndEvent {
  int64_t execution_id = 0;
  int64_t time = 0;
  std::optional<std::string> error_message;
};
struct SqlAdaptiveExecutionUpdateEvent {
  int64_t execution_id = 0;
  std::string physical_plan_description;
  std::shared_ptr<SparkPlanInfo> plan;
};
struct SqlAdaptiveMetricUpdatesEvent {
  int64_t execution_id = 0;
  std::vector<SqlMetricInfo> metrics;
};
struct SqlDriverAccumUpdatesEvent {
  int64_t execution_id = 0;
  std::vector<std::pair<int64_t, int64_t>> updates;
};

// An event the model ignores (known or unknown type).
struct IgnoredEvent {};

using Event =
    std::variant<IgnoredEvent, LogStartEvent, ApplicationStartEvent, ApplicationEndEvent,
                 EnvironmentUpdateEvent, ResourceProfileAddedEvent, ExecutorAddedEvent,
                 ExecutorRemovedEvent, ExclusionEvent, BlockManagerAddedEvent, JobStartEvent,
                 JobEndEvent, StageSubmittedEvent, StageCompletedEvent, TaskStartEvent,
                 TaskEndEvent, StageExecutorMetricsEvent, ExecutorMetricsUpdateEvent,
                 BlockUpdatedEvent, UnpersistRddEvent, MiscellaneousProcessAddedEvent,
                 SqlExecutionStartEvent, SqlExecutionEndEvent, SqlAdaptiveExecutionUpdateEvent,
                 SqlAdaptiveMetricUpdatesEvent, SqlDriverAccumUpdatesEvent>;

}  // namespace sp::history
