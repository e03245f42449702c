#include "history/app_store.h"

#include "history/app_state.h"
#include "history/event_parser.h"
#include "history/sql_listener.h"
#include "history/status_listener.h"

namespace sp::history {

namespace {

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
  ParsedLine line;  // apply_line's, reused
  AppState state;
  StatusListener listener{state};
  SqlListener sql{state};
  AppStoreStats stats;
  // Listing data, with Spark's AppListingListener rules.
  AttemptSummary listing;
  bool got_env_update = false;
  std::optional<int64_t> last_updated;
  int64_t flushed_at = 0;  // the "now" of the last flush

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
        listing.view_acls = non_empty(find_property(env->spark, "spark.ui.view.acls"));
        listing.admin_acls = non_empty(find_property(env->spark, "spark.admin.acls"));
        listing.view_acls_groups =
            non_empty(find_property(env->spark, "spark.ui.view.acls.groups"));
        listing.admin_acls_groups = non_empty(find_property(env->spark, "spark.admin.acls.groups"));
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
  impl_->parser.parse_line(json_line, impl_->line);
  apply_parsed(impl_->line);
}

void AppStore::apply_parsed(ParsedLine& line) {
  Impl& m = *impl_;
  ++m.stats.lines;
  if (line.kind == ParsedLine::Kind::kBlank) return;  // e.g. a trailing newline
  if (line.kind == ParsedLine::Kind::kMalformed) {
    ++m.stats.malformed_lines;
    if (m.stats.first_error.empty()) {
      m.stats.first_error = "line " + std::to_string(m.stats.lines) + ": " + line.error;
    }
    return;
  }
  ++m.stats.events;
  Event& ev = line.event;
  if (std::holds_alternative<IgnoredEvent>(ev)) {
    ++m.stats.ignored_events;
    return;
  }
  if (m.state.finished) unflush();
  m.on_listing(ev);
  m.sql.on_event(ev);
  m.listener.on_event(ev);
}

void AppStore::set_last_updated(int64_t epoch_ms) { impl_->last_updated = epoch_ms; }

void AppStore::flush() {
  Impl& m = *impl_;
  // The "now" of the tasks still running, only while they are written: the replay itself never
  // sees it (as when the modification time is set after the last line).
  const int64_t now = m.last_updated
                          ? *m.last_updated
                          : (m.listing.completed ? m.listing.end_time : m.listing.start_time);
  if (m.state.finished) {
    if (m.flushed_at == now) return;
    unflush();
  }
  m.flushed_at = now;
  m.state.last_update_time = now;
  m.listener.flush();
  m.sql.flush();
  m.state.last_update_time.reset();
  m.state.tasks.finish();
  {
    std::lock_guard lock(m.state.quantile_cache.mu);
    m.state.quantile_cache.entries.clear();
  }
  m.state.finished = true;
}

void AppStore::unflush() {
  Impl& m = *impl_;
  m.sql.unflush();
  m.listener.unflush();
  m.state.finished = false;
}

bool AppStore::flushed() const { return impl_->state.finished; }

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
