#include "history_test_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "history/api_path.h"

namespace sp::history::testing {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

int64_t mtime_ms(const fs::path& p) {
  auto t = fs::last_write_time(p);
  auto sys = std::chrono::file_clock::to_sys(t);
  return std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
}

void split_lines(const std::string& data, std::vector<std::string>& out) {
  size_t start = 0;
  while (start < data.size()) {
    size_t nl = data.find('\n', start);
    if (nl == std::string::npos) nl = data.size();
    out.push_back(data.substr(start, nl - start));
    start = nl + 1;
  }
}

// events_<index>_<appId>[.<codec>] files of a rolling event log directory, by index.
std::vector<fs::path> rolling_files(const fs::path& dir) {
  std::vector<std::pair<long, fs::path>> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.rfind("events_", 0) != 0) continue;
    long index = std::strtol(name.c_str() + 7, nullptr, 10);
    files.emplace_back(index, e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<fs::path> out;
  for (auto& f : files) out.push_back(f.second);
  return out;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> log_lines(const std::string& path) {
  std::vector<std::string> lines;
  fs::path p(path);
  if (fs::is_directory(p)) {
    for (const fs::path& f : rolling_files(p)) split_lines(read_file(f.string()), lines);
  } else {
    split_lines(read_file(path), lines);
  }
  return lines;
}

int64_t log_mtime_ms(const std::string& path) {
  fs::path p(path);
  if (!fs::is_directory(p)) return mtime_ms(p);
  int64_t mtime = 0;
  for (const fs::path& f : rolling_files(p)) mtime = std::max(mtime, mtime_ms(f));
  return mtime;
}

std::unique_ptr<AppStore> load_log(const std::string& path, const RetentionLimits& limits) {
  auto store = std::make_unique<AppStore>(limits);
  for (const std::string& line : log_lines(path)) store->apply_line(line);
  store->set_last_updated(log_mtime_ms(path));
  store->finish();
  return store;
}

LoadedLogs load_log_dir(const std::string& dir, const RetentionLimits& limits) {
  LoadedLogs out;
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().rfind('.', 0) == 0) continue;
    entries.push_back(e.path());
  }
  std::sort(entries.begin(), entries.end());
  for (const fs::path& p : entries) {
    out.stores.push_back(load_log(p.string(), limits));
    out.summaries.push_back(out.stores.back()->summary());
    out.paths.push_back(p.string());
  }
  return out;
}

Response route(const LoadedLogs& logs, const std::string& url) {
  std::string path = url;
  QueryParams q;
  size_t qm = url.find('?');
  if (qm != std::string::npos) {
    path = url.substr(0, qm);
    std::string query = url.substr(qm + 1);
    size_t start = 0;
    while (start < query.size()) {
      size_t amp = query.find('&', start);
      if (amp == std::string::npos) amp = query.size();
      std::string kv = query.substr(start, amp - start);
      size_t eq = kv.find('=');
      if (eq == std::string::npos) {
        q.emplace(url_decode(kv), "");
      } else {
        q.emplace(url_decode(kv.substr(0, eq)), url_decode(kv.substr(eq + 1)));
      }
      start = amp + 1;
    }
  }
  auto ap = parse_api_path(path);
  if (!ap || ap->kind == ApiPath::Kind::kVersion) {
    Response r;
    r.status = 404;
    r.body = "Not Found";
    return r;
  }
  switch (ap->kind) {
    case ApiPath::Kind::kApplicationList: {
      Response r;
      r.body = application_list_json(logs.summaries, q, &r.status);
      if (r.status != 200) r.content_type = "text/plain";
      return r;
    }
    case ApiPath::Kind::kApplication:
    case ApiPath::Kind::kAttempt:
      return application_json(logs.summaries, ap->app_id, ap->attempt_id);
    default:
      break;
  }
  for (size_t i = 0; i < logs.stores.size(); ++i) {
    const AttemptSummary& s = logs.summaries[i];
    if (s.app_id == ap->app_id && s.attempt_id == ap->attempt_id) {
      return serve_app(*logs.stores[i], ap->resource, q);
    }
  }
  return app_not_found(ap->app_id, ap->attempt_id);
}

