// controller::Runtime backed by local spark-submit processes.
#include "runtime/local/local_runtime.h"

#include <filesystem>
#include <set>

#include "common/json.h"
#include "common/log.h"
#include "common/time_format.h"
#include "runtime/local/driver_files.h"
#include "runtime/local/driver_shim.h"

namespace sp::local {

namespace fs = std::filesystem;
using controller::DriverObservation;
using controller::DriverPhase;
using controller::SubmitResult;

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr size_t kMaxScanners = 512;

bool safe_path_part(const std::string& s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string::npos &&
         s.find('\0') == std::string::npos;
}

std::string ns_of(const api::SparkApplication& app) {
  return app.metadata.namespace_.empty() ? "default" : app.metadata.namespace_;
}

std::string pod_name_of(const api::SparkApplication& app) { return app.metadata.name + "-driver"; }

// A local directory for an event log location, or empty for remote URIs.
std::string local_dir_of(const std::string& location) {
  if (location.rfind("file://", 0) == 0) return location.substr(7);
  if (location.rfind("file:", 0) == 0) return location.substr(5);
  if (location.find("://") != std::string::npos) return {};
  return location;
}

std::string last_line(const std::string& text) {
  std::string_view v = text;
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' '))
    v.remove_suffix(1);
  auto nl = v.rfind('\n');
  return std::string(nl == std::string_view::npos ? v : v.substr(nl + 1));
}

}  // namespace

LocalRuntime::LocalRuntime(LocalRuntimeOptions opts) : opts_(std::move(opts)) {
  if (opts_.self_exe.empty()) opts_.self_exe = current_executable();
  if (opts_.shim_command.empty()) opts_.shim_command = {opts_.self_exe, "run-driver"};
  if (opts_.working_dir.empty()) opts_.working_dir = fs::current_path().string();
  if (opts_.event_log_dir.empty()) opts_.event_log_dir = opts_.state_dir + "/eventlogs";
  if (!opts_.env) opts_.env = process_env();
  std::error_code ec;
  fs::create_directories(opts_.state_dir + "/drivers", ec);
  scan_existing();
  watcher_ = std::thread([this] { watch_loop(); });
}

LocalRuntime::~LocalRuntime() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

std::string LocalRuntime::app_dir(const std::string& ns, const std::string& name) const {
  return opts_.state_dir + "/drivers/" + ns + "/" + name;
}

std::optional<AttemptDir> LocalRuntime::find_attempt(const api::SparkApplication& app,
                                                     const std::string& submission_id) const {
  if (submission_id.empty() || !safe_path_part(ns_of(app)) || !safe_path_part(app.metadata.name)) {
    return std::nullopt;
  }
  for (auto& a : list_attempt_dirs(app_dir(ns_of(app), app.metadata.name))) {
    if (a.submission_id == submission_id) return a;
  }
  return std::nullopt;
}

ProcessState LocalRuntime::state_of(const std::string& dir) const {
  ProcessState state = read_process_state(dir);
  if (state.status == ProcessStatus::kLost && state.pid == 0) {
    // No pid file yet: a shim started here that is still alive is starting, not lost.
    std::lock_guard lock(mu_);
    auto it = children_.find(dir);
    if (it != children_.end() && process_start_time(it->second)) {
      state.status = ProcessStatus::kStarting;
      state.pid = it->second;
      state.message.clear();
    }
  }
  return state;
}

std::optional<SparkEnv> LocalRuntime::spark_env(std::string* error) {
  {
    std::lock_guard lock(mu_);
    if (spark_env_) return spark_env_;
  }
  // Not cached on failure: installing Java or Spark fixes the next submit without a restart.
  auto env = find_spark_env(opts_.env, error);
  if (env) {
    std::lock_guard lock(mu_);
    spark_env_ = env;
  }
  return env;
}

void LocalRuntime::track(const std::string& dir, const std::string& key, ProcessStatus status) {
  std::lock_guard lock(mu_);
  tracked_.try_emplace(dir, Tracked{key, status});
}

void LocalRuntime::scan_existing() {
  std::error_code ec;
  for (const auto& ns : fs::directory_iterator(opts_.state_dir + "/drivers", ec)) {
    if (!ns.is_directory(ec)) continue;
    for (const auto& app : fs::directory_iterator(ns.path(), ec)) {
      if (!app.is_directory(ec)) continue;
      std::string key = ns.path().filename().string() + "/" + app.path().filename().string();
      for (const auto& attempt : list_attempt_dirs(app.path().string())) {
        ProcessState state = read_process_state(attempt.dir);
        if (state.status == ProcessStatus::kRunning) track(attempt.dir, key, state.status);
      }
    }
  }
}

