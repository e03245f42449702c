#include "history/app_store.h"

#include "history/app_state.h"
#include "history/event_parser.h"
#include "history/sql_listener.h"
#include "history/status_listener.h"

namespace sp::history {

namespace {

const std::string* find_prop(const StringPairs& props, std::string_view key) {
  for (const auto& [k, v] : props) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::optional<std::string> non_empty(const std::string* v) {
  if (v == nullptr || v->empty()) return std::nullopt;
  return *v;
}

size_t pairs_bytes(const StringPairs& p) {
  size_t b = 0;
  for (const auto& [k, v] : p) b += k.size() + v.size() + 64;
  return b;
}

}  // namespace

struct AppStore::Impl {
  EventParser parser;
  AppState state;
  StatusListener listener{state};
  SqlListener sql{state};
  AppStoreStats stats;
  // Listing data, with Spark's AppListingListener rules.
  AttemptSummary listing;
  bool got_env_update = false;
  std::optional<int64_t> last_updated;

  void on_listing(const Event& ev) {
    if (const auto* start = std::get_if<ApplicationStartEvent>(&ev)) {
      listing.app_id = start->app_id.value_or(std::string());
      listing.name = start->app_name;
      listing.attempt_id = start->attempt_id;
      listing.start_time = start->time;
      listing.spark_user = start->user;
    } else if (const auto* end = std::get_if<ApplicationEndEvent>(&ev)) {
      listing.end_time = end->time;
      listing.duration = end->time - listing.start_time;
      listing.completed = true;
    } else if (const auto* env = std::get_if<EnvironmentUpdateEvent>(&ev)) {
      if (!got_env_update) {
        got_env_update = true;
        listing.view_acls = non_empty(find_prop(env->spark, "spark.ui.view.acls"));
        listing.admin_acls = non_empty(find_prop(env->spark, "spark.admin.acls"));
        listing.view_acls_groups = non_empty(find_prop(env->spark, "spark.ui.view.acls.groups"));
        listing.admin_acls_groups = non_empty(find_prop(env->spark, "spark.admin.acls.groups"));
      }
    } else if (const auto* log = std::get_if<LogStartEvent>(&ev)) {
      listing.app_spark_version = log->spark_version;
    }
  }
};

AppStore::AppStore(const RetentionLimits& limits) : impl_(std::make_unique<Impl>()) {
  ReplayLimits& l = impl_->state.limits;
  l.retained_jobs = limits.jobs;
  l.retained_stages = limits.stages;
  l.retained_tasks_per_stage = limits.tasks_per_stage;
  l.retained_dead_executors = limits.dead_executors;
  l.retained_sql_executions = limits.sql_executions;
}
AppStore::~AppStore() = default;

void AppStore::apply_line(std::string_view json_line) {
  Impl& m = *impl_;
  ++m.stats.lines;
  if (m.state.finished) return;
  // Blank lines (e.g. a trailing newline) are not events.
  bool blank = true;
  for (char c : json_line) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      blank = false;
      break;
    }
  }
  if (blank) return;
  Event ev;
  std::string error;
  if (!m.parser.parse(json_line, ev, m.stats.first_error.empty() ? &error : nullptr)) {
    ++m.stats.malformed_lines;
    if (m.stats.first_error.empty()) {
      m.stats.first_error = "line " + std::to_string(m.stats.lines) + ": " + error;
    }
    return;
  }
  ++m.stats.events;
  if (std::holds_alternative<IgnoredEvent>(ev)) {
    ++m.stats.ignored_events;
    return;
  }
  m.on_listing(ev);
  m.sql.on_event(ev);
  m.listener.on_event(ev);
}

void AppStore::set_last_updated(int64_t epoch_ms) {
  impl_->last_updated = epoch_ms;
  impl_->state.last_update_time = epoch_ms;
}

void AppStore::finish() {
  Impl& m = *impl_;
  if (m.state.finished) return;
  if (!m.state.last_update_time) {
    m.state.last_update_time = m.listing.completed ? m.listing.end_time : m.listing.start_time;
  }
  m.listener.flush();
  m.sql.flush();
  m.state.tasks.finish();
  m.state.finished = true;
}

bool AppStore::finished() const { return impl_->state.finished; }

AttemptSummary AppStore::summary() const {
  AttemptSummary s = impl_->listing;
  if (impl_->last_updated) {
    s.last_updated = *impl_->last_updated;
  } else {
    s.last_updated = s.completed ? s.end_time : s.start_time;
  }
  return s;
}

const AppStoreStats& AppStore::stats() const { return impl_->stats; }

std::size_t AppStore::memory_bytes() const {
  const AppState& s = impl_->state;
  size_t b = sizeof(Impl) + s.tasks.memory_bytes();
  b += s.jobs.size() * (sizeof(JobData) + 256) + s.live_jobs.size() * 512;
  for (const auto& [k, st] : s.stages) {
    b += sizeof(Stage) + 512 + st->info.name.size() + st->info.details.size() +
         st->completed_indices.size() * 16 + st->info.accumulables.size() * 128;
  }
  b += s.exec_summaries.size() * (sizeof(ExecutorStageSummary) + 96);
  for (const auto& [k, e] : s.executors) {
    b += sizeof(Executor) + 256 + pairs_bytes(e->executor_logs) + pairs_bytes(e->attributes);
  }
  for (const auto& [k, r] : s.rdds) {
    b += sizeof(Rdd) + r->partitions.size() * 160 + r->distributions.size() * 128;
  }
  for (const auto& [k, t] : s.live_tasks) b += sizeof(LiveTask) + 128 + t.info.host.size();
  if (s.environment) {
    const EnvironmentUpdateEvent& e = *s.environment;
    b += pairs_bytes(e.jvm) + pairs_bytes(e.spark) + pairs_bytes(e.hadoop) + pairs_bytes(e.system) +
         pairs_bytes(e.metrics) + pairs_bytes(e.classpath);
  }
  b += impl_->sql.memory_bytes();
  return b;
}

const AppState& AppStore::state() const { return impl_->state; }

}  // namespace sp::history
