// Prometheus monitoring as the Kubeflow operator sets it up before submitting
// (configPrometheusMonitoring): the JMX exporter java agent in the driver's and executors' JVM
// options, scrape annotations, the metrics conf keys, and the <app>-prom-conf ConfigMap with
// metrics.properties and the exporter's prometheus.yaml (its defaults unless the spec gives
// them). The pods mount it in pod_customizations.cc.
#include "runtime/kube/driver_build.h"

namespace sp::kube::detail {
namespace {

constexpr const char* kMountPath = "/etc/metrics/conf";
constexpr int32_t kDefaultPort = 8090;

// The operator's default metrics.properties: the JMX sink and the JVM source.
constexpr const char* kDefaultMetricsProperties = R"(
*.sink.jmx.class=org.apache.spark.metrics.sink.JmxSink
driver.source.jvm.class=org.apache.spark.metrics.source.JvmSource
executor.source.jvm.class=org.apache.spark.metrics.source.JvmSource)";

// The operator's default JMX exporter rules, which give the spark_driver_* and spark_executor_*
// metric names its dashboards use.
constexpr const char* kDefaultPrometheusConfig = R"(
lowercaseOutputName: true
attrNameSnakeCase: true
rules:
  - pattern: metrics<name=(\S+)\.(\S+)\.driver\.(BlockManager|DAGScheduler|jvm)\.(\S+)><>Value
    name: spark_driver_$3_$4
    type: GAUGE
    labels:
      app_namespace: "$1"
      app_id: "$2"
  - pattern: metrics<name=(\S+)\.(\S+)\.driver\.(\S+)\.StreamingMetrics\.streaming\.(\S+)><>Value
    name: spark_streaming_driver_$4
    type: GAUGE
    labels:
      app_namespace: "$1"
      app_id: "$2"
  - pattern: metrics<name=(\S+)\.(\S+)\.driver\.spark\.streaming\.(\S+)\.(\S+)><>Value
    name: spark_structured_streaming_driver_$4
    type: GAUGE
    labels:
      app_namespace: "$1"
      app_id: "$2"
      query_name: "$3"
  - pattern: metrics<name=(\S+)\.(\S+)\.(\S+)\.executor\.(\S+)><>Value
    name: spark_executor_$4
    type: GAUGE
    labels:
      app_namespace: "$1"
      app_id: "$2"
      executor_id: "$3"
  - pattern: metrics<name=(\S+)\.(\S+)\.driver\.DAGScheduler\.(.*)><>Count
    name: spark_driver_DAGScheduler_$3_count
    type: COUNTER
    labels:
      app_namespace: "$1"
      app_id: "$2"
  - pattern: metrics<name=(\S+)\.(\S+)\.driver\.HiveExternalCatalog\.(.*)><>Count
    name: spark_driver_HiveExternalCatalog_$3_count
    type: COUNTER
    labels:
      app_namespace: "$1"
      app_id: "$2"
  - pattern: metrics<name=(\S+)\.(\S+)\.driver\.CodeGenerator\.(.*)><>Count
    name: spark_driver_CodeGenerator_$3_count
    type: COUNTER
    labels:
      app_namespace: "$1"
      app_id: "$2"
  - pattern: metrics<name=(\S+)\.(\S+)\.driver\.LiveListenerBus\.(.*)><>Count
    name: spark_driver_LiveListenerBus_$3_count
    type: COUNTER
    labels:
      app_namespace: "$1"
      app_id: "$2"
  - pattern: metrics<name=(\S+)\.(\S+)\.driver\.LiveListenerBus\.(.*)><>Value
    name: spark_driver_LiveListenerBus_$3
    type: GAUGE
    labels:
      app_namespace: "$1"
      app_id: "$2"
  - pattern: metrics<name=(\S+)\.(\S+)\.(.*)\.executor\.(.*)><>Count
    name: spark_executor_$4_count
    type: COUNTER
    labels:
      app_namespace: "$1"
      app_id: "$2"
      executor_id: "$3"
  - pattern: metrics<name=(\S+)\.(\S+)\.([0-9]+)\.(jvm|NettyBlockTransfer)\.(.*)><>Value
    name: spark_executor_$4_$5
    type: GAUGE
    labels:
      app_namespace: "$1"
      app_id: "$2"
      executor_id: "$3"
  - pattern: metrics<name=(\S+)\.(\S+)\.([0-9]+)\.HiveExternalCatalog\.(.*)><>Count
    name: spark_executor_HiveExternalCatalog_$4_count
    type: COUNTER
    labels:
      app_namespace: "$1"
      app_id: "$2"
      executor_id: "$3"
  - pattern: metrics<name=(\S+)\.(\S+)\.([0-9]+)\.CodeGenerator\.(.*)><>Count
    name: spark_executor_CodeGenerator_$4_count
    type: COUNTER
    labels:
      app_namespace: "$1"
      app_id: "$2"
      executor_id: "$3"
)";

bool set(const std::optional<std::string>& v) { return v && !v->empty(); }

void expose(api::SparkPodSpec& pod, std::optional<std::string>& java_options, int32_t port,
            const std::string& agent) {
  pod.annotations["prometheus.io/scrape"] = "true";
  pod.annotations["prometheus.io/port"] = std::to_string(port);
  pod.annotations["prometheus.io/path"] = "/metrics";
  java_options = java_options ? *java_options + " " + agent : agent;
}

}  // namespace

void apply_monitoring(Build& b) {
  auto& mon = b.spec.monitoring;
  if (!mon || !mon->prometheus) return;
  const auto& prom = *mon->prometheus;
  int32_t port = prom.port.value_or(kDefaultPort);
  bool props_file = set(mon->metrics_properties_file);
  bool config_file = set(prom.config_file);

  if (!props_file || !config_file) {
    Json data = Json::object();
    if (!props_file)
      data["metrics.properties"] = mon->metrics_properties.value_or(kDefaultMetricsProperties);
    if (!config_file)
      data["prometheus.yaml"] = prom.configuration.value_or(kDefaultPrometheusConfig);
    Json meta = Json{{"name", b.name + "-prom-conf"}, {"namespace", b.ns}};
    Json ref = app_owner_reference(b);
    if (!ref.is_null()) meta["ownerReferences"] = Json::array({ref});
    b.out.prometheus_config_map =
        Json{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", meta}, {"data", data}};
  }

  std::string jar = prom.jmx_exporter_jar.value_or("");
  std::string agent =
      "-javaagent:" + jar + "=" + std::to_string(port) + ":" +
      (config_file ? *prom.config_file : std::string(kMountPath) + "/prometheus.yaml");
  b.spec.spark_conf["spark.metrics.namespace"] = b.ns + "." + b.name;
  b.spec.spark_conf["spark.metrics.conf"] =
      props_file ? *mon->metrics_properties_file : std::string(kMountPath) + "/metrics.properties";
  if (mon->expose_driver_metrics) expose(b.spec.driver, b.spec.driver.java_options, port, agent);
  if (mon->expose_executor_metrics) {
    expose(b.spec.executor, b.spec.executor.java_options, port, agent);
  }
}

}  // namespace sp::kube::detail
