#include "history/sql_listener.h"

#include <algorithm>
#include <charconv>

namespace sp::history {

namespace {

// Records the metric type of each accumulator of the plan (Spark's
// planGraph.allNodes.flatMap(_.metrics): a cluster after its operators; a later one wins).
void record_metric_types(SqlExecution& e, const SqlPlanGraph& g) {
  auto& types = *e.accum_types;
  auto add = [&types](const SqlGraphNode& n) {
    for (const SqlPlanMetric& m : n.metrics) types[m.accumulator_id] = m.metric_type;
  };
  for (const SqlGraphNode& n : g.nodes) {
    if (n.is_cluster) {
      for (const SqlGraphNode& c : n.children) add(c);
    }
    add(n);
  }
}

void set_job(SqlExecution& e, int job_id, JobStatus status) {
  for (auto& [id, st] : e.jobs) {
    if (id == job_id) {
      st = status;
      return;
    }
  }
  e.jobs.emplace_back(job_id, status);
}

bool has_job(const SqlExecution& e, int job_id) {
  for (const auto& [id, st] : e.jobs) {
    if (id == job_id) return true;
  }
  return false;
}

}  // namespace

std::shared_ptr<SqlExecution> SqlListener::get_or_create(int64_t id) {
  auto& slot = s_.sql.live[id];
  if (!slot) {
    slot = std::make_shared<SqlExecution>();
    slot->execution_id = id;
  }
  return slot;
}

void SqlListener::write(const std::shared_ptr<SqlExecution>& e) {
  bool first = !e->written;
  e->written = true;
  s_.sql.executions[e->execution_id] = e;
  if (e->completion_time && *e->completion_time >= 0) {
    s_.sql.finished.emplace(*e->completion_time, e->execution_id);
  }
  if (!first || flushing_) return;
  // cleanupExecutions: drop the oldest finished executions beyond the limit (by completion
  // time, then id).
  int64_t n = static_cast<int64_t>(s_.sql.executions.size()) - s_.limits.retained_sql_executions;
  auto& finished = s_.sql.finished;
  while (n > 0 && !finished.empty()) {
    const auto [time, id] = finished.top();
    finished.pop();
    auto it = s_.sql.executions.find(id);
    if (it == s_.sql.executions.end() || it->second->completion_time != time) continue;  // stale
    s_.sql.executions.erase(it);
    s_.sql.graphs.erase(id);
    --n;
  }
}

void SqlListener::update(const std::shared_ptr<SqlExecution>& e, bool force) {
  if (e->end_events >= static_cast<int>(e->jobs.size()) + 1) {
    write(e);
    remove_stale_metrics(*e);
    s_.sql.live.erase(e->execution_id);
  } else if (force) {
    write(e);
  }
}

void SqlListener::remove_stale_metrics(const SqlExecution& e) {
  std::set<int> active;
  for (const auto& [id, other] : s_.sql.live) {
    if (other.get() != &e) active.insert(other->stages.begin(), other->stages.end());
  }
  for (auto it = s_.sql.stage_metrics.begin(); it != s_.sql.stage_metrics.end();) {
    if (active.count(it->first) == 0) {
      it = s_.sql.stage_metrics.erase(it);
    } else {
      ++it;
    }
  }
}

bool SqlListener::is_sql_stage(int stage_id) const {
  for (const auto& [id, e] : s_.sql.live) {
    if (e->stages.count(stage_id) > 0) return true;
  }
  return false;
}

void SqlListener::update_stage_metrics(int stage_id, int attempt, int64_t task_id, int task_index,
                                       const std::vector<AccumulableInfo>& updates,
                                       bool succeeded) {
  auto it = s_.sql.stage_metrics.find(stage_id);
  if (it == s_.sql.stage_metrics.end()) return;
  SqlStageMetrics& m = *it->second;
  if (m.attempt_id != attempt) return;
  int index = task_index;
  if (index < 0) {
    auto t = m.task_indices.find(task_id);
    if (t == m.task_indices.end()) return;
    index = t->second;
  } else {
    m.task_indices[task_id] = index;
  }
  if (m.completed_indices.count(index) > 0) return;
  for (const AccumulableInfo& acc : updates) {
    if (!acc.update) continue;
    auto type = m.accum_types->find(acc.id);
    if (type == m.accum_types->end()) continue;
    int64_t value = 0;
    const std::string& u = *acc.update;
    auto r = std::from_chars(u.data(), u.data() + u.size(), value);
    if (r.ec != std::errc() || r.ptr != u.data() + u.size()) return;  // Spark's toLong fails
    // An index past the stage's task count fails in Spark too: the update is dropped.
    if (index >= m.num_tasks) return;
    auto [vals, inserted] = m.values.try_emplace(acc.id);
    if (inserted) {
      vals->second.assign(static_cast<size_t>(m.num_tasks), 0);
      m.value_order.push_back(acc.id);
    }
    vals->second[static_cast<size_t>(index)] = value;
    if (type->second != "sum") {
      auto [mx, fresh] = m.max_values.try_emplace(acc.id, SqlStageMetrics::Max{value, task_id});
      if (!fresh && value > mx->second.value) mx->second = {value, task_id};
    }
  }
  if (succeeded) m.completed_indices.insert(index);
}

std::map<int64_t, std::string> SqlListener::aggregate(const SqlExecution& e) const {
  std::map<int64_t, std::string> out;
  // Accumulator id -> metric type of every plan metric, the last plan's winning.
  const std::unordered_map<int64_t, std::string>& types = *e.accum_types;
  if (types.empty()) return out;
  std::vector<const SqlStageMetrics*> stages;
  for (int id : e.stages) {
    auto it = s_.sql.stage_metrics.find(id);
    if (it != s_.sql.stage_metrics.end()) stages.push_back(it->second.get());
  }
  std::map<int64_t, std::vector<int64_t>> values;
  std::map<int64_t, std::vector<int64_t>> max_of;  // {value, stageId, attemptId, taskId}
  for (const SqlStageMetrics* st : stages) {
    for (int64_t id : st->value_order) {
      if (types.count(id) == 0) continue;
      const std::vector<int64_t>& v = st->values.at(id);
      auto& all = values[id];
      all.insert(all.end(), v.begin(), v.end());
    }
    for (const auto& [id, mx] : st->max_values) {
      if (types.count(id) == 0) continue;
      auto [it, fresh] = max_of.try_emplace(
          id, std::vector<int64_t>{mx.value, st->stage_id, st->attempt_id, mx.task_id});
      if (!fresh && mx.value > it->second[0]) {
        it->second = {mx.value, st->stage_id, st->attempt_id, mx.task_id};
      }
    }
  }
  for (const auto& [id, value] : e.driver_accum_updates) {
    if (types.count(id) == 0) continue;
    auto mx = max_of.find(id);
    if (mx != max_of.end() && value > mx->second[0]) max_of.erase(mx);
    values[id].push_back(value);
  }
  for (const auto& [id, v] : values) {
    auto mx = max_of.find(id);
    out[id] = sql_metric_string(types.at(id), v,
                                mx == max_of.end() ? std::vector<int64_t>{} : mx->second);
  }
  return out;
}

void SqlListener::on_event(const Event& event) {
  if (const auto* js = std::get_if<JobStartEvent>(&event)) {
    const std::string* id_text = find_property(js->properties, "spark.sql.execution.id");
    if (id_text == nullptr) return;
    int64_t exec_id = 0;
    auto r = std::from_chars(id_text->data(), id_text->data() + id_text->size(), exec_id);
    if (r.ec != std::errc() || r.ptr != id_text->data() + id_text->size()) return;
    std::shared_ptr<SqlExecution> e;
    auto live = s_.sql.live.find(exec_id);
    if (live != s_.sql.live.end()) {
      e = live->second;
    } else if (auto stored = s_.sql.executions.find(exec_id); stored != s_.sql.executions.end()) {
      // An ended execution gets a job again: tracked anew from its stored data.
      e = std::make_shared<SqlExecution>(*stored->second);
      e->accum_types =
          std::make_shared<std::unordered_map<int64_t, std::string>>(*stored->second->accum_types);
      e->end_events = static_cast<int>(e->jobs.size()) + 1;
      e->written = false;
      s_.sql.live[exec_id] = e;
    } else {
      e = get_or_create(exec_id);
    }
    if (!e->accum_types->empty()) {
      for (const StageInfo& st : js->stage_infos) {
        auto m = std::make_shared<SqlStageMetrics>();
        m->stage_id = st.stage_id;
        m->attempt_id = 0;
        m->num_tasks = st.num_tasks;
        m->accum_types = e->accum_types;
        s_.sql.stage_metrics[st.stage_id] = m;
      }
    }
    set_job(*e, js->job_id, JobStatus::kRunning);
    e->stages.insert(js->stage_ids.begin(), js->stage_ids.end());
    update(e, true);
  } else if (const auto* ss = std::get_if<StageSubmittedEvent>(&event)) {
    if (!is_sql_stage(ss->stage.stage_id)) return;
    auto it = s_.sql.stage_metrics.find(ss->stage.stage_id);
    if (it != s_.sql.stage_metrics.end() && it->second->attempt_id != ss->stage.attempt_id) {
      auto m = std::make_shared<SqlStageMetrics>();
      m->stage_id = ss->stage.stage_id;
      m->attempt_id = ss->stage.attempt_id;
      m->num_tasks = it->second->num_tasks;
      m->accum_types = it->second->accum_types;
      it->second = m;
    }
  } else if (const auto* je = std::get_if<JobEndEvent>(&event)) {
    std::vector<std::shared_ptr<SqlExecution>> matches;
    for (auto& [id, e] : s_.sql.live) {
      if (has_job(*e, je->job_id)) matches.push_back(e);
    }
    for (auto& e : matches) {
      set_job(*e, je->job_id, je->succeeded ? JobStatus::kSucceeded : JobStatus::kFailed);
      e->end_events += 1;
      update(e, false);
    }
  } else if (const auto* mu = std::get_if<ExecutorMetricsUpdateEvent>(&event)) {
    for (const TaskAccumUpdates& u : mu->accum_updates) {
      update_stage_metrics(u.stage_id, u.stage_attempt_id, u.task_id, -1, u.updates, false);
    }
  } else if (const auto* ts = std::get_if<TaskStartEvent>(&event)) {
    auto it = s_.sql.stage_metrics.find(ts->stage_id);
    if (it != s_.sql.stage_metrics.end() && it->second->attempt_id == ts->stage_attempt_id) {
      it->second->task_indices[ts->task.task_id] = ts->task.index;
    }
  } else if (const auto* te = std::get_if<TaskEndEvent>(&event)) {
    if (!is_sql_stage(te->stage_id)) return;
    update_stage_metrics(te->stage_id, te->stage_attempt_id, te->task.task_id, te->task.index,
                         te->task.accumulables, te->task.successful());
  } else if (const auto* start = std::get_if<SqlExecutionStartEvent>(&event)) {
    auto graph = std::make_shared<SqlPlanGraph>(build_plan_graph(*start->plan));
    auto e = get_or_create(start->execution_id);
    e->description = start->description;
    e->details = start->details;
    e->physical_plan_description = start->physical_plan_description;
    record_metric_types(*e, *graph);
    e->submission_time = start->time;
    s_.sql.graphs[start->execution_id] = graph;
    update(e, false);
  } else if (const auto* aqe = std::get_if<SqlAdaptiveExecutionUpdateEvent>(&event)) {
    auto graph = std::make_shared<SqlPlanGraph>(build_plan_graph(*aqe->plan));
    auto e = get_or_create(aqe->execution_id);
    e->physical_plan_description = aqe->physical_plan_description;
    record_metric_types(*e, *graph);
    s_.sql.graphs[aqe->execution_id] = graph;
    update(e, false);
  } else if (const auto* mu2 = std::get_if<SqlAdaptiveMetricUpdatesEvent>(&event)) {
    auto e = get_or_create(mu2->execution_id);
    for (const SqlMetricInfo& m : mu2->metrics) (*e->accum_types)[m.accumulator_id] = m.metric_type;
    update(e, false);
  } else if (const auto* end = std::get_if<SqlExecutionEndEvent>(&event)) {
    auto it = s_.sql.live.find(end->execution_id);
    if (it == s_.sql.live.end()) return;
    std::shared_ptr<SqlExecution> e = it->second;
    e->completion_time = end->time;
    e->error_message = end->error_message;
    update(e, false);
    e->metric_values = aggregate(*e);
    remove_stale_metrics(*e);
    e->end_events += 1;
    update(e, true);
  } else if (const auto* acc = std::get_if<SqlDriverAccumUpdatesEvent>(&event)) {
    auto it = s_.sql.live.find(acc->execution_id);
    if (it == s_.sql.live.end()) return;
    auto& u = it->second->driver_accum_updates;
    u.insert(u.end(), acc->updates.begin(), acc->updates.end());
    update(it->second, false);
  }
}

void SqlListener::flush() {
  flushing_ = true;
  undo_.written.clear();
  for (auto& [id, e] : s_.sql.live) {
    FlushUndo::Written w{e, e->written, !e->metric_values, nullptr};
    auto stored = s_.sql.executions.find(e->execution_id);
    if (stored != s_.sql.executions.end()) w.replaced = stored->second;
    undo_.written.push_back(std::move(w));
    if (!e->metric_values) e->metric_values = aggregate(*e);
    write(e);
  }
}

void SqlListener::unflush() {
  for (auto it = undo_.written.rbegin(); it != undo_.written.rend(); ++it) {
    SqlExecution& e = *it->execution;
    if (it->aggregated) e.metric_values.reset();
    e.written = it->was_written;
    if (it->replaced) {
      s_.sql.executions[e.execution_id] = it->replaced;
    } else {
      s_.sql.executions.erase(e.execution_id);
    }
  }
  undo_.written.clear();
  flushing_ = false;
}

std::size_t SqlListener::memory_bytes() const {
  size_t b = 0;
  for (const auto& [id, e] : s_.sql.executions) {
    b += sizeof(SqlExecution) + 256 + e->description.value_or("").size() +
         e->details.value_or("").size() + e->physical_plan_description.value_or("").size() +
         e->accum_types->size() * 64;
    if (e->metric_values) b += e->metric_values->size() * 128;
  }
  for (const auto& [id, g] : s_.sql.graphs) b += g->nodes.size() * 256 + g->edges.size() * 16;
  for (const auto& [id, m] : s_.sql.stage_metrics) {
    for (const auto& [acc, v] : m->values) b += v.size() * 8 + 64;
  }
  return b;
}

}  // namespace sp::history
