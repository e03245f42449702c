// Builds the spark-submit command line of a local driver.
#include "runtime/local/driver_command.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <thread>

namespace sp::local {

namespace fs = std::filesystem;

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// "s3a://b/k" -> "s3a"; "" for plain paths.
std::string uri_scheme(const std::string& s) {
  auto pos = s.find(':');
  if (pos == std::string::npos || pos == 0) return {};
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return {};
  for (size_t i = 1; i < pos; ++i) {
    char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
  }
  return lower(s.substr(0, pos));
}

bool is_local_scheme(const std::string& scheme) {
  return scheme.empty() || scheme == "local" || scheme == "file";
}

// local:///a, file:///a, file:/a -> /a; other strings unchanged.
std::string strip_local_scheme(const std::string& s) {
  std::string scheme = uri_scheme(s);
  if (scheme != "local" && scheme != "file") return s;
  std::string rest = s.substr(scheme.size() + 1);
  if (rest.rfind("//", 0) == 0) {
    rest = rest.substr(2);
    if (rest.rfind("localhost/", 0) == 0) rest = rest.substr(9);  // file://localhost/a
  }
  return rest;
}

std::string as_file_uri(const std::string& dir) {
  if (!uri_scheme(dir).empty()) return dir;
  std::error_code ec;
  std::string abs = fs::absolute(dir, ec).lexically_normal().string();
  return "file:" + (ec ? dir : abs);
}

void add_conf(std::vector<std::string>& argv, const std::string& key, const std::string& value) {
  argv.push_back("--conf");
  argv.push_back(key + "=" + value);
}

void add_list(std::vector<std::string>& argv, const char* flag,
              const std::vector<std::string>& items) {
  if (items.empty()) return;
  argv.push_back(flag);
  argv.push_back(join(items));
}

}  // namespace

bool is_secret_key(const std::string& key) {
  std::string k = lower(key);
  for (const char* word : {"password", "secret", "token", "credential"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> mask_secrets(const std::vector<std::string>& argv) {
  std::vector<std::string> out = argv;
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] != "--conf" && out[i] != "-c") continue;
    std::string& kv = out[i + 1];
    auto eq = kv.find('=');
    if (eq != std::string::npos && is_secret_key(kv.substr(0, eq)))
      kv = kv.substr(0, eq + 1) + "***";
    ++i;
  }
  return out;
}

int local_thread_count(const api::SparkApplicationSpec& spec, unsigned hardware_threads) {
  long long executors = spec.executor.instances.value_or(1);
  if (spec.dynamic_allocation && spec.dynamic_allocation->enabled) {
    const auto& da = *spec.dynamic_allocation;
    if (da.max_executors) {
      executors = *da.max_executors;
    } else if (da.initial_executors) {
      executors = *da.initial_executors;
    }
  }
  long long cores = spec.executor.cores.value_or(1);
  long long n = std::max(executors, 0LL) * std::max(cores, 0LL);
  if (hardware_threads == 0) hardware_threads = std::thread::hardware_concurrency();
  if (hardware_threads > 0) n = std::min<long long>(n, hardware_threads);
  return static_cast<int>(std::max(n, 1LL));
}

std::string resolve_main_file(const api::SparkApplication& app, const DriverCommandOptions& opts) {
  if (!app.spec.main_application_file || app.spec.main_application_file->empty()) return {};
  const std::string& file = *app.spec.main_application_file;
  if (!is_local_scheme(uri_scheme(file))) return file;
  fs::path path = strip_local_scheme(file);
  if (path.is_relative()) {
    fs::path base = opts.working_dir.empty() ? fs::current_path() : fs::path(opts.working_dir);
    path = base / path;
  }
  path = path.lexically_normal();
  // Manifests written for the operator name files inside the Spark image (/opt/spark/...);
  // pyspark ships the same tree (examples included) under SPARK_HOME.
  std::error_code ec;
  const std::string image_home = "/opt/spark/";
  std::string p = path.string();
  if (!opts.spark_home.empty() && p.rfind(image_home, 0) == 0 && !fs::exists(path, ec)) {
    fs::path mapped = fs::path(opts.spark_home) / p.substr(image_home.size());
    if (fs::exists(mapped, ec)) return mapped.string();
  }
  return p;
}

std::optional<std::string> check_main_file(const api::SparkApplication& app,
                                           const DriverCommandOptions& opts) {
  if (!app.spec.main_application_file || app.spec.main_application_file->empty()) {
    return std::nullopt;
  }
  if (!is_local_scheme(uri_scheme(*app.spec.main_application_file))) return std::nullopt;
  std::string path = resolve_main_file(app, opts);
  std::error_code ec;
  if (!fs::exists(path, ec)) return "spec.mainApplicationFile: file not found: " + path;
  return std::nullopt;
}

