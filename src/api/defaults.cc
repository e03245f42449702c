// Kubeflow's v1beta2 defaults (api/v1beta2/defaults.go) for SparkApplication and Scheduled specs.
#include "api/defaults.h"

#include <cctype>

namespace sp::api {
namespace {

constexpr int64_t kDefaultRetryIntervalSeconds = 5;

bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Go's strconv.ParseBool true values.
bool parses_true(const std::string& v) {
  return v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True";
}

void pod_defaults(SparkPodSpec& pod, const std::map<std::string, std::string>& conf,
                  const char* cores_key, const char* memory_key) {
  if (!pod.cores && !conf.contains(cores_key)) pod.cores = 1;
  if (!pod.memory && !conf.contains(memory_key)) pod.memory = "1g";
}

}  // namespace

bool dynamic_allocation_enabled(const SparkApplicationSpec& spec) {
  if (spec.dynamic_allocation && spec.dynamic_allocation->enabled) return true;
  // defaults.go looks the key up in lower case and the webhook in camel case: accept either.
  for (const auto& [key, value] : spec.spark_conf) {
    if (iequals(key, "spark.dynamicAllocation.enabled") && parses_true(value)) return true;
  }
  return false;
}

SparkApplicationSpec with_defaults(SparkApplicationSpec spec) {
  if (spec.type.empty()) spec.type = "Scala";
  if (spec.mode.empty()) spec.mode = "cluster";
  auto& policy = spec.restart_policy;
  if (policy.type.empty()) policy.type = "Never";
  if (policy.type != "Never") {
    if (!policy.on_failure_retry_interval) {
      policy.on_failure_retry_interval = kDefaultRetryIntervalSeconds;
    }
    if (!policy.on_submission_failure_retry_interval) {
      policy.on_submission_failure_retry_interval = kDefaultRetryIntervalSeconds;
    }
  }
  pod_defaults(spec.driver, spec.spark_conf, "spark.driver.cores", "spark.driver.memory");
  pod_defaults(spec.executor, spec.spark_conf, "spark.executor.cores", "spark.executor.memory");
  bool dynamic = dynamic_allocation_enabled(spec);
  if (!spec.executor.instances && !spec.spark_conf.contains("spark.executor.instances") &&
      !dynamic) {
    spec.executor.instances = 1;
  }
  auto& da = spec.dynamic_allocation;
  if (da && da->enabled && !da->shuffle_tracking_enabled) da->shuffle_tracking_enabled = true;
  return spec;
}

ScheduledSparkApplicationSpec with_defaults(ScheduledSparkApplicationSpec spec) {
  // Kubeflow sets no default here: with an empty policy its controller never starts a second
  // run while any earlier run exists. We choose "Allow", as Kubernetes CronJob does.
  if (spec.concurrency_policy.empty()) spec.concurrency_policy = "Allow";
  // Kubeflow's controller falls back to 1 for both limits when they are unset.
  if (!spec.successful_run_history_limit) spec.successful_run_history_limit = 1;
  if (!spec.failed_run_history_limit) spec.failed_run_history_limit = 1;
  return spec;
}

}  // namespace sp::api
