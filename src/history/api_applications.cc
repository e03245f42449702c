// The application listing and application objects (ApplicationListResource and
// OneApplicationResource over FsHistoryProvider's listing).
#include <algorithm>
#include <chrono>
#include <map>

#include "history/api_internal.h"
#include "history/spark_format.h"

namespace sp::history {

namespace {

struct AppEntry {
  std::string id;
  std::string name;
  std::vector<const AttemptSummary*> attempts;  // newest start first
};

// Groups attempts by application, as FsHistoryProvider.addListing merges them: an attempt id
// seen again replaces the earlier one; attempts sorted by start time, newest first.
std::vector<AppEntry> group_apps(const std::vector<AttemptSummary>& all) {
  std::map<std::string, AppEntry> by_id;
  for (const AttemptSummary& a : all) {
    if (!a.has_app_id()) continue;
    AppEntry& e = by_id[a.app_id];
    e.id = a.app_id;
    auto& atts = e.attempts;
    atts.erase(
        std::remove_if(atts.begin(), atts.end(),
                       [&](const AttemptSummary* x) { return x->attempt_id == a.attempt_id; }),
        atts.end());
    atts.push_back(&a);
    std::stable_sort(atts.begin(), atts.end(),
                     [](const AttemptSummary* x, const AttemptSummary* y) {
                       return x->start_time > y->start_time;
                     });
    e.name = a.name;
  }
  std::vector<AppEntry> apps;
  for (auto& [id, e] : by_id) apps.push_back(std::move(e));
  // The listing's "endTime" index, iterated in reverse: newest end first, then id descending.
  std::stable_sort(apps.begin(), apps.end(), [](const AppEntry& x, const AppEntry& y) {
    int64_t ex = x.attempts.front()->end_time, ey = y.attempts.front()->end_time;
    if (ex != ey) return ex > ey;
    return x.id > y.id;
  });
  return apps;
}

void write_attempt(JsonWriter& w, const AttemptSummary& a) {
  w.begin_object();
  if (a.attempt_id) w.field("attemptId", *a.attempt_id);
  w.field_date("startTime", a.start_time);
  w.field_date("endTime", a.end_time);
  w.field_date("lastUpdated", a.last_updated);
  w.field("duration", a.duration);
  w.field("sparkUser", a.spark_user);
  w.field("completed", a.completed);
  w.field("appSparkVersion", a.app_spark_version);
  w.field("startTimeEpoch", a.start_time);
  w.field("endTimeEpoch", a.end_time);
  w.field("lastUpdatedEpoch", a.last_updated);
  w.end_object();
}

void write_app(JsonWriter& w, const AppEntry& app) {
  w.begin_object();
  w.field("id", app.id);
  w.field("name", app.name);
  w.key("attempts");
  w.begin_array();
  for (const AttemptSummary* a : app.attempts) write_attempt(w, *a);
  w.end_array();
  w.end_object();
}

int64_t date_param(const QueryParams& q, std::string_view name, std::string_view def) {
  std::string v = api::first(q, name).value_or(std::string(def));
  if (v.empty()) v = std::string(def);
  auto ts = parse_simple_date_param(v);
  if (!ts) api::bad_request("Couldn't parse date: " + v);
  return *ts;
}

}  // namespace

std::string application_list_json(const std::vector<AttemptSummary>& all_attempts,
                                  const QueryParams& q, int* http_status) {
  try {
    std::vector<std::string> statuses = api::enum_list(q, "status", {"COMPLETED", "RUNNING"});
    int64_t min_date = date_param(q, "minDate", "2010-01-01");
    int64_t max_date = date_param(q, "maxDate", "3000-01-01");
    int64_t min_end = date_param(q, "minEndDate", "2010-01-01");
    int64_t max_end = date_param(q, "maxEndDate", "3000-01-01");
    int limit = INT32_MAX;
    if (auto l = api::first(q, "limit"); l && !l->empty()) {
      auto n = parse_java_int(*l);
      if (!n) api::not_found("Not Found");
      limit = *n;
    }
    bool include_completed = statuses.empty() || std::find(statuses.begin(), statuses.end(),
                                                           "COMPLETED") != statuses.end();
    bool include_running = statuses.empty() ||
                           std::find(statuses.begin(), statuses.end(), "RUNNING") != statuses.end();
    int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();

    JsonWriter w;
    w.begin_array();
    int64_t taken = 0;
    for (const AppEntry& app : group_apps(all_attempts)) {
      if (taken >= limit) break;
      bool any_running = !app.attempts.front()->completed;
      if (!((!any_running && include_completed) || (any_running && include_running))) continue;
      bool in_range = false;
      for (const AttemptSummary* a : app.attempts) {
        bool start_ok = a->start_time >= min_date && a->start_time <= max_date;
        bool end_ok_running = any_running && max_end > now;
        bool end_ok_completed = !any_running && a->end_time >= min_end && a->end_time <= max_end;
        if (start_ok && (end_ok_running || end_ok_completed)) {
          in_range = true;
          break;
        }
      }
      if (!in_range) continue;
      write_app(w, app);
      ++taken;
    }
    w.end_array();
    *http_status = 200;
    return w.take();
  } catch (const api::HttpError& e) {
    *http_status = e.status;
    return e.message;
  }
}

Response application_json(const std::vector<AttemptSummary>& all_attempts, std::string_view app_id,
                          const std::optional<std::string>& attempt_id) {
  Response r;
  for (const AppEntry& app : group_apps(all_attempts)) {
    if (app.id != app_id) continue;
    JsonWriter w;
    if (!attempt_id) {
      write_app(w, app);
      r.body = w.take();
      return r;
    }
    for (const AttemptSummary* a : app.attempts) {
      if (a->attempt_id == attempt_id) {
        write_attempt(w, *a);
        r.body = w.take();
        return r;
      }
    }
    break;
  }
  r.status = 404;
  r.content_type = "text/plain";
  if (attempt_id) {
    r.body = "unknown app " + std::string(app_id) + ", attempt " + *attempt_id;
  } else {
    r.body = "unknown app: " + std::string(app_id);
  }
  return r;
}

}  // namespace sp::history