DriverCommand build_driver_command(const api::SparkApplication& app,
                                   const DriverCommandOptions& opts) {
  const auto& spec = app.spec;
  DriverCommand cmd;
  auto& argv = cmd.argv;
  cmd.local_threads = local_thread_count(spec, opts.hardware_threads);

  argv.push_back(opts.spark_submit);
  argv.push_back("--master");
  argv.push_back("local[" + std::to_string(cmd.local_threads) + "]");
  argv.push_back("--deploy-mode");
  argv.push_back("client");
  argv.push_back("--name");
  argv.push_back(app.metadata.name);
  if ((spec.type == "Java" || spec.type == "Scala") && spec.main_class &&
      !spec.main_class->empty()) {
    argv.push_back("--class");
    argv.push_back(*spec.main_class);
  }
  if (spec.proxy_user && !spec.proxy_user->empty()) {
    argv.push_back("--proxy-user");
    argv.push_back(*spec.proxy_user);
  }
  if (spec.driver.memory && !spec.driver.memory->empty()) {
    argv.push_back("--driver-memory");
    argv.push_back(*spec.driver.memory);
  }
  add_list(argv, "--jars", spec.deps.jars);
  add_list(argv, "--files", spec.deps.files);
  add_list(argv, "--py-files", spec.deps.py_files);
  add_list(argv, "--packages", spec.deps.packages);
  add_list(argv, "--exclude-packages", spec.deps.exclude_packages);
  add_list(argv, "--repositories", spec.deps.repositories);
  add_list(argv, "--archives", spec.deps.archives);

  // As the operator does: sparkConf first, then the typed fields (later --conf wins).
  for (const auto& [key, value] : spec.spark_conf) add_conf(argv, key, value);
  for (const auto& [key, value] : spec.hadoop_conf) add_conf(argv, "spark.hadoop." + key, value);
  if (spec.driver.cores) add_conf(argv, "spark.driver.cores", std::to_string(*spec.driver.cores));
  if (spec.driver.java_options && !spec.driver.java_options->empty()) {
    add_conf(argv, "spark.driver.extraJavaOptions", *spec.driver.java_options);
  }
  if (spec.executor.memory && !spec.executor.memory->empty()) {
    add_conf(argv, "spark.executor.memory", *spec.executor.memory);
  }
  if (spec.executor.cores) {
    add_conf(argv, "spark.executor.cores", std::to_string(*spec.executor.cores));
  }
  if (spec.executor.java_options && !spec.executor.java_options->empty()) {
    add_conf(argv, "spark.executor.extraJavaOptions", *spec.executor.java_options);
  }
  if (!spec.spark_conf.contains("spark.eventLog.enabled")) {
    add_conf(argv, "spark.eventLog.enabled", "true");
  }
  if (!spec.spark_conf.contains("spark.eventLog.dir") && !opts.event_log_dir.empty()) {
    add_conf(argv, "spark.eventLog.dir", as_file_uri(opts.event_log_dir));
  }
  add_conf(argv, "spark.sparkplane.submissionId", opts.submission_id);
  add_conf(argv, "spark.sparkplane.app", app.metadata.namespace_ + "/" + app.metadata.name);

  cmd.main_file = resolve_main_file(app, opts);
  if (!cmd.main_file.empty()) argv.push_back(cmd.main_file);
  for (const auto& arg : spec.arguments) argv.push_back(arg);

  if (!opts.spark_home.empty()) cmd.env["SPARK_HOME"] = opts.spark_home;
  if (!opts.python.empty()) cmd.env["PYSPARK_PYTHON"] = opts.python;
  if (!opts.java_home.empty()) cmd.env["JAVA_HOME"] = opts.java_home;
  for (const auto& [key, value] : spec.driver.env_vars) cmd.env[key] = value;
  if (spec.driver.env.is_array()) {
    size_t i = 0;
    for (const auto& entry : spec.driver.env) {
      std::string where = "spec.driver.env[" + std::to_string(i++) + "]";
      auto name = opt_get<std::string>(entry, "name");
      if (!name || name->empty()) {
        cmd.warnings.push_back(where + ": no name; skipped");
        continue;
      }
      if (entry.contains("value") && entry["value"].is_string()) {
        cmd.env[*name] = entry["value"].get<std::string>();
      } else if (entry.contains("valueFrom")) {
        cmd.warnings.push_back(where + " (" + *name +
                               "): valueFrom is not supported by the local runtime; skipped");
      } else {
        cmd.env[*name] = "";
      }
    }
  }
  return cmd;
}

}  // namespace sp::local
