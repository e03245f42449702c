// SparkPlanGraph from a SparkPlanInfo tree: node ids in depth-first order, WholeStageCodegen
// clusters, InputAdapter and query stages skipped, reused exchanges and subqueries linked.
#include <optional>

#include "history/sql_model.h"

namespace sp::history {

namespace {

bool same_plan(const SparkPlanInfo& a, const SparkPlanInfo& b) {
  if (a.node_name != b.node_name || a.simple_string != b.simple_string ||
      a.children.size() != b.children.size() || a.metrics.size() != b.metrics.size()) {
    return false;
  }
  for (size_t i = 0; i < a.metrics.size(); ++i) {
    const SqlMetricInfo& x = a.metrics[i];
    const SqlMetricInfo& y = b.metrics[i];
    if (x.name != y.name || x.accumulator_id != y.accumulator_id ||
        x.metric_type != y.metric_type) {
      return false;
    }
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!same_plan(a.children[i], b.children[i])) return false;
  }
  return true;
}

std::vector<SqlPlanMetric> plan_metrics(const SparkPlanInfo& p) {
  std::vector<SqlPlanMetric> out;
  for (const SqlMetricInfo& m : p.metrics) out.push_back({m.name, m.accumulator_id, m.metric_type});
  return out;
}

class GraphBuilder {
 public:
  SqlPlanGraph graph;

  // `parent`: id of the parent node (-1 for none); `cluster`: position in graph.nodes of the
  // WholeStageCodegen cluster collecting the nodes (positions stay valid as nodes are added).
  void build(const SparkPlanInfo& p, int64_t parent, std::optional<size_t> cluster) {
    const std::string& name = p.node_name;
    const SparkPlanInfo* first = p.children.empty() ? nullptr : &p.children.front();
    if (name.rfind("WholeStageCodegen", 0) == 0) {
      SqlGraphNode c;
      c.id = next_id_++;
      c.name = name;
      c.desc = p.simple_string;
      c.metrics = plan_metrics(p);
      c.is_cluster = true;
      graph.nodes.push_back(std::move(c));
      if (first) build(*first, parent, graph.nodes.size() - 1);
      return;
    }
    if (name == "InputAdapter") {
      if (first) build(*first, parent, std::nullopt);
      return;
    }
    if (name == "BroadcastQueryStage" || name == "ShuffleQueryStage" ||
        name == "TableCacheQueryStage" || name == "ResultQueryStage") {
      if (!first) return;
      if (const int64_t* id = find_exchange(*first)) {
        graph.edges.push_back({*id, parent});
      } else {
        build(*first, parent, std::nullopt);
      }
      return;
    }
    if (name == "Subquery" && cluster) {
      build(p, parent, std::nullopt);
      return;
    }
    if (name == "Subquery") {
      if (const int64_t* id = find_exchange(p)) {
        graph.edges.push_back({*id, parent});
        return;
      }
    }
    if (name == "ReusedSubquery") {
      if (first) build(*first, parent, cluster);
      return;
    }
    if (name == "ReusedExchange" && first) {
      if (const int64_t* id = find_exchange(*first)) {
        graph.edges.push_back({*id, parent});
        return;
      }
    }
    SqlGraphNode n;
    n.id = next_id_++;
    n.name = name;
    n.desc = p.simple_string;
    n.metrics = plan_metrics(p);
    int64_t id = n.id;
    if (cluster) {
      graph.nodes[*cluster].children.push_back(std::move(n));
    } else {
      graph.nodes.push_back(std::move(n));
    }
    if (name.find("Exchange") != std::string::npos || name == "Subquery") {
      exchanges_.emplace_back(&p, id);
    }
    if (parent >= 0) graph.edges.push_back({id, parent});
    for (const SparkPlanInfo& child : p.children) build(child, id, cluster);
  }

 private:
  const int64_t* find_exchange(const SparkPlanInfo& p) const {
    // A later registration of an equal plan replaces the earlier one (a HashMap put).
    for (auto it = exchanges_.rbegin(); it != exchanges_.rend(); ++it) {
      if (same_plan(*it->first, p)) return &it->second;
    }
    return nullptr;
  }

  int64_t next_id_ = 0;
  std::vector<std::pair<const SparkPlanInfo*, int64_t>> exchanges_;
};

}  // namespace

SqlPlanGraph build_plan_graph(const SparkPlanInfo& plan) {
  GraphBuilder b;
  b.build(plan, -1, std::nullopt);
  return std::move(b.graph);
}

}  // namespace sp::history
