// SQL executions as Spark's SQLAppStatusListener keeps them: plan graph, per-task metric values
// by accumulator, and the aggregated metric strings shown by /sql.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "history/events.h"
#include "history/model.h"

namespace sp::history {

struct SqlPlanMetric {
  std::string name;
  int64_t accumulator_id = 0;
  std::string metric_type;
};

// A node of SparkPlanGraph: a plan operator, or a WholeStageCodegen cluster of operators.
struct SqlGraphNode {
  int64_t id = 0;
  std::string name;
  std::string desc;
  std::vector<SqlPlanMetric> metrics;
  bool is_cluster = false;
  std::vector<SqlGraphNode> children;  // a cluster's operators
};

struct SqlGraphEdge {
  int64_t from = 0;
  int64_t to = 0;
};

struct SqlPlanGraph {
  std::vector<SqlGraphNode> nodes;
  std::vector<SqlGraphEdge> edges;
};

// Builds Spark's SparkPlanGraph from a SparkPlanInfo tree.
SqlPlanGraph build_plan_graph(const SparkPlanInfo& plan);

// Metric values reported by the tasks of one stage attempt (LiveStageMetrics).
struct SqlStageMetrics {
  int stage_id = 0;
  int attempt_id = 0;
  int num_tasks = 0;
  // Shared with the execution: accumulator id -> metric type.
  std::shared_ptr<std::unordered_map<int64_t, std::string>> accum_types;
  std::unordered_map<int64_t, int> task_indices;  // task id -> index
  std::set<int> completed_indices;
  std::unordered_map<int64_t, std::vector<int64_t>> values;  // by task index
  std::vector<int64_t> value_order;                          // accumulator ids, first seen first
  struct Max {
    int64_t value = 0;
    int64_t task_id = 0;
  };
  std::unordered_map<int64_t, Max> max_values;
};

struct SqlExecution {
  bool written = false;
  int64_t execution_id = 0;
  std::optional<std::string> description;
  std::optional<std::string> details;
  std::optional<std::string> physical_plan_description;
  // Accumulator id -> metric type, of every plan the execution had (Spark keeps the metrics
  // themselves; only their types are read).
  std::shared_ptr<std::unordered_map<int64_t, std::string>> accum_types =
      std::make_shared<std::unordered_map<int64_t, std::string>>();
  int64_t submission_time = -1;
  std::optional<int64_t> completion_time;
  std::optional<std::string> error_message;
  // Job id -> status, in insertion order (Scala's immutable Map order is derived from it).
  std::vector<std::pair<int, JobStatus>> jobs;
  std::set<int> stages;
  std::vector<std::pair<int64_t, int64_t>> driver_accum_updates;
  std::optional<std::map<int64_t, std::string>> metric_values;
  int end_events = 0;
};

struct SqlState {
  std::map<int64_t, std::shared_ptr<SqlExecution>> live;
  std::map<int64_t, std::shared_ptr<SqlExecution>> executions;  // written
  std::map<int, std::shared_ptr<SqlStageMetrics>> stage_metrics;
  std::map<int64_t, std::shared_ptr<const SqlPlanGraph>> graphs;  // written plan graphs
  // {completion time, id} of executions written with a completion time, oldest first: the
  // candidates of the retention cleanup. Entries go stale (an execution removed or written
  // anew) and are checked against `executions` when taken.
  std::priority_queue<std::pair<int64_t, int64_t>, std::vector<std::pair<int64_t, int64_t>>,
                      std::greater<>>
      finished;
};

// SQLMetrics.stringValue: a metric's values (and the task that reported the largest, as
// {value, stageId, attemptId, taskId}, empty for "driver") as the UI shows them.
std::string sql_metric_string(const std::string& metric_type, const std::vector<int64_t>& values,
                              const std::vector<int64_t>& max_metric);

}  // namespace sp::history
