#include "controller/scheduled_reconciler.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/defaults.h"
#include "api/types.h"
#include "common/cron.h"
#include "common/error.h"
#include "common/time_format.h"
#include "controller/labels.h"

namespace sp::controller {

using api::AppState;

namespace {

struct Run {
  std::string name;
  std::string created;  // RFC 3339: sorts as time
  AppState state;
};

// Runs of this scheduled app, newest first.
std::vector<Run> list_runs(Store& store, const api::ScheduledSparkApplication& owner) {
  std::vector<Run> runs;
  const auto& m = owner.metadata;
  for (const Json& obj : store.list(kSparkApplications, m.namespace_,
                                    std::string(kLabelScheduledAppName) + "=" + m.name)) {
    api::ObjectMeta meta = api::meta_from_json(obj.value("metadata", Json::object()));
    bool owned = std::any_of(meta.owner_references.begin(), meta.owner_references.end(),
                             [&](const auto& r) { return r.uid == m.uid; });
    if (!owned) continue;
    const Json* state = json_at(obj, "status.applicationState.state");
    runs.push_back(
        {meta.name, meta.creation_timestamp,
         api::app_state_from_string(state && state->is_string() ? state->get<std::string>() : "")});
  }
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) {
    return a.created != b.created ? a.created > b.created : a.name > b.name;
  });
  return runs;
}

void remove_quietly(Store& store, const std::string& ns, const std::string& name) {
  try {
    store.remove(kSparkApplications, ns, name);
  } catch (const NotFound&) {
  }
}

// Keeps the newest `limit` runs that ended in `state`; deletes older ones; returns the kept names.
std::vector<std::string> prune(Store& store, const std::string& ns, const std::vector<Run>& runs,
                               AppState state, int limit) {
  std::vector<std::string> kept;
  for (const auto& r : runs) {
    if (r.state != state) continue;
    if (static_cast<int>(kept.size()) < limit) {
      kept.push_back(r.name);
    } else {
      remove_quietly(store, ns, r.name);
    }
  }
  return kept;
}

Json make_run(const api::ScheduledSparkApplication& owner, const std::string& run_name) {
  const auto& m = owner.metadata;
  Json labels = Json::object();
  for (const auto& [k, v] : m.labels) labels[k] = v;
  labels[kLabelScheduledAppName] = m.name;
  return Json{{"apiVersion", api::kApiVersion},
              {"kind", api::kSparkApplicationKind},
              {"metadata",
               {{"name", run_name},
                {"namespace", m.namespace_},
                {"labels", labels},
                {"ownerReferences", Json::array({Json{{"apiVersion", api::kApiVersion},
                                                      {"kind", api::kScheduledSparkApplicationKind},
                                                      {"name", m.name},
                                                      {"uid", m.uid},
                                                      {"blockOwnerDeletion", true}}})}}},
              {"spec", owner.spec.template_raw}};
}

}  // namespace

std::string scheduled_run_name(const std::string& scheduled_name, Time scheduled_time) {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(scheduled_time.time_since_epoch());
  return scheduled_name + "-" + std::to_string(secs.count());
}

ScheduledReconciler::ScheduledReconciler(Store& store, const Clock& clock)
    : store_(store), clock_(clock) {}

Result ScheduledReconciler::reconcile(const std::string& ns, const std::string& name) {
  auto obj = store_.get(kScheduledSparkApplications, ns, name);
  if (!obj) return Result::done();
  api::ScheduledSparkApplication app;
  try {
    app = api::scheduled_spark_application_from_json(*obj);
  } catch (const Invalid& e) {
    spdlog::warn("scheduledsparkapplication {}/{}: cannot be read: {}", ns, name, e.what());
    return Result::done();
  }
  if (!app.metadata.deletion_timestamp.empty()) return Result::done();
  const auto spec = api::with_defaults(app.spec);
  auto& st = app.status;
  const Json before = api::status_to_json(st);
  const Time now = clock_.now();

  auto commit = [&] {
    if (api::status_to_json(st) == before) return true;
    try {
      store_.update_status(kScheduledSparkApplications, api::to_json(app));
      return true;
    } catch (const Conflict&) {
      return false;
    } catch (const NotFound&) {
      return false;
    }
  };

  std::optional<CronSchedule> schedule;
  try {
    schedule.emplace(CronSchedule::parse(spec.schedule, spec.time_zone.value_or("")));
  } catch (const Invalid& e) {
    st.schedule_state = "FailedValidation";
    st.reason = e.what();
    commit();
    return Result::done();
  }

  // History first: it changes as runs end, whatever the schedule does.
  auto runs = list_runs(store_, app);
  st.past_successful_run_names =
      prune(store_, ns, runs, AppState::kCompleted, spec.successful_run_history_limit.value_or(1));
  st.past_failed_run_names =
      prune(store_, ns, runs, AppState::kFailed, spec.failed_run_history_limit.value_or(1));

  if (spec.suspend.value_or(false)) {
    return commit() ? Result::done() : Result::now();
  }

  st.schedule_state = "Scheduled";
  st.reason.clear();
  const Time candidate = schedule->next(now);
  auto next = parse_rfc3339(st.next_run);
  if (!next || candidate < *next) {
    // First schedule, or a schedule changed to an earlier time.
    if (!next || *next > now) {
      st.next_run = format_rfc3339(candidate);
      next = candidate;
    }
  }
  if (*next > now) {
    if (!commit()) return Result::now();
    return Result::after(*next - now);
  }

  // A run is due.
  bool start = true;
  if (!runs.empty()) {
    const Run& last = runs.front();
    const bool finished = api::is_terminal(last.state);
    if (spec.concurrency_policy == "Forbid") {
      start = finished;
    } else if (spec.concurrency_policy == "Replace") {
      for (const auto& r : runs) {
        if (!api::is_terminal(r.state)) remove_quietly(store_, ns, r.name);
      }
    }
  }
  if (!start) {
    // Forbid with a run still going: skip this activation, as the Kubeflow operator does.
    st.next_run = format_rfc3339(candidate);
    if (!commit()) return Result::now();
    return Result::after(candidate - now);
  }

  const std::string run_name = scheduled_run_name(name, *next);
  try {
    store_.create(kSparkApplications, make_run(app, run_name));
    spdlog::info("scheduledsparkapplication {}/{}: started run {}", ns, name, run_name);
  } catch (const Conflict&) {
    // Created by an earlier attempt of this same reconcile: nothing more to do.
  }
  st.last_run = format_rfc3339(now);
  st.last_run_name = run_name;
  st.next_run = format_rfc3339(candidate);
  if (!commit()) return Result::now();
  return Result::after(candidate - now);
}

}  // namespace sp::controller