SubmitResult LocalRuntime::submit(const api::SparkApplication& app,
                                  const std::string& submission_id) {
  SubmitResult result;
  result.pod_name = pod_name_of(app);
  const std::string ns = ns_of(app);
  const std::string& name = app.metadata.name;
  if (!safe_path_part(ns) || !safe_path_part(name) || !safe_path_part(submission_id)) {
    result.error = "cannot start a driver for '" + ns + "/" + name + "' with submission id '" +
                   submission_id + "': names must be non-empty and contain no '/'";
    return result;
  }
  const std::string key = ns + "/" + name;
  std::lock_guard submit_lock(submit_mu_);

  // Idempotent: a submission id that already has an attempt directory was started once.
  const std::string dir_of_app = app_dir(ns, name);
  auto existing = list_attempt_dirs(dir_of_app);
  for (const auto& a : existing) {
    if (a.submission_id == submission_id) {
      result.ok = true;
      return result;
    }
  }

  DriverCommandOptions cmd_opts;
  cmd_opts.event_log_dir = opts_.event_log_dir;
  cmd_opts.working_dir = opts_.working_dir;
  cmd_opts.submission_id = submission_id;
  DriverCommand cmd;
  if (opts_.command_factory) {
    if (auto problem = check_main_file(app, cmd_opts)) {
      result.error = *problem;
      return result;
    }
    cmd = opts_.command_factory(app, submission_id);
  } else {
    auto env = spark_env(&result.error);
    if (!env) return result;
    cmd_opts.spark_submit = env->spark.spark_submit;
    cmd_opts.spark_home = env->spark.spark_home;
    cmd_opts.python = env->spark.python;
    cmd_opts.java_home = env->java.java_home;
    if (auto problem = check_main_file(app, cmd_opts)) {
      result.error = *problem;
      return result;
    }
    cmd = build_driver_command(app, cmd_opts);
  }
  if (cmd.argv.empty()) {
    result.error = "no driver command for " + key;
    return result;
  }
  for (const auto& w : cmd.warnings) spdlog::warn("{}: {}", key, w);

  // Spark refuses to start when a local spark.eventLog.dir does not exist.
  auto conf = app.spec.spark_conf.find("spark.eventLog.dir");
  std::string event_dir =
      local_dir_of(conf != app.spec.spark_conf.end() ? conf->second : opts_.event_log_dir);
  std::error_code ec;
  if (!event_dir.empty()) {
    fs::path p = event_dir;
    if (p.is_relative()) p = fs::path(opts_.working_dir) / p;
    fs::create_directories(p, ec);
  }

  int number = existing.empty() ? 1 : existing.back().number + 1;
  std::string dir = dir_of_app + "/" + attempt_dir_name(number, submission_id);
  fs::create_directories(dir, ec);
  if (ec) {
    result.error = "cannot create the driver directory " + dir + ": " + ec.message();
    return result;
  }
  Json record = Json::object();
  record["app"] = key;
  record["submissionId"] = submission_id;
  record["attempt"] = number;
  record["argv"] = mask_secrets(cmd.argv);
  Json env_json = Json::object();
  for (const auto& [k, v] : cmd.env) env_json[k] = is_secret_key(k) ? "***" : v;
  record["env"] = env_json;
  record["warnings"] = cmd.warnings;
  std::string write_error;
  if (!write_file_atomic(dir + "/" + kCmdFile, record.dump(2) + "\n", &write_error) ||
      !write_file_atomic(dir + "/" + kStartedFile,
                         format_rfc3339(std::chrono::system_clock::now()) + "\n", &write_error)) {
    fs::remove_all(dir, ec);
    result.error = "cannot write the driver directory: " + write_error;
    return result;
  }

  std::string launch_error;
  pid_t pid = launch_shim(opts_.shim_command, dir, cmd.argv, cmd.env, &launch_error);
  if (pid < 0) {
    fs::remove_all(dir, ec);  // nothing started: a retry with this id may try again
    result.error = launch_error;
    return result;
  }
  {
    std::lock_guard lock(mu_);
    children_[dir] = pid;
    tracked_[dir] = Tracked{key, ProcessStatus::kStarting};
  }

  // The shim writes its pid file first thing; wait for it so observe() never sees a gap.
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  auto delay = std::chrono::milliseconds(2);
  for (;;) {
    if (fs::exists(dir + "/" + kPidFile, ec) || fs::exists(dir + "/" + kExitFile, ec)) break;
    if (!process_start_time(pid) || std::chrono::steady_clock::now() >= deadline) {
      // The shim died (or hangs) before it could record anything.
      std::string why = last_line(read_small_file(dir + "/" + kShimLogFile).value_or(""));
      if (why.empty()) why = "no output";
      write_file_atomic(dir + "/" + kExitFile, "127\n");
      result.error = "the driver shim " + opts_.shim_command.front() + " did not start: " + why +
                     " (see " + dir + "/" + kShimLogFile + ")";
      return result;
    }
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(50));
  }
  spdlog::info("{}: started driver attempt {} (submission {}, shim pid {}, local[{}])", key, number,
               submission_id, pid, cmd.local_threads);
  result.ok = true;
  return result;
}

