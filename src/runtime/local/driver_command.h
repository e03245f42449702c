// Turns a (defaulted) SparkApplication into the argv and environment of a local
// `spark-submit --master local[N] --deploy-mode client` driver.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"

namespace sp::local {

struct DriverCommandOptions {
  std::string spark_submit = "spark-submit";  // argv[0]
  std::string spark_home;                     // SPARK_HOME; also maps local:///opt/spark/...
  std::string python;                         // PYSPARK_PYTHON, when not empty
  std::string java_home;                      // JAVA_HOME, when not empty
  std::string event_log_dir;                  // a local path or a URI (s3a://...)
  std::string working_dir;                    // relative mainApplicationFile paths start here
  std::string submission_id;
  unsigned hardware_threads = 0;  // cap for local[N]; 0 = std::thread::hardware_concurrency()
};

struct DriverCommand {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;  // added to the driver's environment
  std::vector<std::string> warnings;       // e.g. env entries the local runtime cannot honour
  std::string main_file;                   // mainApplicationFile as passed to spark-submit
  int local_threads = 1;                   // the N of local[N]
};

DriverCommand build_driver_command(const api::SparkApplication& app,
                                   const DriverCommandOptions& opts);

// mainApplicationFile as spark-submit gets it: local:// and file:// stripped, relative paths
// resolved against opts.working_dir, /opt/spark/... mapped into SPARK_HOME when only it
// exists there; remote URIs (s3a://, http://, ...) unchanged. Empty when unset.
std::string resolve_main_file(const api::SparkApplication& app, const DriverCommandOptions& opts);

// "spec.mainApplicationFile: file not found: <path>" for a local path that does not exist.
std::optional<std::string> check_main_file(const api::SparkApplication& app,
                                           const DriverCommandOptions& opts);

// The N of local[N]: executors x cores (dynamic allocation: max or initial executors), capped
// to the hardware threads and at least 1.
int local_thread_count(const api::SparkApplicationSpec& spec, unsigned hardware_threads);

// True for conf keys whose values must not be written to disk or logs.
bool is_secret_key(const std::string& key);
// argv with the values of secret `--conf k=v` pairs replaced by "***".
std::vector<std::string> mask_secrets(const std::vector<std::string>& argv);

}  // namespace sp::local
