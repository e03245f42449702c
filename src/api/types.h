// The sparkoperator.k8s.io/v1beta2 resources: SparkApplication and
// ScheduledSparkApplication, field for field as the Kubeflow Spark Operator defines them.
//
// Conventions:
// - Every optional scalar of the Go API (a pointer or `omitempty`) is std::optional here,
//   so "not set" and "set to zero" stay distinct and defaults can be applied on top.
// - Kubernetes core types (Affinity, Toleration, Volume, EnvVar, Container, ...) are
//   kept as raw JSON: the API server validates them and the runtimes pass them through.
// - The spec is a read-only typed view of the stored document: the stored `spec` JSON
//   (`SparkApplication::spec_raw`) stays the source of truth, so unknown fields are kept.
//   Controllers write status and metadata only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/object_meta.h"
#include "common/json.h"

namespace sp::api {

inline constexpr const char* kGroup = "sparkoperator.k8s.io";
inline constexpr const char* kVersion = "v1beta2";
inline constexpr const char* kApiVersion = "sparkoperator.k8s.io/v1beta2";
inline constexpr const char* kSparkApplicationKind = "SparkApplication";
inline constexpr const char* kScheduledSparkApplicationKind = "ScheduledSparkApplication";

// ---- enums (kept as strings, as in the Go API) -------------------------------------------

// SparkApplicationType: "Java", "Scala", "Python", "R".
// DeployMode: "cluster", "client", "in-cluster-client".
// RestartPolicyType: "Never", "OnFailure", "Always".
// ConcurrencyPolicy: "Allow", "Forbid", "Replace".
// ScheduleState: "", "Scheduled", "FailedValidation".

enum class AppState {
  kNew,  // ""
  kSubmitted,
  kRunning,
  kSucceeding,
  kCompleted,
  kFailing,
  kFailed,
  kSubmissionFailed,
  kPendingRerun,
  kInvalidating,
  kSuspending,
  kSuspended,
  kResuming,
  kUnknown,
};

std::string to_string(AppState s);
AppState app_state_from_string(const std::string& s);  // unrecognized -> kUnknown
bool is_terminal(AppState s);                          // COMPLETED or FAILED

// DriverState / ExecutorState values as the operator reports them:
// PENDING, RUNNING, COMPLETED, FAILED, UNKNOWN.

// ---- spec ---------------------------------------------------------------------------------

struct NamePath {
  std::string name;
  std::string path;
};

struct NameKey {
  std::string name;
  std::string key;
};

struct SecretInfo {
  std::string name;
  std::string path;
  std::string secret_type;  // "secretType": GCPServiceAccount, HadoopDelegationToken, Generic
};

struct GPUSpec {
  std::string name;
  int64_t quantity = 0;
};

struct Port {
  std::string name;
  std::string protocol;
  int32_t container_port = 0;
};

struct Dependencies {
  std::vector<std::string> jars;
  std::vector<std::string> files;
  std::vector<std::string> py_files;
  std::vector<std::string> packages;
  std::vector<std::string> exclude_packages;
  std::vector<std::string> repositories;
  std::vector<std::string> archives;
};

struct SparkPodSpec {
  Json template_ = nullptr;  // "template": a PodTemplateSpec
  std::optional<int32_t> cores;
  std::optional<std::string> core_limit;
  std::optional<std::string> memory;
  std::optional<std::string> memory_overhead;
  std::optional<GPUSpec> gpu;
  std::optional<std::string> image;
  std::vector<NamePath> config_maps;
  std::vector<SecretInfo> secrets;
  Json env = nullptr;                                  // []EnvVar
  std::map<std::string, std::string> env_vars;         // deprecated in the operator, still honoured
  Json env_from = nullptr;                             // []EnvFromSource
  std::map<std::string, NameKey> env_secret_key_refs;  // "envSecretKeyRefs", deprecated
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  Json volume_mounts = nullptr;         // []VolumeMount
  Json affinity = nullptr;              // Affinity
  Json tolerations = nullptr;           // []Toleration
  Json pod_security_context = nullptr;  // PodSecurityContext
  Json security_context = nullptr;      // SecurityContext
  std::optional<std::string> scheduler_name;
  Json sidecars = nullptr;         // []Container
  Json init_containers = nullptr;  // []Container
  std::optional<bool> host_network;
  std::map<std::string, std::string> node_selector;
  Json dns_config = nullptr;  // PodDNSConfig
  std::optional<int64_t> termination_grace_period_seconds;
  std::optional<std::string> service_account;
  Json host_aliases = nullptr;  // []HostAlias
  std::optional<bool> share_process_namespace;
};

struct DriverSpec : SparkPodSpec {
  std::optional<std::string> pod_name;
  std::optional<std::string> core_request;
  std::optional<std::string> java_options;
  Json lifecycle = nullptr;  // Lifecycle
  std::optional<std::string> kubernetes_master;
  std::map<std::string, std::string> service_annotations;
  std::map<std::string, std::string> service_labels;
  std::vector<Port> ports;
  std::optional<std::string> priority_class_name;
};

struct ExecutorSpec : SparkPodSpec {
  std::optional<int32_t> instances;
  std::optional<std::string> core_request;
  std::optional<std::string> java_options;
  Json lifecycle = nullptr;
  std::optional<bool> delete_on_termination;
  std::vector<Port> ports;
  std::optional<std::string> priority_class_name;
};

struct RestartPolicy {
  std::string type;  // Never | OnFailure | Always; "" before defaults
  std::optional<int32_t> on_submission_failure_retries;
  std::optional<int32_t> on_failure_retries;
  std::optional<int64_t> on_submission_failure_retry_interval;  // seconds
  std::optional<int64_t> on_failure_retry_interval;             // seconds
};

struct PrometheusSpec {
  std::optional<std::string> jmx_exporter_jar;
  std::optional<int32_t> port;
  std::optional<std::string> port_name;
  std::optional<std::string> config_file;
  std::optional<std::string> configuration;
};

struct MonitoringSpec {
  bool expose_driver_metrics = false;
  bool expose_executor_metrics = false;
  std::optional<std::string> metrics_properties;
  std::optional<std::string> metrics_properties_file;
  std::optional<PrometheusSpec> prometheus;
};

struct BatchSchedulerConfiguration {
  std::optional<std::string> queue;
  std::optional<std::string> priority_class_name;
  Json resources = nullptr;  // ResourceList
};

struct SparkUIConfiguration {
  std::optional<int32_t> service_port;
  std::optional<std::string> service_port_name;
  std::optional<std::string> service_type;
  std::map<std::string, std::string> service_annotations;
  std::map<std::string, std::string> service_labels;
  std::map<std::string, std::string> ingress_annotations;
  Json ingress_tls = nullptr;  // []IngressTLS
};

struct DriverIngressConfiguration {
  std::optional<int32_t> service_port;
  std::optional<std::string> service_port_name;
  std::optional<std::string> service_type;
  std::map<std::string, std::string> service_annotations;
  std::map<std::string, std::string> service_labels;
  std::string ingress_url_format;
  std::map<std::string, std::string> ingress_annotations;
  Json ingress_tls = nullptr;
};

struct DynamicAllocation {
  bool enabled = false;
  std::optional<int32_t> initial_executors;
  std::optional<int32_t> min_executors;
  std::optional<int32_t> max_executors;
  std::optional<int64_t> shuffle_tracking_timeout;  // milliseconds
  std::optional<bool> shuffle_tracking_enabled;     // newer operators default it to true
};

struct SparkApplicationSpec {
  std::string type;  // Java | Scala | Python | R
  std::optional<std::string> spark_version;
  std::string mode;  // cluster | client | in-cluster-client; "" before defaults
  std::optional<std::string> proxy_user;
  std::optional<std::string> image;
  std::optional<std::string> image_pull_policy;
  std::vector<std::string> image_pull_secrets;
  std::optional<std::string> main_class;
  std::optional<std::string> main_application_file;
  std::vector<std::string> arguments;
  std::map<std::string, std::string> spark_conf;
  std::map<std::string, std::string> hadoop_conf;
  std::optional<std::string> spark_config_map;
  std::optional<std::string> hadoop_config_map;
  Json volumes = nullptr;  // []Volume
  DriverSpec driver;
  ExecutorSpec executor;
  Dependencies deps;
  RestartPolicy restart_policy;
  std::map<std::string, std::string> node_selector;
  std::optional<int32_t> failure_retries;  // deprecated
  std::optional<int64_t> retry_interval;   // deprecated
  std::optional<std::string> python_version;
  std::optional<std::string> memory_overhead_factor;
  std::optional<MonitoringSpec> monitoring;
  std::optional<std::string> batch_scheduler;
  std::optional<int64_t> time_to_live_seconds;
  std::optional<BatchSchedulerConfiguration> batch_scheduler_options;
  std::optional<SparkUIConfiguration> spark_ui_options;
  std::vector<DriverIngressConfiguration> driver_ingress_options;
  std::optional<DynamicAllocation> dynamic_allocation;
  std::optional<bool> suspend;
  std::optional<std::string> managed_by;  // "managedBy": immutable once set
};

// ---- status -------------------------------------------------------------------------------

struct DriverInfo {
  std::string web_ui_service_name;
  std::string web_ui_address;
  int32_t web_ui_port = 0;
  std::string web_ui_ingress_name;
  std::string web_ui_ingress_address;
  std::string pod_name;
};

struct ApplicationStateInfo {
  AppState state = AppState::kNew;
  std::string error_message;
};

struct SparkApplicationStatus {
  std::string spark_application_id;
  std::string submission_id;
  std::string last_submission_attempt_time;  // RFC 3339
  std::string termination_time;              // RFC 3339
  DriverInfo driver_info;
  ApplicationStateInfo app_state;  // "applicationState"
  std::map<std::string, std::string> executor_state;
  int32_t execution_attempts = 0;
  int32_t submission_attempts = 0;
};

struct SparkApplication {
  ObjectMeta metadata;
  Json spec_raw = Json::object();  // the stored spec, unknown fields included
  SparkApplicationSpec spec;       // typed view of spec_raw (no defaults applied)
  SparkApplicationStatus status;
};

struct ScheduledSparkApplicationSpec {
  std::string schedule;
  std::optional<std::string> time_zone;
  Json template_raw = Json::object();  // "template": a SparkApplicationSpec, kept as stored
  std::optional<bool> suspend;
  std::string concurrency_policy;  // "" before defaults
  std::optional<int32_t> successful_run_history_limit;
  std::optional<int32_t> failed_run_history_limit;
};

struct ScheduledSparkApplicationStatus {
  std::string last_run;  // RFC 3339
  std::string next_run;  // RFC 3339
  std::string last_run_name;
  std::vector<std::string> past_successful_run_names;
  std::vector<std::string> past_failed_run_names;
  std::string schedule_state;
  std::string reason;
};

struct ScheduledSparkApplication {
  ObjectMeta metadata;
  Json spec_raw = Json::object();
  ScheduledSparkApplicationSpec spec;
  ScheduledSparkApplicationStatus status;
};

// ---- (de)serialization ----------------------------------------------------------------------

// Parse a whole object. Throws sp::Invalid("<path>: <problem>") on wrong JSON types.
SparkApplication spark_application_from_json(const Json& obj);
Json to_json(const SparkApplication& app);  // apiVersion, kind, metadata, spec_raw, status
SparkApplicationSpec spark_application_spec_from_json(const Json& spec);  // path prefix "spec"
// The same with another path prefix for errors, e.g. "spec.template".
SparkApplicationSpec spark_application_spec_from_json(const Json& spec, const std::string& path);
Json status_to_json(const SparkApplicationStatus& s);
SparkApplicationStatus status_from_json(const Json& s);

ScheduledSparkApplication scheduled_spark_application_from_json(const Json& obj);
Json to_json(const ScheduledSparkApplication& app);
// The typed view of spec (template kept raw; its types are checked too). Path prefix "spec".
ScheduledSparkApplicationSpec scheduled_spark_application_spec_from_json(const Json& spec);
Json status_to_json(const ScheduledSparkApplicationStatus& s);
ScheduledSparkApplicationStatus scheduled_status_from_json(const Json& s);

}  // namespace sp::api
