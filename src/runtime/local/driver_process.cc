// Local driver processes: launch, state from files, stop.
#include "runtime/local/driver_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <thread>

#include "runtime/local/driver_files.h"
#include "runtime/local/driver_shim.h"

extern char** environ;

namespace sp::local {

namespace fs = std::filesystem;

const char* to_string(ProcessStatus s) {
  switch (s) {
    case ProcessStatus::kStarting:
      return "starting";
    case ProcessStatus::kRunning:
      return "running";
    case ProcessStatus::kExited:
      return "exited";
    case ProcessStatus::kLost:
      return "lost";
  }
  return "unknown";
}

namespace {

std::optional<Time> mtime_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  auto since_epoch =
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
  return Time(std::chrono::duration_cast<Duration>(since_epoch));
}

}  // namespace

ProcessState read_process_state(const std::string& dir) {
  ProcessState state;
  auto pid_text = read_small_file(dir + "/" + kPidFile);
  auto pid = pid_text ? parse_pid_record(*pid_text) : std::nullopt;
  if (pid) {
    state.pid = pid->pid;
    state.start_time = pid->start_time;
  }
  std::string exit_path = dir + "/" + kExitFile;
  if (auto exit_text = read_small_file(exit_path)) {
    if (auto code = parse_exit_record(*exit_text)) {
      state.status = ProcessStatus::kExited;
      state.exit_code = code;
      state.finished_at = mtime_of(exit_path);
      return state;
    }
  }
  if (pid.has_value() && process_alive(state.pid, state.start_time)) {
    state.status = ProcessStatus::kRunning;
    return state;
  }
  // The shim writes its exit file before it exits: check again in case it just did.
  if (auto exit_text = read_small_file(exit_path)) {
    if (auto code = parse_exit_record(*exit_text)) {
      state.status = ProcessStatus::kExited;
      state.exit_code = code;
      state.finished_at = mtime_of(exit_path);
      return state;
    }
  }
  state.status = ProcessStatus::kLost;
  state.message = kLostMessage;
  return state;
}

std::string attempt_dir_name(int number, const std::string& submission_id) {
  char num[16];
  std::snprintf(num, sizeof num, "%03d", number);
  return std::string(num) + "-" + submission_id;
}

std::vector<AttemptDir> list_attempt_dirs(const std::string& app_dir) {
  std::vector<AttemptDir> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(app_dir, ec)) {
    if (!entry.is_directory(ec)) continue;
    std::string name = entry.path().filename().string();
    auto dash = name.find('-');
    if (dash == 0 || dash == std::string::npos || dash + 1 == name.size()) continue;
    if (!std::all_of(name.begin(), name.begin() + static_cast<std::ptrdiff_t>(dash),
                     [](char c) { return c >= '0' && c <= '9'; }) ||
        dash > 9) {
      continue;
    }
    out.push_back({std::stoi(name.substr(0, dash)), name.substr(dash + 1), entry.path().string()});
  }
  std::sort(out.begin(), out.end(),
            [](const AttemptDir& a, const AttemptDir& b) { return a.number < b.number; });
  return out;
}

pid_t launch_shim(const std::vector<std::string>& shim_prefix, const std::string& dir,
                  const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& env, std::string* error) {
  if (shim_prefix.empty()) {
    if (error) *error = "no driver shim command configured";
    return -1;
  }
  std::vector<std::string> args = shim_prefix;
  args.push_back("--dir");
  args.push_back(dir);
  args.push_back("--");
  args.insert(args.end(), argv.begin(), argv.end());
  std::vector<char*> argp;
  for (auto& a : args) argp.push_back(a.data());
  argp.push_back(nullptr);

  std::vector<std::string> env_strings;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos && env.contains(entry.substr(0, eq))) continue;
    env_strings.push_back(std::move(entry));
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  std::string log = dir + "/" + kShimLogFile;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // Sockets and files of sparkplane (listening ports, the database) stay out of the driver.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, static_cast<short>(POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
                                                     POSIX_SPAWN_SETSIGDEF));

  pid_t pid = -1;
  int rc = posix_spawn(&pid, argp[0], &actions, &attr, argp.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    if (error) *error = "cannot start the driver shim " + args[0] + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

bool reap_if_zombie(pid_t pid, unsigned long long start_time) {
  auto st = read_proc_stat(pid);
  if (!st || st->state != 'Z') return false;
  if (start_time != 0 && st->start_time != start_time) return false;
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == pid;
}

std::vector<pid_t> driver_group_members(pid_t pgid, const std::string& dir) {
  std::vector<pid_t> out;
  if (pgid <= 0) return out;
  const std::string marker = std::string(kDriverDirEnv) + "=" + dir;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    auto stat = read_small_file(entry.path().string() + "/stat");
    if (!stat) continue;
    auto close = stat->rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat->substr(close + 1));
    std::string st;
    long long ppid = 0, group = 0;
    if (!(fields >> st >> ppid >> group) || group != pgid || st == "Z") continue;
    auto environ_text = read_small_file(entry.path().string() + "/environ");
    if (!environ_text) continue;
    std::string_view env_view = *environ_text;
    size_t start = 0;
    while (start < env_view.size()) {
      size_t end = env_view.find('\0', start);
      if (end == std::string_view::npos) end = env_view.size();
      if (env_view.substr(start, end - start) == marker) {
        out.push_back(static_cast<pid_t>(std::stoll(name)));
        break;
      }
      start = end + 1;
    }
  }
  return out;
}

namespace {

// A lost driver: the shim is gone, but what it started may still run in its group.
bool stop_leftovers(const std::string& dir, pid_t pgid, std::chrono::milliseconds grace) {
  if (driver_group_members(pgid, dir).empty()) return true;
  auto wait_empty = [&](std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!driver_group_members(pgid, dir).empty()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
  };
  // Signals go to the marked processes only: the group id alone could have been reused.
  for (pid_t p : driver_group_members(pgid, dir)) ::kill(p, SIGTERM);
  if (wait_empty(grace)) return true;
  for (pid_t p : driver_group_members(pgid, dir)) ::kill(p, SIGKILL);
  return wait_empty(std::chrono::milliseconds(5000));
}

}  // namespace

bool stop_driver(const std::string& dir, std::chrono::milliseconds grace) {
  ProcessState state = read_process_state(dir);
  if (state.status == ProcessStatus::kLost) return stop_leftovers(dir, state.pid, grace);
  if (state.status != ProcessStatus::kRunning) return true;
  const pid_t pid = state.pid;
  const auto start = state.start_time;
  auto gone = [&] {
    reap_if_zombie(pid, start);
    return !process_alive(pid, start);
  };
  auto wait_gone = [&](std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!gone()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  };

  // The shim forwards SIGTERM to its process group and records the exit code.
  ::kill(pid, SIGTERM);
  bool stopped = wait_gone(grace);
  if (!stopped && process_alive(pid, start)) {
    ::kill(-pid, SIGKILL);
    stopped = wait_gone(std::chrono::milliseconds(5000));
  }
  if (stopped) {
    // Children that ignored SIGTERM outlive the shim in its group: the group goes with it.
    ::kill(-pid, SIGKILL);
    if (!read_small_file(dir + "/" + kExitFile)) {
      write_file_atomic(dir + "/" + kExitFile, std::to_string(128 + SIGKILL) + "\n");
    }
  }
  return stopped;
}

}  // namespace sp::local
