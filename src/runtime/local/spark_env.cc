// Finds Java 17+, Spark and the driver python for the local runtime.
#include "runtime/local/spark_env.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "runtime/local/driver_files.h"

extern char** environ;

namespace sp::local {

namespace fs = std::filesystem;

namespace {

bool is_executable(const std::string& path) {
  std::error_code ec;
  return !path.empty() && fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

// Searches PATH for `name`.
std::string which(const std::string& name, const EnvLookup& env) {
  auto path = env("PATH");
  if (!path) return {};
  size_t start = 0;
  while (start <= path->size()) {
    size_t colon = path->find(':', start);
    if (colon == std::string::npos) colon = path->size();
    std::string dir = path->substr(start, colon - start);
    if (!dir.empty()) {
      std::string candidate = dir + "/" + name;
      if (is_executable(candidate)) return candidate;
    }
    start = colon + 1;
  }
  return {};
}

// Runs argv, returns stdout+stderr (at most 64 KiB). Empty on failure.
std::string run_capture(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  std::string out;
  if (rc == 0) {
    char buf[4096];
    while (out.size() < 65536) {
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fds[0]);
  if (rc == 0) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  return out;
}

// The value of KEY="..." in a JDK release file.
std::string release_value(const std::string& release, const std::string& key) {
  std::string needle = key + "=\"";
  auto pos = release.find(needle);
  if (pos == std::string::npos) return {};
  pos += needle.size();
  auto end = release.find('"', pos);
  return end == std::string::npos ? std::string() : release.substr(pos, end - pos);
}

std::optional<JavaInstall> java_at(const std::string& java_bin, std::string java_home) {
  if (!is_executable(java_bin)) return std::nullopt;
  if (java_home.empty()) {
    std::error_code ec;
    auto real = fs::canonical(java_bin, ec);
    if (!ec && real.parent_path().filename() == "bin") java_home = real.parent_path().parent_path();
  }
  int major = 0;
  if (!java_home.empty()) {
    if (auto release = read_small_file(java_home + "/release")) {
      major = parse_java_version(release_value(*release, "JAVA_VERSION"));
    }
  }
  if (major == 0) major = java_major_version(java_bin);
  if (major < 17) return std::nullopt;
  return JavaInstall{java_bin, java_home, major};
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
}

int parse_java_version(std::string_view version) {
  auto number_at = [&](size_t pos, size_t* end) {
    int n = 0;
    size_t i = pos;
    while (i < version.size() && version[i] >= '0' && version[i] <= '9' && n < 10000) {
      n = n * 10 + (version[i] - '0');
      ++i;
    }
    *end = i;
    return i == pos ? -1 : n;
  };
  size_t end = 0;
  int first = number_at(0, &end);
  if (first < 0) return 0;
  if (first == 1 && end < version.size() && version[end] == '.') {
    int second = number_at(end + 1, &end);
    return second < 0 ? 0 : second;
  }
  return first;
}

int java_major_version(const std::string& java_bin) {
  std::string out = run_capture({java_bin, "-version"});
  // openjdk version "17.0.15" 2025-04-15
  auto pos = out.find("version \"");
  if (pos == std::string::npos) return 0;
  return parse_java_version(std::string_view(out).substr(pos + 9));
}

std::optional<JavaInstall> find_java(const EnvLookup& env, std::string* error) {
  if (auto home = env("JAVA_HOME")) {
    if (auto java = java_at(*home + "/bin/java", *home)) return java;
  }
  if (auto java = java_at(which("java", env), "")) return java;
  if (error) *error = kJavaNotFound;
  return std::nullopt;
}

std::optional<SparkInstall> find_spark(const EnvLookup& env, std::string* error) {
  std::error_code ec;
  auto cache = env("SPARKPLANE_CACHE");
  std::string venv;
  if (cache) {
    venv = *cache + "/venv";
  } else if (auto home = env("HOME")) {
    venv = *home + "/.cache/sparkplane/venv";
  }
  std::string venv_python = venv.empty() ? "" : venv + "/bin/python";
  if (!is_executable(venv_python)) venv_python.clear();

  auto python_for = [&]() -> std::string {
    if (auto p = env("PYSPARK_PYTHON")) return *p;
    if (!venv_python.empty()) return venv_python;
    std::string p = which("python3", env);
    return p.empty() ? "python3" : p;
  };

  if (auto home = env("SPARK_HOME")) {
    std::string submit = *home + "/bin/spark-submit";
    if (is_executable(submit)) return SparkInstall{*home, submit, python_for()};
  } else if (!venv.empty() && fs::is_directory(venv + "/lib", ec)) {
    // <venv>/lib/python3.*/site-packages/pyspark
    for (const auto& entry : fs::directory_iterator(venv + "/lib", ec)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("python3", 0) != 0) continue;
      std::string pyspark = entry.path().string() + "/site-packages/pyspark";
      std::string submit = pyspark + "/bin/spark-submit";
      if (is_executable(submit)) return SparkInstall{pyspark, submit, python_for()};
    }
  }
  if (error) *error = kSparkNotFound;
  return std::nullopt;
}

std::optional<SparkEnv> find_spark_env(const EnvLookup& env, std::string* error) {
  auto java = find_java(env, error);
  if (!java) return std::nullopt;
  auto spark = find_spark(env, error);
  if (!spark) return std::nullopt;
  return SparkEnv{*java, *spark};
}

}  // namespace sp::local
