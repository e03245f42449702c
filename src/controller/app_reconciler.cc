#include "controller/app_reconciler.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/defaults.h"
#include "common/error.h"
#include "common/time_format.h"
#include "controller/labels.h"
#include "controller/restart_policy.h"
#include "controller/spec_hash.h"

namespace sp::controller {

using api::AppState;

struct AppReconciler::Ctx {
  api::SparkApplication app;
  api::SparkApplicationSpec spec;  // with defaults
  AppState observed_state;         // the state as read, before this reconcile
  Json stored_status;              // the status as read, to skip writes that change nothing
  Time now;
};

namespace {

constexpr auto kCleanupPoll = std::chrono::seconds(1);

enum class ResetKind { kRerun, kInvalidate, kSuspend };

// What the Kubeflow operator clears before running an app again.
void reset_status(api::SparkApplicationStatus& s, ResetKind kind) {
  s.spark_application_id.clear();
  s.app_state.error_message.clear();
  s.driver_info = {};
  s.executor_state.clear();
  if (kind != ResetKind::kSuspend) s.termination_time.clear();
  if (kind == ResetKind::kInvalidate) {
    s.submission_attempts = 0;
    s.execution_attempts = 0;
    s.last_submission_attempt_time.clear();
  }
}

AppState state_for(DriverPhase p) {
  switch (p) {
    case DriverPhase::kPending:
      return AppState::kSubmitted;
    case DriverPhase::kRunning:
      return AppState::kRunning;
    case DriverPhase::kSucceeded:
      return AppState::kSucceeding;
    case DriverPhase::kFailed:
      return AppState::kFailing;
    case DriverPhase::kUnknown:
      break;
  }
  return AppState::kUnknown;
}

struct DriverEvent {
  const char* type;
  const char* reason;
};

DriverEvent driver_event_for(AppState s) {
  switch (s) {
    case AppState::kSubmitted:
      return {"Normal", "SparkDriverPending"};
    case AppState::kRunning:
      return {"Normal", "SparkDriverRunning"};
    case AppState::kSucceeding:
      return {"Normal", "SparkDriverCompleted"};
    case AppState::kFailing:
      return {"Warning", "SparkDriverFailed"};
    default:
      return {"Warning", "SparkDriverUnknown"};
  }
}

bool has_finalizer(const api::ObjectMeta& m) {
  return std::find(m.finalizers.begin(), m.finalizers.end(), kFinalizer) != m.finalizers.end();
}

}  // namespace

AppReconciler::AppReconciler(Store& store, Runtime& runtime, const Clock& clock,
                             AppMetrics* metrics, AppReconcilerOptions options)
    : store_(store), runtime_(runtime), clock_(clock), metrics_(metrics), options_(options) {}

Result AppReconciler::reconcile(const std::string& ns, const std::string& name) {
  auto obj = store_.get(kSparkApplications, ns, name);
  if (!obj) return Result::done();
  Ctx c;
  try {
    c.app = api::spark_application_from_json(*obj);
    c.spec = api::with_defaults(c.app.spec);
  } catch (const Invalid& e) {
    // A stored object that no longer parses (edited by hand): say so once, do not crash.
    spdlog::warn("sparkapplication {}/{}: cannot be read: {}", ns, name, e.what());
    return Result::done();
  }
  c.observed_state = c.app.status.app_state.state;
  c.stored_status = api::status_to_json(c.app.status);
  c.now = clock_.now();

  if (!c.app.metadata.deletion_timestamp.empty()) return handle_deletion(c);
  // New apps get the finalizer with their first submission (in submit()).
  if (c.observed_state != AppState::kNew && !ensure_finalizer(c)) return Result::now();

  const bool suspend = c.spec.suspend.value_or(false);
  const AppState state = c.observed_state;
  if (suspend && !api::is_terminal(state) && state != AppState::kSuspending &&
      state != AppState::kSuspended) {
    c.app.status.app_state.state = AppState::kSuspending;
    if (commit_status(c)) {
      event(c, "Warning", "SparkApplicationSuspending",
            "SparkApplication " + name + " is suspending");
    }
    return Result::now();
  }
  if (spec_changed(c)) {
    spdlog::info("sparkapplication {}/{}: spec changed in state {}, invalidating", ns, name,
                 api::to_string(state));
    c.app.status.app_state.state = AppState::kInvalidating;
    commit_status(c);
    return Result::now();
  }

  switch (state) {
    case AppState::kNew:
      // No SparkApplicationAdded Event: the Kubeflow operator (v2) records none on this path
      // either, only SparkApplicationSubmitted once the submission is done. One write less
      // per application, when the API server is busiest.
      return submit(c);
    case AppState::kSubmitted:
    case AppState::kRunning:
    case AppState::kUnknown:
      return observe_driver(c);
    case AppState::kSucceeding:
      return on_succeeding(c);
    case AppState::kFailing:
      return on_failing(c);
    case AppState::kSubmissionFailed:
      return on_submission_failed(c);
    case AppState::kPendingRerun:
      if (!runtime_.delete_resources(c.app)) return Result::after(kCleanupPoll);
      event(c, "Warning", "SparkApplicationPendingRerun",
            "SparkApplication " + name + " is pending rerun");
      return submit(c);
    case AppState::kInvalidating:
      return rerun_after_cleanup(c, AppState::kInvalidating);
    case AppState::kSuspending:
      if (!runtime_.delete_resources(c.app)) return Result::after(kCleanupPoll);
      reset_status(c.app.status, ResetKind::kSuspend);
      c.app.status.app_state.state = AppState::kSuspended;
      if (commit_status(c)) {
        event(c, "Warning", "SparkApplicationSuspended",
              "SparkApplication " + name + " is suspended");
      }
      return Result::done();
    case AppState::kSuspended:
      if (suspend) return Result::done();
      c.app.status.app_state.state = AppState::kResuming;
      if (commit_status(c)) {
        event(c, "Warning", "SparkApplicationResuming",
              "SparkApplication " + name + " is resuming");
      }
      return Result::now();
    case AppState::kResuming:
      return submit(c);
    case AppState::kCompleted:
    case AppState::kFailed:
      return on_terminated(c);
  }
  return Result::done();
}

bool AppReconciler::spec_changed(const Ctx& c) const {
  switch (c.observed_state) {
    case AppState::kNew:
    case AppState::kInvalidating:
    case AppState::kPendingRerun:
    case AppState::kSuspending:
    case AppState::kSuspended:
    case AppState::kResuming:
      return false;  // the next submission uses the current spec anyway
    default:
      break;
  }
  return submitted_with_other_spec(c.app.status.submission_id, c.app.spec_raw);
}

bool AppReconciler::ensure_finalizer(Ctx& c) {
  if (runtime_.garbage_collects() || has_finalizer(c.app.metadata)) return true;
  c.app.metadata.finalizers.push_back(kFinalizer);
  return commit_metadata(c);
}

Result AppReconciler::handle_deletion(Ctx& c) {
  if (!runtime_.delete_resources(c.app)) return Result::after(kCleanupPoll);
  if (!has_finalizer(c.app.metadata)) return Result::done();
  std::erase(c.app.metadata.finalizers, std::string(kFinalizer));
  if (!commit_metadata(c)) return Result::now();
  return Result::done();
}

Result AppReconciler::submit(Ctx& c) {
  auto& st = c.app.status;
  const int attempt = st.submission_attempts + 1;
  // Deterministic: a reconcile repeated after a lost status write reuses the same id, and
  // the runtime starts one driver per id. It also records which spec this run uses.
  const std::string submission_id = submission_id_for(
      c.app.spec_raw, c.app.metadata.uid + "/" + std::to_string(c.app.metadata.generation) + "/" +
                          std::to_string(st.execution_attempts) + "/" + std::to_string(attempt));
  // Where the runtime leaves cleanup on deletion to the app: before its resources exist.
  if (!ensure_finalizer(c)) return Result::now();

  api::SparkApplication defaulted = c.app;
  defaulted.spec = c.spec;
  SubmitResult r = runtime_.submit(defaulted, submission_id);

  st.submission_id = submission_id;
  st.last_submission_attempt_time = format_rfc3339(c.now);
  st.submission_attempts = attempt;
  st.driver_info = {};
  st.driver_info.pod_name = r.pod_name;
  st.termination_time.clear();
  if (r.ok) {
    st.app_state = {AppState::kSubmitted, ""};
    st.execution_attempts += 1;
    if (commit_status(c)) {
      event(c, "Normal", "SparkApplicationSubmitted",
            "SparkApplication " + c.app.metadata.name + " was submitted successfully");
    }
    return Result::after(options_.resync);
  }
  st.app_state = {AppState::kSubmissionFailed, r.error};
  if (commit_status(c)) {
    event(c, "Warning", "SparkApplicationSubmissionFailed",
          "failed to submit SparkApplication " + c.app.metadata.name + ": " + r.error);
  }
  return Result::now();
}

Result AppReconciler::observe_driver(Ctx& c) {
  auto& st = c.app.status;
  DriverObservation obs = runtime_.observe(c.app);
  if (!obs.exists) {
    auto last = parse_rfc3339(st.last_submission_attempt_time);
    if (c.observed_state == AppState::kSubmitted && last &&
        c.now - *last < options_.driver_creation_grace) {
      return Result::after(kCleanupPoll);
    }
    st.app_state = {AppState::kFailing, "driver pod not found"};
    st.termination_time = format_rfc3339(c.now);
    commit_status(c);
    return Result::now();
  }

  const AppState next = state_for(obs.phase);
  if (!obs.spark_application_id.empty()) st.spark_application_id = obs.spark_application_id;
  if (!obs.pod_name.empty()) st.driver_info.pod_name = obs.pod_name;
  if (!obs.web_ui_address.empty()) st.driver_info.web_ui_address = obs.web_ui_address;
  if (obs.web_ui_port != 0) st.driver_info.web_ui_port = obs.web_ui_port;
  auto copy_if_set = [](std::string& to, const std::string& from) {
    if (!from.empty()) to = from;
  };
  copy_if_set(st.driver_info.web_ui_service_name, obs.web_ui_service_name);
  copy_if_set(st.driver_info.web_ui_ingress_name, obs.web_ui_ingress_name);
  copy_if_set(st.driver_info.web_ui_ingress_address, obs.web_ui_ingress_address);
  st.executor_state = obs.executor_state;
  st.app_state.state = next;
  if (next == AppState::kFailing) st.app_state.error_message = obs.message;
  if ((next == AppState::kSucceeding || next == AppState::kFailing) &&
      st.termination_time.empty()) {
    st.termination_time = format_rfc3339(obs.finished_at.value_or(c.now));
  }
  const AppState before = c.observed_state;
  if (!commit_status(c)) return Result::now();
  if (next != before) {
    auto ev = driver_event_for(next);
    std::string msg = "Driver " + st.driver_info.pod_name + " is " + api::to_string(next);
    if (next == AppState::kFailing && !obs.message.empty()) msg += ": " + obs.message;
    event(c, ev.type, ev.reason, msg);
  }
  if (next == AppState::kSucceeding || next == AppState::kFailing) return Result::now();
  return Result::after(options_.resync);
}

Result AppReconciler::on_succeeding(Ctx& c) {
  if (should_retry(c.spec, c.app.status)) return rerun_after_cleanup(c, AppState::kSucceeding);
  c.app.status.app_state = {AppState::kCompleted, ""};
  if (commit_status(c)) {
    event(c, "Normal", "SparkApplicationCompleted",
          "SparkApplication " + c.app.metadata.name + " completed");
  }
  return Result::now();  // look again for TTL
}

Result AppReconciler::on_failing(Ctx& c) {
  if (should_retry(c.spec, c.app.status)) {
    auto wait = time_until_next_retry(c.spec, c.app.status, c.now);
    if (wait && *wait > Duration::zero()) return Result::after(*wait);
    return rerun_after_cleanup(c, AppState::kFailing);
  }
  c.app.status.app_state.state = AppState::kFailed;
  if (commit_status(c)) {
    event(c, "Warning", "SparkApplicationFailed",
          "SparkApplication " + c.app.metadata.name +
              " failed: " + c.app.status.app_state.error_message);
  }
  return Result::now();
}

Result AppReconciler::on_submission_failed(Ctx& c) {
  if (should_retry(c.spec, c.app.status)) {
    auto wait = time_until_next_retry(c.spec, c.app.status, c.now);
    if (wait && *wait > Duration::zero()) return Result::after(*wait);
    if (!runtime_.delete_resources(c.app)) return Result::after(kCleanupPoll);
    return submit(c);
  }
  c.app.status.app_state.state = AppState::kFailed;
  c.app.status.termination_time = format_rfc3339(c.now);
  if (commit_status(c)) {
    event(c, "Warning", "SparkApplicationFailed",
          "SparkApplication " + c.app.metadata.name +
              " failed: " + c.app.status.app_state.error_message);
  }
  return Result::now();
}

Result AppReconciler::rerun_after_cleanup(Ctx& c, AppState from) {
  if (!runtime_.delete_resources(c.app)) return Result::after(kCleanupPoll);
  reset_status(c.app.status,
               from == AppState::kInvalidating ? ResetKind::kInvalidate : ResetKind::kRerun);
  c.app.status.app_state = {AppState::kPendingRerun, ""};
  commit_status(c);
  return Result::now();
}

Result AppReconciler::on_terminated(Ctx& c) {
  const auto& ttl = c.spec.time_to_live_seconds;
  auto ended = parse_rfc3339(c.app.status.termination_time);
  if (!ttl || !ended) return Result::done();
  Duration left = std::chrono::seconds(*ttl) - (c.now - *ended);
  if (left > Duration::zero()) return Result::after(left);
  spdlog::info("sparkapplication {}: timeToLiveSeconds ({}) passed, deleting",
               api::object_key(c.app.metadata), *ttl);
  try {
    store_.remove(kSparkApplications, c.app.metadata.namespace_, c.app.metadata.name);
  } catch (const NotFound&) {
  }
  return Result::now();
}

bool AppReconciler::commit_status(Ctx& c) {
  Json status = api::status_to_json(c.app.status);
  if (status == c.stored_status) return true;  // nothing changed: no write, no new version
  try {
    Json stored = store_.update_status(kSparkApplications, api::to_json(c.app));
    AppState to = c.app.status.app_state.state;
    if (metrics_) metrics_->on_transition(c.app, c.observed_state, to, c.now);
    if (to != c.observed_state) {
      spdlog::info(
          "sparkapplication {}: {} -> {}", api::object_key(c.app.metadata),
          api::to_string(c.observed_state).empty() ? "NEW" : api::to_string(c.observed_state),
          api::to_string(to));
    }
    c.observed_state = to;
    c.stored_status = std::move(status);
    c.app.metadata = api::meta_from_json(stored["metadata"]);
    return true;
  } catch (const Conflict&) {
    return false;
  } catch (const NotFound&) {
    return false;
  }
}

bool AppReconciler::commit_metadata(Ctx& c) {
  try {
    Json stored = store_.update(kSparkApplications, api::to_json(c.app));
    c.app.metadata = api::meta_from_json(stored["metadata"]);
    return true;
  } catch (const Conflict&) {
    return false;
  } catch (const NotFound&) {
    return false;
  }
}

void AppReconciler::event(const Ctx& c, const char* type, const char* reason,
                          const std::string& message) {
  store_.record_event(Event{
      {kSparkApplications, c.app.metadata.namespace_, c.app.metadata.name, c.app.metadata.uid},
      type,
      reason,
      message});
}

}  // namespace sp::controller
