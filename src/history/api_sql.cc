// /sql and /sql/<id> (SqlResource): executions with their job ids, plan nodes with metric
// values (newest node id first) and edges.
#include <algorithm>
#include <chrono>

#include "history/api_internal.h"
#include "history/scala_hash_order.h"

namespace sp::history::api {

namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  return s.substr(b, e - b);
}

// "WholeStageCodegen (3)" -> 3.
std::optional<int64_t> codegen_id(const std::string& cluster_name) {
  const std::string prefix = "WholeStageCodegen (";
  if (cluster_name.size() < prefix.size() + 1) return std::nullopt;
  std::string digits = cluster_name.substr(prefix.size(), cluster_name.size() - 1 - prefix.size());
  if (digits.empty()) return std::nullopt;
  size_t i = (digits[0] == '-' || digits[0] == '+') ? 1 : 0;
  if (i == digits.size()) return std::nullopt;
  int64_t v = 0;
  for (; i < digits.size(); ++i) {
    if (digits[i] < '0' || digits[i] > '9') return std::nullopt;
    v = v * 10 + (digits[i] - '0');
  }
  return digits[0] == '-' ? -v : v;
}

void write_execution(JsonWriter& w, const AppState& s, const SqlExecution& e, bool details,
                     bool plan_description) {
  std::vector<int> keys;
  for (const auto& [id, st] : e.jobs) keys.push_back(id);
  std::vector<int> running, succeeded, failed;
  for (int id : scala_immutable_int_map_order(keys)) {
    for (const auto& [jid, st] : e.jobs) {
      if (jid != id) continue;
      if (st == JobStatus::kRunning) running.push_back(id);
      if (st == JobStatus::kSucceeded) succeeded.push_back(id);
      if (st == JobStatus::kFailed) failed.push_back(id);
    }
  }
  std::string status = "RUNNING";
  if (e.completion_time) status = e.error_message ? "FAILED" : "COMPLETED";
  int64_t end = e.completion_time ? *e.completion_time
                                  : std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count();
  w.begin_object();
  w.field("id", e.execution_id);
  w.field("status", status);
  if (e.description) w.field("description", *e.description);
  if (plan_description) {
    if (e.physical_plan_description) {
      w.field("planDescription", *e.physical_plan_description);
    }
  } else {
    w.field("planDescription", "");
  }
  w.field_date("submissionTime", e.submission_time);
  w.field("duration", end - e.submission_time);
  auto ids = [&w](std::string_view name, const std::vector<int>& v) {
    w.key(name);
    w.begin_array();
    for (int id : v) w.value(id);
    w.end_array();
  };
  ids("runningJobIds", running);
  ids("successJobIds", succeeded);
  ids("failedJobIds", failed);

  w.key("nodes");
  w.begin_array();
  auto graph_it = s.sql.graphs.find(e.execution_id);
  if (details && graph_it != s.sql.graphs.end()) {
    const SqlPlanGraph& g = *graph_it->second;
    struct Out {
      const SqlGraphNode* node;
      std::optional<int64_t> codegen;
    };
    std::vector<Out> nodes;
    for (const SqlGraphNode& n : g.nodes) {
      if (n.is_cluster) {
        std::optional<int64_t> cg;
        if (trim(n.name).rfind("WholeStageCodegen", 0) == 0) cg = codegen_id(trim(n.name));
        for (const SqlGraphNode& c : n.children) nodes.push_back({&c, cg});
        nodes.push_back({&n, std::nullopt});
      } else {
        nodes.push_back({&n, std::nullopt});
      }
    }
    std::stable_sort(nodes.begin(), nodes.end(),
                     [](const Out& a, const Out& b) { return a.node->id < b.node->id; });
    std::reverse(nodes.begin(), nodes.end());
    for (const Out& o : nodes) {
      w.begin_object();
      w.field("nodeId", o.node->id);
      w.field("nodeName", trim(o.node->name));
      if (o.codegen) w.field("wholeStageCodegenId", *o.codegen);
      w.key("metrics");
      w.begin_array();
      for (const SqlPlanMetric& m : o.node->metrics) {
        if (!e.metric_values) continue;
        auto v = e.metric_values->find(m.accumulator_id);
        if (v == e.metric_values->end()) continue;
        std::string value = v->second;
        if (!value.empty() && value[0] == '\n') value.erase(0, 1);
        w.begin_object();
        w.field("name", trim(m.name));
        w.field("value", value);
        w.end_object();
      }
      w.end_array();
      w.end_object();
    }
  }
  w.end_array();
  w.key("edges");
  w.begin_array();
  if (details && graph_it != s.sql.graphs.end()) {
    for (const SqlGraphEdge& edge : graph_it->second->edges) {
      w.begin_object();
      w.field("fromId", edge.from);
      w.field("toId", edge.to);
      w.end_object();
    }
  }
  w.end_array();
  if (e.error_message) w.field("errorMessage", *e.error_message);
  w.end_object();
}

}  // namespace

void sql_list(JsonWriter& w, const AppState& s, const QueryParams& q) {
  bool details = bool_param(q, "details", true);
  bool plan = bool_param(q, "planDescription", true);
  int offset = int_param(q, "offset", 0);
  int length = int_param(q, "length", 20);
  // executionsList(offset, length): the store view's skip(offset).max(length).
  if (length <= 0) throw HttpError{500, "max must be positive."};
  w.begin_array();
  int64_t index = 0, taken = 0;
  for (const auto& [id, e] : s.sql.executions) {
    if (index++ < offset) continue;
    if (taken >= length) break;
    ++taken;
    write_execution(w, s, *e, details, plan);
  }
  w.end_array();
}

void one_sql(JsonWriter& w, const AppState& s, int64_t execution_id, const QueryParams& q) {
  bool details = bool_param(q, "details", true);
  bool plan = bool_param(q, "planDescription", true);
  auto it = s.sql.executions.find(execution_id);
  if (it == s.sql.executions.end()) {
    not_found("unknown query execution id: " + std::to_string(execution_id));
  }
  write_execution(w, s, *it->second, details, plan);
}

}  // namespace sp::history::api
