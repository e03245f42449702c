// Field-by-field validation of v1beta2 resources, each error with its field path.
#include "api/validation.h"

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <set>

#include "common/error.h"
#include "common/quantity.h"

namespace sp::api {
namespace {

constexpr const char* kDns1035Message =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character";
constexpr const char* kDns1123Message =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character";

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string one_of_message(std::initializer_list<const char*> values) {
  std::string out;
  for (const char* v : values) out += (out.empty() ? "" : ", ") + quoted(v);
  return "must be one of " + out;
}

class Checker {
 public:
  explicit Checker(std::vector<FieldError>& errors) : errors_(errors) {}

  void add(const std::string& path, std::string message) {
    errors_.push_back({path, std::move(message)});
  }

  // `value` must be one of `values`; an empty value is accepted when `allow_empty`.
  void one_of(const std::string& path, const std::string& value,
              std::initializer_list<const char*> values, bool allow_empty) {
    if (value.empty() && allow_empty) return;
    for (const char* v : values) {
      if (value == v) return;
    }
    add(path, one_of_message(values) + ", got " + quoted(value));
  }

  template <typename Int>
  void at_least(const std::string& path, const std::optional<Int>& v, int64_t min) {
    if (v && *v < min) {
      add(path, (min == 1 ? "must be > 0" : "must be >= " + std::to_string(min)) + ", got " +
                    std::to_string(*v));
    }
  }

  void port(const std::string& path, const std::optional<int32_t>& v, int32_t lo = 1,
            int32_t hi = 65535) {
    if (v && (*v < lo || *v > hi)) {
      add(path, "must be a port number in " + std::to_string(lo) + ".." + std::to_string(hi) +
                    ", got " + std::to_string(*v));
    }
  }

  void memory(const std::string& path, const std::optional<std::string>& v) {
    if (!v) return;
    try {
      parse_memory_bytes(*v);
    } catch (const Invalid& e) {
      add(path, e.what());
    }
  }

  void cpu(const std::string& path, const std::optional<std::string>& v) {
    if (!v) return;
    try {
      if (parse_cpu_millis(*v) == 0) add(path, "must be > 0, got " + quoted(*v));
    } catch (const Invalid& e) {
      add(path, e.what());
    }
  }

  void required(const std::string& path, const std::optional<std::string>& v) {
    if (!v || v->empty()) add(path, "required");
  }