DriverObservation LocalRuntime::observe(const api::SparkApplication& app) {
  DriverObservation obs;
  auto attempt = find_attempt(app, app.status.submission_id);
  if (!attempt) return obs;
  obs.exists = true;
  obs.pod_name = pod_name_of(app);
  ProcessState state = state_of(attempt->dir);
  bool ended = state.status == ProcessStatus::kExited || state.status == ProcessStatus::kLost;
  {
    std::lock_guard lock(scan_mu_);
    if (scanners_.size() > kMaxScanners && !scanners_.contains(attempt->dir)) scanners_.clear();
    auto& scanner = scanners_[attempt->dir];
    scanner.update(attempt->dir + "/" + kStderrFile, ended);
    obs.spark_application_id = scanner.app_id();
    obs.web_ui_address = scanner.web_ui_address();
    obs.web_ui_port = scanner.web_ui_port();
    if (state.status == ProcessStatus::kExited && state.exit_code != 0) {
      obs.message = "driver exited with code " + std::to_string(*state.exit_code);
      if (!scanner.last_error().empty()) obs.message += ": " + scanner.last_error();
    }
  }
  switch (state.status) {
    case ProcessStatus::kStarting:
      obs.phase = DriverPhase::kPending;
      break;
    case ProcessStatus::kRunning:
      obs.phase = DriverPhase::kRunning;
      track(attempt->dir, ns_of(app) + "/" + app.metadata.name, state.status);
      break;
    case ProcessStatus::kExited:
      obs.phase = state.exit_code == 0 ? DriverPhase::kSucceeded : DriverPhase::kFailed;
      obs.exit_code = state.exit_code;
      obs.finished_at = state.finished_at;
      break;
    case ProcessStatus::kLost:
      obs.phase = DriverPhase::kFailed;
      obs.message = state.message;
      break;
  }
  return obs;
}

bool LocalRuntime::delete_resources(const api::SparkApplication& app) {
  const std::string ns = ns_of(app);
  if (!safe_path_part(ns) || !safe_path_part(app.metadata.name)) return true;
  std::lock_guard submit_lock(submit_mu_);
  bool all_gone = true;
  for (const auto& attempt : list_attempt_dirs(app_dir(ns, app.metadata.name))) {
    ProcessState state = state_of(attempt.dir);
    if (state.status == ProcessStatus::kExited) continue;
    if (state.status == ProcessStatus::kLost && state.pid == 0) continue;
    if (!stop_driver(attempt.dir, opts_.kill_grace)) {
      spdlog::warn("{}/{}: driver attempt {} (pid {}) did not stop", ns, app.metadata.name,
                   attempt.number, state.pid);
      all_gone = false;
    }
  }
  cv_.notify_all();
  return all_gone;
}

void LocalRuntime::subscribe(std::function<void(const std::string& key)> on_change) {
  std::lock_guard lock(mu_);
  subscribers_.push_back(std::move(on_change));
}

std::vector<AttemptInfo> list_attempts(const std::string& state_dir, const std::string& ns,
                                       const std::string& name) {
  std::vector<AttemptInfo> out;
  if (!safe_path_part(ns) || !safe_path_part(name)) return out;
  for (const auto& a : list_attempt_dirs(state_dir + "/drivers/" + ns + "/" + name)) {
    AttemptInfo info;
    info.number = a.number;
    info.submission_id = a.submission_id;
    info.dir = a.dir;
    info.stdout_path = a.dir + "/" + kStdoutFile;
    info.stderr_path = a.dir + "/" + kStderrFile;
    info.state = read_process_state(a.dir);
    if (auto started = read_small_file(a.dir + "/" + kStartedFile)) {
      info.started_at = parse_rfc3339(last_line(*started));
    }
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<AttemptInfo> LocalRuntime::attempts(const std::string& ns,
                                                const std::string& name) const {
  auto out = list_attempts(opts_.state_dir, ns, name);
  for (auto& info : out) {
    if (info.state.status == ProcessStatus::kLost) info.state = state_of(info.dir);
  }
  return out;
}

void LocalRuntime::watch_loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, opts_.poll_interval, [this] { return stop_; });
    if (stop_) break;
    auto children = children_;
    auto tracked = tracked_;
    lock.unlock();

    // Reap the shims started here, so they do not linger as zombies.
    std::vector<std::string> reaped;
    for (const auto& [dir, pid] : children) {
      if (reap_if_zombie(pid, 0) || !read_proc_stat(pid)) reaped.push_back(dir);
    }
    std::map<std::string, ProcessStatus> now;
    std::set<std::string> changed;
    for (const auto& [dir, t] : tracked) {
      ProcessStatus s = state_of(dir).status;
      now[dir] = s;
      if (s != t.last) changed.insert(t.key);
    }

    lock.lock();
    for (const auto& dir : reaped) children_.erase(dir);
    for (const auto& [dir, s] : now) {
      auto it = tracked_.find(dir);
      if (it == tracked_.end()) continue;
      if (s == ProcessStatus::kExited || s == ProcessStatus::kLost) {
        tracked_.erase(it);
      } else {
        it->second.last = s;
      }
    }
    if (changed.empty()) continue;
    auto subscribers = subscribers_;
    lock.unlock();
    for (const auto& key : changed) {
      for (const auto& fn : subscribers) fn(key);
    }
    lock.lock();
  }
}

}  // namespace sp::local
