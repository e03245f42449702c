#include "runtime/kube/exec_credential.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/error.h"
#include "common/json.h"
#include "common/time_format.h"
#include "runtime/kube/base64.h"

extern char** environ;

namespace sp::kube {
namespace {

std::string last_chars(std::string s, std::size_t n) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  if (s.size() > n) s = "..." + s.substr(s.size() - n);
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// Closes a descriptor at scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

std::string exec_info(const ExecConfig& exec, const ExecClusterInfo& cluster) {
  Json info = {{"apiVersion", exec.api_version},
               {"kind", "ExecCredential"},
               {"spec", {{"interactive", false}}}};
  if (exec.provide_cluster_info) {
    Json c = {{"server", cluster.server}};
    if (!cluster.ca_pem.empty()) c["certificate-authority-data"] = base64_encode(cluster.ca_pem);
    if (cluster.insecure_skip_tls_verify) c["insecure-skip-tls-verify"] = true;
    info["spec"]["cluster"] = std::move(c);
  }
  return info.dump();
}

}  // namespace

ExecCredential parse_exec_credential(std::string_view output, const std::string& api_version,
                                     const std::string& command) {
  const std::string who = "exec credential plugin \"" + command + "\"";
  Json doc = Json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) throw Error(who + " printed no JSON ExecCredential");
  if (doc.value("kind", "") != "ExecCredential") {
    throw Error(who + " printed kind \"" + doc.value("kind", "") + "\", not ExecCredential");
  }
  const std::string got = doc.value("apiVersion", "");
  if (got != api_version) {
    throw Error(who + " printed apiVersion \"" + got + "\" where the kubeconfig asks for \"" +
                api_version + "\"");
  }
  const Json* status = json_at(doc, "status");
  if (status == nullptr || !status->is_object()) throw Error(who + " printed no status");
  ExecCredential c;
  c.token = status->value("token", "");
  c.client_certificate_pem = status->value("clientCertificateData", "");
  c.client_key_pem = status->value("clientKeyData", "");
  if (c.client_certificate_pem.empty() != c.client_key_pem.empty()) {
    throw Error(who + ": status has clientCertificateData or clientKeyData without the other");
  }
  if (c.token.empty() && c.client_certificate_pem.empty()) {
    throw Error(who + ": status has neither a token nor a client certificate");
  }
  if (auto exp = opt_get<std::string>(*status, "expirationTimestamp")) {
    c.expiration = parse_rfc3339(*exp);
    if (!c.expiration) {
      throw Error(who + ": status.expirationTimestamp \"" + *exp + "\" is not an RFC 3339 time");
    }
  }
  return c;
}

ExecCredential run_exec_plugin(const ExecConfig& exec, const ExecClusterInfo& cluster,
                               std::chrono::milliseconds timeout) {
  namespace fs = std::filesystem;
  std::string command = exec.command;
  if (command.find('/') != std::string::npos && !fs::path(command).is_absolute() &&
      !exec.base_dir.empty()) {
    command = (fs::path(exec.base_dir) / command).lexically_normal().string();
  }
  const std::string who = "exec credential plugin \"" + exec.command + "\"";

  std::vector<std::string> args{command};
  args.insert(args.end(), exec.args.begin(), exec.args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_strings;
  auto overridden = [&exec](std::string_view entry) {
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) return false;
    const std::string_view name = entry.substr(0, eq);
    if (name == "KUBERNETES_EXEC_INFO") return true;
    for (const auto& [k, v] : exec.env) {
      if (k == name) return true;
    }
    return false;
  };
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (!overridden(*e)) env_strings.emplace_back(*e);
  }
  for (const auto& [k, v] : exec.env) env_strings.push_back(k + "=" + v);
  env_strings.push_back("KUBERNETES_EXEC_INFO=" + exec_info(exec, cluster));
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw Error(who + ": pipe: " + std::strerror(errno));
  Fd out_r{out_pipe[0]}, out_w{out_pipe[1]};
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) throw Error(who + ": pipe: " + std::strerror(errno));
  Fd err_r{err_pipe[0]}, err_w{err_pipe[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.fd, 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           static_cast<short>(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, command.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  out_w.reset();
  err_w.reset();
  if (rc != 0) {
    std::string msg = who + " cannot be run: " + std::strerror(rc);
    if (!exec.install_hint.empty()) msg += ". " + last_chars(exec.install_hint, 500);
    throw Error(msg);
  }

  // Read stdout and stderr until both close or the time is up.
  std::string out, err;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  while (out_r.fd >= 0 || err_r.fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}};
    const int n = ::poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (i == 0 ? out : err).append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        (i == 0 ? out_r : err_r).reset();
      }
    }
  }
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    throw Error(who + " did not finish in " + std::to_string(timeout.count()) + " ms");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string how = WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                        : "signal " + std::to_string(WTERMSIG(status));
    std::string msg = who + " failed (" + how + ")";
    if (!err.empty()) msg += ": " + last_chars(err, 300);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !exec.install_hint.empty()) {
      msg += ". " + last_chars(exec.install_hint, 500);
    }
    throw Error(msg);
  }
  return parse_exec_credential(out, exec.api_version, exec.command);
}

}  // namespace sp::kube