 private:
  std::vector<FieldError>& errors_;
};

// The leading numbers of a version such as "3.5.1" or "3.4.0-amzn-1"; empty when none.
std::vector<int> version_numbers(const std::string& v) {
  std::vector<int> out;
  size_t i = 0;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
    int n = 0;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9' && n < 100000) n = n * 10 + (v[i++] - '0');
    out.push_back(n);
    if (i < v.size() && v[i] == '.') {
      ++i;
    } else {
      break;
    }
  }
  return out;
}

void validate_ports(Checker& c, const std::string& prefix, const std::vector<Port>& ports) {
  for (size_t i = 0; i < ports.size(); ++i) {
    std::string p = prefix + ".ports[" + std::to_string(i) + "]";
    c.port(p + ".containerPort", ports[i].container_port);
    c.one_of(p + ".protocol", ports[i].protocol, {"TCP", "UDP", "SCTP"}, true);
  }
}

void validate_pod(Checker& c, const std::string& prefix, const SparkPodSpec& pod) {
  c.at_least(prefix + ".cores", pod.cores, 1);
  c.cpu(prefix + ".coreLimit", pod.core_limit);
  c.memory(prefix + ".memory", pod.memory);
  c.memory(prefix + ".memoryOverhead", pod.memory_overhead);
  if (pod.gpu) {
    if (pod.gpu->name.empty()) c.add(prefix + ".gpu.name", "required, e.g. \"nvidia.com/gpu\"");
    c.at_least(prefix + ".gpu.quantity", std::optional<int64_t>(pod.gpu->quantity), 1);
  }
  for (size_t i = 0; i < pod.secrets.size(); ++i) {
    std::string p = prefix + ".secrets[" + std::to_string(i) + "]";
    if (pod.secrets[i].name.empty()) c.add(p + ".name", "required");
    if (pod.secrets[i].path.empty()) c.add(p + ".path", "required");
    c.one_of(p + ".secretType", pod.secrets[i].secret_type,
             {"GCPServiceAccount", "HadoopDelegationToken", "Generic"}, false);
  }
  for (size_t i = 0; i < pod.config_maps.size(); ++i) {
    std::string p = prefix + ".configMaps[" + std::to_string(i) + "]";
    if (pod.config_maps[i].name.empty()) c.add(p + ".name", "required");
    if (pod.config_maps[i].path.empty()) c.add(p + ".path", "required");
  }
  c.at_least(prefix + ".terminationGracePeriodSeconds", pod.termination_grace_period_seconds, 0);
}

void validate_restart_policy(Checker& c, const std::string& prefix, const RestartPolicy& p) {
  c.one_of(prefix + ".type", p.type, {"Never", "OnFailure", "Always"}, true);
  c.at_least(prefix + ".onSubmissionFailureRetries", p.on_submission_failure_retries, 0);
  c.at_least(prefix + ".onFailureRetries", p.on_failure_retries, 0);
  c.at_least(prefix + ".onSubmissionFailureRetryInterval", p.on_submission_failure_retry_interval,
             1);
  c.at_least(prefix + ".onFailureRetryInterval", p.on_failure_retry_interval, 1);
}

void validate_dynamic_allocation(Checker& c, const std::string& prefix,
                                 const DynamicAllocation& d) {
  c.at_least(prefix + ".initialExecutors", d.initial_executors, 0);
  c.at_least(prefix + ".minExecutors", d.min_executors, 0);
  c.at_least(prefix + ".maxExecutors", d.max_executors, 0);
  c.at_least(prefix + ".shuffleTrackingTimeout", d.shuffle_tracking_timeout, 0);
  auto order = [&](const char* lo_name, const std::optional<int32_t>& lo, const char* hi_name,
                   const std::optional<int32_t>& hi) {
    if (lo && hi && *lo > *hi) {
      c.add(prefix + "." + lo_name, "must be <= " + std::string(hi_name) + " (" +
                                        std::to_string(*hi) + "), got " + std::to_string(*lo));
    }
  };
  order("minExecutors", d.min_executors, "maxExecutors", d.max_executors);
  order("minExecutors", d.min_executors, "initialExecutors", d.initial_executors);
  order("initialExecutors", d.initial_executors, "maxExecutors", d.max_executors);
}

// Kubeflow's webhook checks of driverIngressOptions, with its messages.
void validate_driver_ingress(Checker& c, const std::string& prefix,
                             const std::vector<DriverIngressConfiguration>& options) {
  std::set<int32_t> ports;
  std::set<std::string> formats;
  for (size_t i = 0; i < options.size(); ++i) {
    const auto& o = options[i];
    std::string p = prefix + "[" + std::to_string(i) + "]";
    if (!o.service_port) {
      c.add(p + ".servicePort", "DriverIngressOptions has nill ServicePort");
    } else {
      c.port(p + ".servicePort", o.service_port);
      if (!ports.insert(*o.service_port).second) {
        c.add(p + ".servicePort",
              "DriverIngressOptions has duplicate ServicePort: " + std::to_string(*o.service_port));
      }
    }
    if (!o.service_port_name || o.service_port_name->empty()) {
      c.add(p + ".servicePortName", "required");
    }
    if (o.ingress_url_format.empty()) {
      c.add(p + ".ingressURLFormat", "DriverIngressOptions has empty IngressURLFormat");
    } else if (!formats.insert(o.ingress_url_format).second) {
      c.add(p + ".ingressURLFormat",
            "DriverIngressOptions has duplicate IngressURLFormat: " + o.ingress_url_format);
    }
    c.one_of(p + ".serviceType", o.service_type.value_or(""),
             {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"}, true);
  }
}

void validate_name(Checker& c, const ObjectMeta& m, const char* kind) {
  if (m.name.empty()) {
    if (m.generate_name.empty()) c.add("metadata.name", "required");
  } else if (m.name.size() > 63) {
    c.add("metadata.name", "invalid " + std::string(kind) + " name " + quoted(m.name) +
                               ": must be no more than 63 characters");
  } else if (!is_dns1035_label(m.name)) {
    c.add("metadata.name",
          "invalid " + std::string(kind) + " name " + quoted(m.name) + ": " + kDns1035Message);
  }
  if (!m.namespace_.empty() && !is_dns1123_label(m.namespace_)) {
    c.add("metadata.namespace",
          "invalid namespace " + quoted(m.namespace_) + ": " +
              (m.namespace_.size() > 63 ? std::string("must be no more than 63 characters")
                                        : std::string(kDns1123Message)));
  }
}

}  // namespace

bool is_dns1123_label(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  if (!is_lower_alnum(s.front()) || !is_lower_alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) { return is_lower_alnum(ch) || ch == '-'; });
}

bool is_dns1035_label(const std::string& s) {
  return is_dns1123_label(s) && s.front() >= 'a' && s.front() <= 'z';
}

bool is_dns1123_subdomain(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string label = s.substr(start, dot == std::string::npos ? dot : dot - start);
    if (!is_dns1123_label(label)) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

void validate_spec(const SparkApplicationSpec& spec, const std::string& prefix,
                   std::vector<FieldError>& errors) {
  Checker c(errors);
  const std::string p = prefix + ".";
  c.one_of(p + "type", spec.type, {"Java", "Scala", "Python", "R"}, true);
  // sparkVersion is required by Kubeflow's CRD schema but not needed here: a manifest without it
  // is accepted (only the pod template check below reads it).
  c.one_of(p + "mode", spec.mode, {"cluster", "client", "in-cluster-client"}, true);
  c.one_of(p + "imagePullPolicy", spec.image_pull_policy.value_or(""),
           {"Always", "IfNotPresent", "Never"}, true);
  c.required(p + "mainApplicationFile", spec.main_application_file);
  const std::string type = spec.type.empty() ? "Scala" : spec.type;  // the default
  if ((type == "Java" || type == "Scala") && (!spec.main_class || spec.main_class->empty())) {
    c.add(p + "mainClass", "required for a " + type + " application");
  }
  c.one_of(p + "pythonVersion", spec.python_version.value_or(""), {"2", "3"}, true);
  if (spec.memory_overhead_factor) {
    const std::string& f = *spec.memory_overhead_factor;
    char* end = nullptr;
    double v = std::strtod(f.c_str(), &end);
    if (f.empty() || end != f.c_str() + f.size() || !(v >= 0)) {
      c.add(p + "memoryOverheadFactor", "must be a non-negative number, got " + quoted(f));
    }
  }

  validate_pod(c, p + "driver", spec.driver);
  c.cpu(p + "driver.coreRequest", spec.driver.core_request);
  if (spec.driver.pod_name && !is_dns1123_subdomain(*spec.driver.pod_name)) {
    c.add(p + "driver.podName",
          "must be a DNS-1123 subdomain (lower case alphanumeric, '-' "
          "and '.'), got " +
              quoted(*spec.driver.pod_name));
  }
  validate_ports(c, p + "driver", spec.driver.ports);

  validate_pod(c, p + "executor", spec.executor);
  c.cpu(p + "executor.coreRequest", spec.executor.core_request);
  c.at_least(p + "executor.instances", spec.executor.instances, 1);  // CRD minimum
  validate_ports(c, p + "executor", spec.executor.ports);

  bool has_template = !spec.driver.template_.is_null() || !spec.executor.template_.is_null();
  if (has_template && spec.spark_version) {
    auto v = version_numbers(*spec.spark_version);
    if (!v.empty() && v[0] < 3) {
      c.add(p + (spec.driver.template_.is_null() ? "executor" : "driver") + ".template",
            "pod template feature requires Spark version 3.0.0 or higher");
    }
  }
  if (!spec.node_selector.empty() &&
      (!spec.driver.node_selector.empty() || !spec.executor.node_selector.empty())) {
    c.add(p + "nodeSelector",
          "node selector cannot be defined at both SparkApplication and Driver/Executor");
  }

  validate_restart_policy(c, p + "restartPolicy", spec.restart_policy);
  c.at_least(p + "failureRetries", spec.failure_retries, 0);
  c.at_least(p + "retryInterval", spec.retry_interval, 1);
  c.at_least(p + "timeToLiveSeconds", spec.time_to_live_seconds, 0);
  if (spec.dynamic_allocation) {
    validate_dynamic_allocation(c, p + "dynamicAllocation", *spec.dynamic_allocation);
  }
  if (spec.monitoring && spec.monitoring->prometheus) {
    const auto& prom = *spec.monitoring->prometheus;
    c.required(p + "monitoring.prometheus.jmxExporterJar", prom.jmx_exporter_jar);
    c.port(p + "monitoring.prometheus.port", prom.port, 1024, 49151);  // CRD bounds
  }
  if (spec.spark_ui_options) {
    c.port(p + "sparkUIOptions.servicePort", spec.spark_ui_options->service_port);
    c.one_of(p + "sparkUIOptions.serviceType", spec.spark_ui_options->service_type.value_or(""),
             {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"}, true);
  }
  validate_driver_ingress(c, p + "driverIngressOptions", spec.driver_ingress_options);
}

std::vector<FieldError> validate(const SparkApplication& app) {
  std::vector<FieldError> errors;
  Checker c(errors);
  validate_name(c, app.metadata, kSparkApplicationKind);
  validate_spec(app.spec, "spec", errors);
  return errors;
}

std::vector<FieldError> validate(const ScheduledSparkApplication& app,
                                 const ScheduleCheck& check_schedule) {
  std::vector<FieldError> errors;
  Checker c(errors);
  validate_name(c, app.metadata, kScheduledSparkApplicationKind);
  const auto& spec = app.spec;
  if (spec.time_zone && spec.time_zone->empty()) {
    c.add("spec.timeZone", "must not be empty when set (leave it out for local time)");
  }
  if (spec.schedule.empty()) {
    c.add("spec.schedule", "required, e.g. \"@every 10m\" or \"0 3 * * *\"");
  } else if (check_schedule) {
    const std::string tz = spec.time_zone.value_or("");
    try {
      check_schedule(spec.schedule, tz);
    } catch (const Invalid& e) {
      // Blame the time zone when the schedule alone parses in local time.
      bool schedule_ok = false;
      if (!tz.empty()) {
        try {
          check_schedule(spec.schedule, "");
          schedule_ok = true;
        } catch (const Invalid&) {
        }
      }
      if (schedule_ok) {
        c.add("spec.timeZone", "invalid time zone " + quoted(tz) + ": " + e.what());
      } else {
        c.add("spec.schedule", "invalid schedule " + quoted(spec.schedule) + ": " + e.what());
      }
    }
  }
  c.one_of("spec.concurrencyPolicy", spec.concurrency_policy, {"Allow", "Forbid", "Replace"}, true);
  c.at_least("spec.successfulRunHistoryLimit", spec.successful_run_history_limit, 0);
  c.at_least("spec.failedRunHistoryLimit", spec.failed_run_history_limit, 0);
  if (spec.template_raw.is_null() || spec.template_raw.empty()) {
    c.add("spec.template", "required");
    return errors;
  }
  try {
    validate_spec(spark_application_spec_from_json(spec.template_raw, "spec.template"),
                  "spec.template", errors);
  } catch (const Invalid& e) {
    // "<path>: <problem>" from the typed parse.
    std::string what = e.what();
    auto colon = what.find(": ");
    if (colon == std::string::npos) {
      c.add("spec.template", what);
    } else {
      c.add(what.substr(0, colon), what.substr(colon + 2));
    }
  }
  return errors;
}

}  // namespace sp::api
