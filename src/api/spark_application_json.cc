// SparkApplication JSON: the typed view of spec and the whole object (spec kept as stored).
#include "api/json_reader.h"
#include "api/types.h"
#include "common/error.h"

namespace sp::api {
namespace {

void read_name_path(const ObjectReader& r, NamePath& out) {
  r("name", out.name);
  r("path", out.path);
}

void read_secret(const ObjectReader& r, SecretInfo& out) {
  r("name", out.name);
  r("path", out.path);
  r("secretType", out.secret_type);
}

void read_port(const ObjectReader& r, Port& out) {
  r("name", out.name);
  r("protocol", out.protocol);
  r("containerPort", out.container_port);
}

// The fields SparkPodSpec puts inline into DriverSpec and ExecutorSpec.
void read_pod_spec(const ObjectReader& r, SparkPodSpec& out) {
  r.raw("template", out.template_, false);
  r("cores", out.cores);
  r("coreLimit", out.core_limit);
  r("memory", out.memory);
  r("memoryOverhead", out.memory_overhead);
  r.object("gpu", [&](const ObjectReader& g) {
    auto& gpu = out.gpu.emplace();
    g("name", gpu.name);
    g("quantity", gpu.quantity);
  });
  r("image", out.image);
  r.list("configMaps", out.config_maps, read_name_path);
  r.list("secrets", out.secrets, read_secret);
  r.raw("env", out.env, true);
  r("envVars", out.env_vars);
  r.raw("envFrom", out.env_from, true);
  r.map("envSecretKeyRefs", out.env_secret_key_refs, [](const ObjectReader& k, NameKey& nk) {
    k("name", nk.name);
    k("key", nk.key);
  });
  r("labels", out.labels);
  r("annotations", out.annotations);
  r.raw("volumeMounts", out.volume_mounts, true);
  r.raw("affinity", out.affinity, false);
  r.raw("tolerations", out.tolerations, true);
  r.raw("podSecurityContext", out.pod_security_context, false);
  r.raw("securityContext", out.security_context, false);
  r("schedulerName", out.scheduler_name);
  r.raw("sidecars", out.sidecars, true);
  r.raw("initContainers", out.init_containers, true);
  r("hostNetwork", out.host_network);
  r("nodeSelector", out.node_selector);
  r.raw("dnsConfig", out.dns_config, false);
  r("terminationGracePeriodSeconds", out.termination_grace_period_seconds);
  r("serviceAccount", out.service_account);
  r.raw("hostAliases", out.host_aliases, true);
  r("shareProcessNamespace", out.share_process_namespace);
}

void read_driver(const ObjectReader& r, DriverSpec& out) {
  read_pod_spec(r, out);
  r("podName", out.pod_name);
  r("coreRequest", out.core_request);
  r("javaOptions", out.java_options);
  r.raw("lifecycle", out.lifecycle, false);
  r("kubernetesMaster", out.kubernetes_master);
  r("serviceAnnotations", out.service_annotations);
  r("serviceLabels", out.service_labels);
  r.list("ports", out.ports, read_port);
  r("priorityClassName", out.priority_class_name);
}

void read_executor(const ObjectReader& r, ExecutorSpec& out) {
  read_pod_spec(r, out);
  r("instances", out.instances);
  r("coreRequest", out.core_request);
  r("javaOptions", out.java_options);
  r.raw("lifecycle", out.lifecycle, false);
  r("deleteOnTermination", out.delete_on_termination);
  r.list("ports", out.ports, read_port);
  r("priorityClassName", out.priority_class_name);
}

void read_deps(const ObjectReader& r, Dependencies& out) {
  r("jars", out.jars);
  r("files", out.files);
  r("pyFiles", out.py_files);
  r("packages", out.packages);
  r("excludePackages", out.exclude_packages);
  r("repositories", out.repositories);
  r("archives", out.archives);
}

void read_restart_policy(const ObjectReader& r, RestartPolicy& out) {
  r("type", out.type);
  r("onSubmissionFailureRetries", out.on_submission_failure_retries);
  r("onFailureRetries", out.on_failure_retries);
  r("onSubmissionFailureRetryInterval", out.on_submission_failure_retry_interval);
  r("onFailureRetryInterval", out.on_failure_retry_interval);
}

void read_monitoring(const ObjectReader& r, MonitoringSpec& out) {
  r("exposeDriverMetrics", out.expose_driver_metrics);
  r("exposeExecutorMetrics", out.expose_executor_metrics);
  r("metricsProperties", out.metrics_properties);
  r("metricsPropertiesFile", out.metrics_properties_file);
  r.object("prometheus", [&](const ObjectReader& p) {
    auto& prom = out.prometheus.emplace();
    p("jmxExporterJar", prom.jmx_exporter_jar);
    p("port", prom.port);
    p("portName", prom.port_name);
    p("configFile", prom.config_file);
    p("configuration", prom.configuration);
  });
}

void read_ui_options(const ObjectReader& r, SparkUIConfiguration& out) {
  r("servicePort", out.service_port);
  r("servicePortName", out.service_port_name);
  r("serviceType", out.service_type);
  r("serviceAnnotations", out.service_annotations);
  r("serviceLabels", out.service_labels);
  r("ingressAnnotations", out.ingress_annotations);
  r.raw("ingressTLS", out.ingress_tls, true);
}

void read_driver_ingress(const ObjectReader& r, DriverIngressConfiguration& out) {
  r("servicePort", out.service_port);
  r("servicePortName", out.service_port_name);
  r("serviceType", out.service_type);
  r("serviceAnnotations", out.service_annotations);
  r("serviceLabels", out.service_labels);
  r("ingressURLFormat", out.ingress_url_format);
  r("ingressAnnotations", out.ingress_annotations);
  r.raw("ingressTLS", out.ingress_tls, true);
}

void read_dynamic_allocation(const ObjectReader& r, DynamicAllocation& out) {
  r("enabled", out.enabled);
  r("initialExecutors", out.initial_executors);
  r("minExecutors", out.min_executors);
  r("maxExecutors", out.max_executors);
  r("shuffleTrackingTimeout", out.shuffle_tracking_timeout);
  r("shuffleTrackingEnabled", out.shuffle_tracking_enabled);
}

}  // namespace

SparkApplicationSpec spark_application_spec_from_json(const Json& spec, const std::string& path) {
  ObjectReader r(spec, path);
  SparkApplicationSpec s;
  r("type", s.type);
  r("sparkVersion", s.spark_version);
  r("mode", s.mode);
  r("proxyUser", s.proxy_user);
  r("image", s.image);
  r("imagePullPolicy", s.image_pull_policy);
  r("imagePullSecrets", s.image_pull_secrets);
  r("mainClass", s.main_class);
  r("mainApplicationFile", s.main_application_file);
  r("arguments", s.arguments);
  r("sparkConf", s.spark_conf);
  r("hadoopConf", s.hadoop_conf);
  r("sparkConfigMap", s.spark_config_map);
  r("hadoopConfigMap", s.hadoop_config_map);
  r.raw("volumes", s.volumes, true);
  r.object("driver", [&](const ObjectReader& d) { read_driver(d, s.driver); });
  r.object("executor", [&](const ObjectReader& e) { read_executor(e, s.executor); });
  r.object("deps", [&](const ObjectReader& d) { read_deps(d, s.deps); });
  r.object("restartPolicy",
           [&](const ObjectReader& p) { read_restart_policy(p, s.restart_policy); });
  r("nodeSelector", s.node_selector);
  r("failureRetries", s.failure_retries);
  r("retryInterval", s.retry_interval);
  r("pythonVersion", s.python_version);
  r("memoryOverheadFactor", s.memory_overhead_factor);
  r.object("monitoring",
           [&](const ObjectReader& m) { read_monitoring(m, s.monitoring.emplace()); });
  r("batchScheduler", s.batch_scheduler);
  r("timeToLiveSeconds", s.time_to_live_seconds);
  r.object("batchSchedulerOptions", [&](const ObjectReader& b) {
    auto& opts = s.batch_scheduler_options.emplace();
    b("queue", opts.queue);
    b("priorityClassName", opts.priority_class_name);
    b.raw("resources", opts.resources, false);
  });
  r.object("sparkUIOptions",
           [&](const ObjectReader& u) { read_ui_options(u, s.spark_ui_options.emplace()); });
  r.list("driverIngressOptions", s.driver_ingress_options, read_driver_ingress);
  r.object("dynamicAllocation", [&](const ObjectReader& d) {
    read_dynamic_allocation(d, s.dynamic_allocation.emplace());
  });
  r("suspend", s.suspend);
  r("managedBy", s.managed_by);
  return s;
}

SparkApplicationSpec spark_application_spec_from_json(const Json& spec) {
  return spark_application_spec_from_json(spec, "spec");
}

SparkApplication spark_application_from_json(const Json& obj) {
  if (!obj.is_object()) throw_type_error("(document)", "an object", obj);
  SparkApplication app;
  app.metadata = meta_from_json(obj.value("metadata", Json()));
  auto spec = obj.find("spec");
  if (spec != obj.end() && !spec->is_null()) {
    if (!spec->is_object()) throw_type_error("spec", "an object", *spec);
    app.spec_raw = *spec;
  }
  app.spec = spark_application_spec_from_json(app.spec_raw);
  if (auto status = obj.find("status"); status != obj.end()) app.status = status_from_json(*status);
  return app;
}

Json to_json(const SparkApplication& app) {
  return object_to_json(kApiVersion, kSparkApplicationKind, app.metadata, app.spec_raw,
                        status_to_json(app.status));
}

}  // namespace sp::api
