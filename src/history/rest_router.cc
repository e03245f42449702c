// Routes /api/v1/applications/<app>[/<attempt>]/... to the resource writers, as Spark's
// Jersey resources match them (numeric path ids, 404 for unknown paths).
#include <charconv>

#include "history/api_internal.h"

namespace sp::history {

namespace {

std::vector<std::string_view> split_path(std::string_view p) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= p.size()) {
    size_t slash = p.find('/', start);
    if (slash == std::string_view::npos) slash = p.size();
    if (slash > start) out.push_back(p.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// A `\d+` path parameter converted to the given integer type (404 when it does not fit).
template <typename T>
std::optional<T> numeric(std::string_view seg) {
  if (seg.empty()) return std::nullopt;
  for (char c : seg) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  T v{};
  auto r = std::from_chars(seg.data(), seg.data() + seg.size(), v);
  if (r.ec != std::errc() || r.ptr != seg.data() + seg.size()) return std::nullopt;
  return v;
}

Response text(int status, std::string message) {
  Response r;
  r.status = status;
  r.body = std::move(message);
  r.content_type = "text/plain";
  return r;
}

}  // namespace

Response app_not_found(std::string_view app_id, const std::optional<std::string>& attempt_id) {
  std::string message = "no such app: ";
  message.append(app_id);
  if (attempt_id) {
    message.push_back('/');
    message.append(*attempt_id);
  }
  return text(404, message);
}

Response serve_app(const AppStore& store, std::string_view subpath, const QueryParams& q) {
  using namespace api;
  const AppState& s = store.state();
  std::vector<std::string_view> p = split_path(subpath);
  // A path no resource matches: Jersey then reads its first segment as an attempt id and
  // answers 404 with the request path; under /stages it answers its own 404.
  auto unmatched = [&]() {
    if (!p.empty() && p[0] == "stages") return text(404, "Not Found");
    AttemptSummary a = store.summary();
    std::string uri = "/api/v1/applications/";
    uri.append(a.app_id);
    if (a.attempt_id) {
      uri.push_back('/');
      uri.append(*a.attempt_id);
    }
    for (std::string_view seg : p) {
      uri.push_back('/');
      uri.append(seg);
    }
    return text(404, uri);
  };
  JsonWriter w;
  try {
    if (p.empty()) return text(404, "Not Found");
    std::string_view r = p[0];
    if (r == "jobs" && p.size() == 1) {
      jobs_list(w, s, q);
    } else if (r == "jobs" && p.size() == 2) {
      auto id = numeric<int>(p[1]);
      if (!id) return unmatched();
      one_job(w, s, *id);
    } else if (r == "executors" && p.size() == 1) {
      executor_list(w, s, true);
    } else if ((r == "executors" && p.size() == 3 && p[2] == "threads") ||
               (r == "threads" && p.size() == 1)) {
      // Thread dumps need a live application.
      std::string exec_id =
          r == "threads" ? first(q, "executorId").value_or("") : std::string(p[1]);
      bool digits = true;  // Scala's forall: true for an empty id
      for (char c : exec_id) digits = digits && c >= '0' && c <= '9';
      if (r == "threads" && !first(q, "executorId")) {
        return text(500, "Request failed.");
      }
      if (exec_id != "driver" && !digits) {
        return text(400, "Invalid executorId: neither 'driver' nor number.");
      }
      return text(503, "Thread dumps not available through the history server.");
    } else if (r == "allexecutors" && p.size() == 1) {
      executor_list(w, s, false);
    } else if (r == "allmiscellaneousprocess" && p.size() == 1) {
      misc_process_list(w, s);
    } else if (r == "environment" && p.size() == 1) {
      environment(w, s);
    } else if (r == "storage" && p.size() >= 2 && p[1] == "rdd" && p.size() <= 3) {
      if (p.size() == 2) {
        rdd_list(w, s);
      } else {
        auto id = numeric<int>(p[2]);
        if (!id) return unmatched();
        one_rdd(w, s, *id);
      }
    } else if (r == "sql" && p.size() <= 2) {
      if (p.size() == 1) {
        sql_list(w, s, q);
      } else {
        auto id = numeric<int64_t>(p[1]);
        if (!id) return text(404, "Not Found");
        one_sql(w, s, *id, q);
      }
    } else if (r == "stages" && p.size() <= 4) {
      if (p.size() == 1) {
        stage_list(w, s, q);
      } else {
        auto id = numeric<int>(p[1]);
        if (!id) return text(404, "Not Found");
        if (p.size() == 2) {
          stage_attempts(w, s, *id, q);
        } else {
          auto attempt = numeric<int>(p[2]);
          if (!attempt) return text(404, "Not Found");
          if (p.size() == 3) {
            stage_attempt(w, s, *id, *attempt, q);
          } else if (p[3] == "taskSummary") {
            task_summary(w, s, *id, *attempt, q);
          } else if (p[3] == "taskList") {
            task_list(w, s, *id, *attempt, q);
          } else {
            return text(404, "Not Found");
          }
        }
      }
    } else {
      return unmatched();
    }
  } catch (const HttpError& e) {
    return text(e.status, e.message);
  }
  Response ok;
  ok.body = w.take();
  return ok;
}

}  // namespace sp::history
