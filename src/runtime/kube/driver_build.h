// Internal to the driver resource builder (driver_resources.h): the state of one build and the
// steps that fill it, each in its own file, in the order build_driver_resources runs them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"
#include "common/json.h"
#include "runtime/kube/driver_resources.h"

namespace sp::kube::detail {

// A SparkConf: key -> value, later settings replacing earlier ones as in spark-submit.
class Conf {
 public:
  void set(const std::string& key, const std::string& value) { map_[key] = value; }
  bool contains(const std::string& key) const { return map_.contains(key); }
  std::optional<std::string> get(const std::string& key) const;
  std::string get_or(const std::string& key, const std::string& fallback) const;
  // Entries under `prefix`, keyed by the rest of their key ("spark.kubernetes.driver.label.").
  std::map<std::string, std::string> with_prefix(const std::string& prefix) const;
  const std::map<std::string, std::string>& all() const { return map_; }

 private:
  std::map<std::string, std::string> map_;
};

// What the Kubeflow operator hands spark-submit: its options and --conf pairs
// (buildSparkSubmitArgs of internal/controller/sparkapplication/submission.go).
struct Submission {
  std::string name;        // --name
  std::string main_class;  // --class; empty when not given
  std::string proxy_user;  // --proxy-user; empty when not given
  std::string main_file;   // the primary resource
  std::vector<std::string> args;
  api::Dependencies deps;  // --jars, --files, --py-files, --packages, ... (empty lists: absent)
  Conf conf;               // --conf pairs
};

enum class Role { kDriver, kExecutor };

struct Build {
  Build(const api::SparkApplication& a, const DriverOptions& o, std::string sid, DriverResources& r)
      : app(a), opts(o), submission_id(std::move(sid)), out(r) {}

  const api::SparkApplication& app;
  const DriverOptions& opts;
  std::string submission_id;
  DriverResources& out;

  // The defaulted spec as the operator changes it before submitting (monitoring and batch
  // scheduler settings are written into it, as Kubeflow does to app.Spec).
  api::SparkApplicationSpec spec;
  std::string ns, name;

  std::string prefix;           // Spark's resource name prefix
  std::string config_map_name;  // spark-drv-<id>-conf-map
  std::string template_config_map_name;
  Json executor_template = nullptr;  // the executor pod template (a Pod), or null

  Submission submission;
  Conf conf;                  // the SparkConf spark-submit builds the driver from
  std::string resource_type;  // spark.kubernetes.resource.type: java, python or r
  std::map<std::string, std::string> properties;     // spark.properties: conf + feature steps'
  std::map<std::string, std::string> driver_labels;  // Spark's driver labels: the Service selector
  // s3://bucket/prefix the event-log ship sidecar uploads to; empty: no sidecar.
  std::string ship_to;

  void warn(const std::string& message) { out.warnings.push_back(message); }
};

// ---- steps, in order ----------------------------------------------------------------------

// monitoring.cc: configPrometheusMonitoring (sparkConf, annotations, javaOptions) and its
// ConfigMap.
void apply_monitoring(Build& b);
// batch_scheduler.cc: yunikorn's queue label, task groups and scheduler name; warnings for the
// schedulers whose extra objects the operator would create (Volcano's PodGroup).
void apply_batch_scheduler(Build& b);
// executor_template.cc: spec.executor.template with the operator's executor customizations, or
// null when the executors need none.
Json executor_pod_template(Build& b);
// submission_conf.cc: the operator's spark-submit options and --conf pairs.
Submission kubeflow_submission(Build& b);
// event_log_shipper.cc: whether the event-log ship sidecar applies (b.ship_to), and if so the
// driver's spark.eventLog.dir turned to its local directory in the submission's conf.
void plan_event_log_shipper(Build& b);
// spark_conf.cc: the SparkConf spark-submit makes of the submission (b.conf, b.resource_type) and
// the driver's spark.properties (b.properties).
void resolve_spark_conf(Build& b);
// driver_pod.cc: the driver Pod of Spark's driver feature steps.
Json spark_driver_pod(Build& b);
// driver_pod_volumes.cc: the steps of spark_driver_pod that add volumes to the pod `pod` and its
// Spark container `c`, in the order it runs them.
void driver_secrets(Build& b, Json& pod, Json& c);
void driver_conf_volumes(Build& b, Json& pod, Json& c);
void driver_hadoop_conf(Build& b, Json& pod, Json& c);
void driver_pod_template_volume(Build& b, Json& pod, Json& c);
void driver_local_dirs(Build& b, Json& pod, Json& c);
// pod_customizations.cc: the operator's webhook mutations of a driver or executor pod.
void customize_pod(Json& pod, Build& b, Role role);
// event_log_shipper.cc: the sidecar, its emptyDir and the driver container's mount of it, when
// b.ship_to is set; run on the customized driver pod, so that names taken by the application's
// own volumes and containers are seen (an error).
void add_event_log_shipper(Build& b, Json& pod);
// driver_services.cc: the headless driver Service; the UI Service and Ingress; the Services and
// Ingresses of driverIngressOptions.
Json driver_service(Build& b);
void ui_service_and_ingress(Build& b);
void driver_ingresses(Build& b);

// ---- shared helpers -------------------------------------------------------------------------

inline constexpr const char* kDriverContainer = "spark-kubernetes-driver";
inline constexpr const char* kExecutorContainer = "spark-kubernetes-executor";

// The OwnerReference to the SparkApplication (controller, blocks owner deletion); null when
// the application has no uid yet.
Json app_owner_reference(const Build& b);
// {"sparkoperator.k8s.io/app-name": name, "sparkoperator.k8s.io/submission-id": id}.
Json operator_resource_labels(const Build& b);
// A map as a JSON object (key order).
Json to_object(const std::map<std::string, std::string>& m);
// The index of the Spark container of a pod's spec.containers: the one named `name`, else 0.
size_t spark_container_index(const Json& pod, const std::string& name);
// Appends `item` to the array at obj[key] (creating it).
void append(Json& obj, const char* key, Json item);
// "java", "python" or "r" for a primary resource, as spark-submit decides (by its suffix).
std::string resource_type_of(const std::string& main_file);
// A double as Java's Double.toString writes it for the values Spark prints ("0.1", "0.4").
std::string java_double(double v);

}  // namespace sp::kube::detail