namespace {

// Values Spark takes from the clock: an incomplete app's driver has lived until the answer
// (AppStatusStore.replaceExec), a running SQL execution has lasted until it. Two answers differ
// by the time between them.
void drop_clock(nlohmann::json& j) {
  if (j.is_object()) {
    if (j.contains("id") && j["id"] == "driver") j.erase("totalDuration");
    if (j.contains("runningJobIds") && j.contains("status") && j["status"] == "RUNNING")
      j.erase("duration");
    for (auto& v : j) drop_clock(v);
  } else if (j.is_array()) {
    for (auto& v : j) drop_clock(v);
  }
}

bool same_but_the_clock(const std::string& a, const std::string& b) {
  nlohmann::json x = nlohmann::json::parse(a, nullptr, false);
  nlohmann::json y = nlohmann::json::parse(b, nullptr, false);
  if (x.is_discarded() || y.is_discarded()) return false;
  drop_clock(x);
  drop_clock(y);
  return x == y;
}

}  // namespace

RecordedUrls read_recorded_urls(const std::string& tsv_path) {
  RecordedUrls out;
  std::istringstream in(read_file(tsv_path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# limits=", 0) == 0) {
      RetentionLimits& l = out.limits;
      std::sscanf(line.c_str() + 9, "%d,%d,%d,%d,%d", &l.jobs, &l.stages, &l.tasks_per_stage,
                  &l.dead_executors, &l.sql_executions);
      continue;
    }
    size_t tab = line.find('\t');
    if (tab != std::string::npos && tab > 0) out.urls.push_back(line.substr(0, tab));
  }
  return out;
}

std::optional<std::string> first_difference(const LoadedLogs& a, const LoadedLogs& b,
                                            const std::vector<std::string>& urls) {
  for (const std::string& url : urls) {
    Response x = route(a, url), y = route(b, url);
    if (x.status != y.status || x.content_type != y.content_type ||
        (x.body != y.body && !same_but_the_clock(x.body, y.body))) {
      // Where the bodies part, with some context.
      size_t at = 0;
      while (at < x.body.size() && at < y.body.size() && x.body[at] == y.body[at]) ++at;
      const size_t from = at > 200 ? at - 200 : 0;
      auto show = [&](const std::string& text) { return text.substr(from, at - from + 200); };
      return url + ": HTTP " + std::to_string(x.status) + " ..." + show(x.body) + "\n  vs HTTP " +
             std::to_string(y.status) + " ..." + show(y.body);
    }
  }
  return std::nullopt;
}

void clear_last_updated(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "lastUpdated") {
        it.value() = "";
      } else if (it.key() == "lastUpdatedEpoch") {
        it.value() = 0;
      } else {
        clear_last_updated(it.value());
      }
    }
  } else if (j.is_array()) {
    for (auto& x : j) clear_last_updated(x);
  }
}

std::optional<std::string> json_diff(const nlohmann::json& got, const nlohmann::json& want,
                                     const std::string& path) {
  auto show = [](const nlohmann::json& v) {
    std::string s = v.dump();
    return s.size() > 120 ? s.substr(0, 120) + "..." : s;
  };
  if (got.is_number() && want.is_number()) {
    double a = got.get<double>(), b = want.get<double>();
    if (a == b || (std::isnan(a) && std::isnan(b))) return std::nullopt;
    return path + ": got " + show(got) + ", want " + show(want);
  }
  if (got.type() != want.type()) {
    return path + ": got " + show(got) + ", want " + show(want);
  }
  if (got.is_object()) {
    for (auto it = want.begin(); it != want.end(); ++it) {
      if (!got.contains(it.key())) return path + "." + it.key() + ": missing";
      if (auto d = json_diff(got.at(it.key()), it.value(), path + "." + it.key())) return d;
    }
    for (auto it = got.begin(); it != got.end(); ++it) {
      if (!want.contains(it.key())) {
        return path + "." + it.key() + ": unexpected (" + show(it.value()) + ")";
      }
    }
    return std::nullopt;
  }
  if (got.is_array()) {
    for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
      if (auto d = json_diff(got[i], want[i], path + "[" + std::to_string(i) + "]")) return d;
    }
    if (got.size() != want.size()) {
      return path + ": " + std::to_string(got.size()) + " elements, want " +
             std::to_string(want.size());
    }
    return std::nullopt;
  }
  if (got != want) return path + ": got " + show(got) + ", want " + show(want);
  return std::nullopt;
}

}  // namespace sp::history::testing
