// controller::Runtime for one machine: each SparkApplication run's driver is a local
// `spark-submit --master local[N]` process under a shim, recorded in an attempt directory
// (<state_dir>/drivers/<namespace>/<app>/<NNN>-<submission id>/) so that drivers survive a
// restart of sparkplane and are re-attached from the files.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "controller/runtime.h"
#include "runtime/local/driver_command.h"
#include "runtime/local/driver_log_scan.h"
#include "runtime/local/driver_process.h"
#include "runtime/local/spark_env.h"

namespace sp::local {

struct LocalRuntimeOptions {
  std::string state_dir;      // attempt directories go under <state_dir>/drivers
  std::string event_log_dir;  // spark.eventLog.dir (a path or a URI); empty: <state_dir>/eventlogs
  std::string self_exe;       // the sparkplane binary; empty: /proc/self/exe now
  std::string working_dir;    // for relative mainApplicationFile paths; empty: current directory
  std::chrono::milliseconds kill_grace{5000};  // SIGTERM -> SIGKILL
  std::chrono::milliseconds poll_interval{200};
  // The shim command before "--dir <dir> -- <argv...>"; empty: {self_exe, "run-driver"}.
  std::vector<std::string> shim_command;
  EnvLookup env;  // where JAVA_HOME, SPARK_HOME, HOME, PATH are read; empty: the process env
  // Replaces Java/Spark discovery and build_driver_command (tests run plain commands).
  std::function<DriverCommand(const api::SparkApplication&, const std::string& submission_id)>
      command_factory;
};

// One run of an app's driver, for `sparkplane logs --attempt N`.
struct AttemptInfo {
  int number = 0;
  std::string submission_id;
  std::string dir;
  std::string stdout_path;
  std::string stderr_path;
  ProcessState state;
  std::optional<Time> started_at;
};

// The attempts of an app read from the state dir alone (no runtime needed), oldest first.
std::vector<AttemptInfo> list_attempts(const std::string& state_dir, const std::string& ns,
                                       const std::string& name);

class LocalRuntime final : public controller::Runtime {
 public:
  explicit LocalRuntime(LocalRuntimeOptions opts);
  // Stops the watcher; drivers keep running (they are re-attached by the next instance).
  ~LocalRuntime() override;
  LocalRuntime(const LocalRuntime&) = delete;
  LocalRuntime& operator=(const LocalRuntime&) = delete;

  controller::SubmitResult submit(const api::SparkApplication& app,
                                  const std::string& submission_id) override;
  controller::DriverObservation observe(const api::SparkApplication& app) override;
  bool delete_resources(const api::SparkApplication& app) override;
  void subscribe(std::function<void(const std::string& key)> on_change) override;

  // Every attempt of an app, oldest first.
  std::vector<AttemptInfo> attempts(const std::string& ns, const std::string& name) const;

 private:
  struct Tracked {
    std::string key;  // "ns/name"
    ProcessStatus last = ProcessStatus::kStarting;
  };

  std::string app_dir(const std::string& ns, const std::string& name) const;
  std::optional<AttemptDir> find_attempt(const api::SparkApplication& app,
                                         const std::string& submission_id) const;
  ProcessState state_of(const std::string& dir) const;
  std::optional<SparkEnv> spark_env(std::string* error);
  void track(const std::string& dir, const std::string& key, ProcessStatus status);
  void scan_existing();
  void watch_loop();

  LocalRuntimeOptions opts_;
  std::mutex submit_mu_;  // serializes submit/delete: attempt numbering, idempotency
  mutable std::mutex mu_;
  std::map<std::string, pid_t> children_;   // attempt dir -> shim started here, not yet reaped
  std::map<std::string, Tracked> tracked_;  // attempt dirs not yet exited or lost
  std::vector<std::function<void(const std::string&)>> subscribers_;
  std::optional<SparkEnv> spark_env_;
  std::mutex scan_mu_;
  std::map<std::string, DriverLogScanner> scanners_;  // attempt dir -> stderr.log scan
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread watcher_;
};

}  // namespace sp::local
