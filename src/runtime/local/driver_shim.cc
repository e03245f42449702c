// The driver shim: pid file, logs, signal forwarding, exit file.
#include "runtime/local/driver_shim.h"

#include <fmt/format.h>

#include <chrono>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "runtime/local/driver_files.h"

extern char** environ;

namespace sp::local {

namespace {

// Forwards a termination signal to the whole process group (the driver and its children),
// ignoring the copy the group send delivers back to the shim itself.
void forward_signal(int sig, siginfo_t* info, void*) {
  if (info != nullptr && info->si_pid == ::getpid()) return;
  int saved = errno;
  ::kill(0, sig);
  errno = saved;
}

void write_stderr(const std::string& msg) {
  std::string line = "sparkplane run-driver: " + msg + "\n";
  ssize_t ignored = ::write(2, line.data(), line.size());
  (void)ignored;
}

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos && extra.contains(entry.substr(0, eq))) continue;
    out.push_back(std::move(entry));
  }
  for (const auto& [k, v] : extra) out.push_back(k + "=" + v);
  return out;
}

}  // namespace

std::string format_pid_record(const PidRecord& r) {
  return std::to_string(r.pid) + " " + std::to_string(r.start_time) + "\n";
}

std::optional<PidRecord> parse_pid_record(const std::string& text) {
  std::istringstream in(text);
  long long pid = 0;
  unsigned long long start = 0;
  if (!(in >> pid >> start) || pid <= 0) return std::nullopt;
  return PidRecord{static_cast<pid_t>(pid), start};
}

std::optional<int> parse_exit_record(const std::string& text) {
  std::istringstream in(text);
  int code = 0;
  if (!(in >> code)) return std::nullopt;
  return code;
}

int run_driver_shim(const std::string& dir, const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& env) {
  if (argv.empty()) {
    write_stderr("no command given");
    return 2;
  }
  std::string error;
  pid_t self = ::getpid();
  if (::getpgrp() != self) ::setsid();  // forwarding signals needs a group of our own
  auto start = process_start_time(self);
  if (!write_file_atomic(dir + "/" + kPidFile, format_pid_record({self, start.value_or(0)}),
                         &error)) {
    write_stderr(error);
    return 1;
  }

  // Everything the child needs is prepared before fork.
  std::string out_path = dir + "/" + kStdoutFile;
  std::string err_path = dir + "/" + kStderrFile;
  int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out_fd < 0 || err_fd < 0 || null_fd < 0) {
    write_stderr("cannot open logs in " + dir + ": " + std::strerror(errno));
    return 1;
  }
  std::map<std::string, std::string> child_env = env;
  child_env[kDriverDirEnv] = dir;
  std::vector<std::string> env_strings = merged_environment(child_env);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& a : args) argp.push_back(a.data());
  argp.push_back(nullptr);
  std::string exec_error = "ERROR sparkplane run-driver: cannot run " + argv[0] + ": ";

  struct sigaction sa {};
  sa.sa_sigaction = forward_signal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaddset(&sa.sa_mask, SIGINT);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  ::signal(SIGHUP, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);

  // Signals wait until the child exists, so a early SIGTERM reaches it too.
  sigset_t term, old;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  sigaddset(&term, SIGINT);
  ::sigprocmask(SIG_BLOCK, &term, &old);
  const auto launched = std::chrono::system_clock::now();
  pid_t child = ::fork();
  if (child == 0) {
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGHUP, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(null_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execvpe(argp[0], argp.data(), envp.data());
    int err = errno;
    ssize_t ignored = ::write(2, exec_error.data(), exec_error.size());
    const char* reason = ::strerror(err);
    ignored = ::write(2, reason, std::strlen(reason));
    ignored = ::write(2, "\n", 1);
    (void)ignored;
    ::_exit(err == ENOENT ? 127 : 126);
  }
  int fork_errno = errno;
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  ::close(out_fd);
  ::close(err_fd);
  ::close(null_fd);

  if (child > 0) {
    // When spark-submit was started, for `sparkplane describe` and the overhead benchmark.
    std::string ignored_error;
    write_file_atomic(
        dir + "/" + kLaunchedFile,
        fmt::format("{:.6f} {}\n",
                    std::chrono::duration<double>(launched.time_since_epoch()).count(), child),
        &ignored_error);
  }
  int code = 1;
  if (child < 0) {
    write_stderr(std::string("fork failed: ") + std::strerror(fork_errno));
  } else {
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(child, &status, 0);
    } while (r < 0 && errno == EINTR);
    if (r == child && WIFEXITED(status)) {
      code = WEXITSTATUS(status);
    } else if (r == child && WIFSIGNALED(status)) {
      code = 128 + WTERMSIG(status);
    }
  }
  if (!write_file_atomic(dir + "/" + kExitFile, std::to_string(code) + "\n", &error)) {
    write_stderr(error);
  }
  return code;
}

int run_driver_main(const std::vector<std::string>& args) {
  std::string dir;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--dir" && i + 1 < args.size()) {
      dir = args[++i];
    } else if (a.rfind("--dir=", 0) == 0) {
      dir = a.substr(6);
    } else {
      write_stderr("unexpected argument '" + a +
                   "'; usage: run-driver --dir <dir> -- <command...>");
      return 2;
    }
  }
  if (dir.empty() || i >= args.size()) {
    write_stderr("usage: run-driver --dir <dir> -- <command...>");
    return 2;
  }
  std::vector<std::string> argv(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return run_driver_shim(dir, argv, {});
}

}  // namespace sp::local
