// SQL executions as Spark's SQLAppStatusListener keeps them: plan graph, per-task metric values
// by accumulator, and the aggregated metric strings shown by /sql.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "history/events.h"
#include "history/model.h"

namespace sp::history {

struct SqlPlanMetric {
  std::string name;
  int64_t accumulator_id = 0;
  std::string metric_type;
};

// A node of SparkPlanGraph (a plan operator or a WholeStageCodegen cluster).
struct SqlGraphNode {
  int64_t id = 0;
  std::string name;
  std::string desc;
  std::vector<SqlPlanMetric> metrics;
  bool is_cluster = false;
  std::vector<SqlGraphNode> children;  // cluster members
};

struct SqlGraphEdge {
  int64_t from = 0;
  int64_t to = 0;
};

struct SqlPlanGraph {
  std::vector<SqlGraphNode> nodes;
  std::vector<SqlGraphEdge> edges;
};

// Metric values of the tasks of one stage attempt (LiveStageMetrics).
struct SqlStageMetrics {
  int stage_id = 0;
  int attempt_id = 0;
  int num_tasks = 0;
  std::unordered_map<int64_t, std::string> accum_types;  // accumulator id -> metric type
  // Per accumulator: value per task index (the latest successful attempt wins), and the task
  // that reported the largest value.
  struct Accum {
    std::vector<int64_t> values;  // by task index
    std::vector<bool> has_value;
    int64_t max_value = INT64_MIN;
    int64_t max_task_id = -1;
    bool has_max = false;
  };
  std::unordered_map<int64_t, Accum> accums;
  std::unordered_map<int64_t, int> task_index;  // task id -> index
  std::set<int64_t> succeeded_tasks;
};

struct SqlExecution {
  int64_t execution_id = 0;
  int64_t root_execution_id = 0;
  std::string description;
  std::string details;
  std::string physical_plan_description;
  std::vector<SqlPlanMetric> metrics;  // all plan metrics (de-duplicated by accumulator id)
  int64_t submission_time = -1;
  std::optional<int64_t> completion_time;
  std::optional<std::string> error_message;
  std::map<int, JobStatus> jobs;
  std::set<int> stages;
  std::vector<std::pair<int64_t, int64_t>> driver_accum_updates;
  std::optional<std::map<int64_t, std::string>> metric_values;  // once aggregated
  SqlPlanGraph graph;
};

struct SqlState {
  std::map<int64_t, std::shared_ptr<SqlExecution>> executions;
  std::unordered_map<int, std::shared_ptr<SqlStageMetrics>> stage_metrics;
};

}  // namespace sp::history
