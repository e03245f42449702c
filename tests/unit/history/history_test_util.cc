#include "history_test_util.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

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

void feed_file(AppStore& store, const fs::path& p) {
  std::string data = read_file(p.string());
  size_t start = 0;
  while (start < data.size()) {
    size_t nl = data.find('\n', start);
    if (nl == std::string::npos) nl = data.size();
    store.apply_line(std::string_view(data).substr(start, nl - start));
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

std::unique_ptr<AppStore> load_log(const std::string& path, const RetentionLimits& limits) {
  auto store = std::make_unique<AppStore>(limits);
  fs::path p(path);
  if (fs::is_directory(p)) {
    int64_t mtime = 0;
    for (const fs::path& f : rolling_files(p)) {
      feed_file(*store, f);
      mtime = std::max(mtime, mtime_ms(f));
    }
    store->set_last_updated(mtime);
  } else {
    feed_file(*store, p);
    store->set_last_updated(mtime_ms(p));
  }
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
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path == "applications") {
    Response r;
    r.body = application_list_json(logs.summaries, q, &r.status);
    if (r.status != 200) r.content_type = "text/plain";
    return r;
  }
  const std::string prefix = "applications/";
  if (path.rfind(prefix, 0) != 0) {
    Response r;
    r.status = 404;
    r.body = "Not Found";
    return r;
  }
  AppPath ap = parse_app_path(std::string_view(path).substr(prefix.size()));
  if (ap.subpath.empty()) return application_json(logs.summaries, ap.app_id, ap.attempt_id);
  for (size_t i = 0; i < logs.stores.size(); ++i) {
    const AttemptSummary& s = logs.summaries[i];
    if (s.app_id == ap.app_id && s.attempt_id == ap.attempt_id) {
      return serve_app(*logs.stores[i], ap.subpath, q);
    }
  }
  return app_not_found(ap.app_id, ap.attempt_id);
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
