// The executor pod template, Prometheus monitoring, the yunikorn batch scheduler, refused
// applications, and the objects' order and ownership.
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/yaml.h"
#include "driver_test_util.h"

namespace sp::kube {
namespace {

using testing::build;
using testing::driver_container;
using testing::env_of;
using testing::find_named;
using testing::prop;
using testing::python_spec;
using testing::scala_spec;

Json template_of(const DriverResources& r) {
  return parse_yaml_documents(
             r.executor_template_config_map["data"]["podspec-configmap-key"].get<std::string>(),
             "template")
      .at(0);
}

TEST(DriverExecutorTemplate, NoneWithoutCustomizations) {
  auto r = build(scala_spec("  executor:\n    instances: 2\n    labels: {a: b}\n"));
  EXPECT_TRUE(r.executor_template_config_map.is_null());
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.podTemplateFile"), "<unset>");
  EXPECT_EQ(find_named(r.driver_pod["spec"]["volumes"], "pod-template-volume"), nullptr);
}

TEST(DriverExecutorTemplate, CarriesTheExecutorCustomizations) {
  auto r = build(
      scala_spec("  volumes:\n    - {name: scratch, emptyDir: {}}\n  sparkConfigMap: spark-cm\n"
                 "  executor:\n    env: [{name: E, value: v}]\n    volumeMounts: [{name: scratch, "
                 "mountPath: /s}]\n    tolerations: [{key: k, operator: Exists}]\n"
                 "    gpu: {name: nvidia.com/gpu, quantity: 1}\n    priorityClassName: low\n"
                 "    sidecars: [{name: side, image: busybox}]\n    nodeSelector: {n: s}\n"));
  ASSERT_FALSE(r.executor_template_config_map.is_null());
  const Json& cm = r.executor_template_config_map;
  EXPECT_EQ(cm["metadata"]["name"],
            r.service_name.substr(0, r.service_name.size() - 11) + "-driver-podspec-conf-map");
  EXPECT_EQ(cm["immutable"], true);
  Json pod = template_of(r);
  EXPECT_EQ(pod["kind"], "Pod");
  const Json& c = pod["spec"]["containers"][0];
  EXPECT_EQ(c["name"], "spark-kubernetes-executor");
  EXPECT_EQ(env_of(c, "E"), "v");
  EXPECT_EQ(env_of(c, "SPARK_CONF_DIR"), "/etc/spark/conf");
  EXPECT_EQ(c["resources"]["limits"]["nvidia.com/gpu"], "1");
  EXPECT_NE(find_named(c["volumeMounts"], "scratch"), nullptr);
  EXPECT_NE(find_named(pod["spec"]["volumes"], "scratch"), nullptr);
  EXPECT_NE(find_named(pod["spec"]["volumes"], "spark-configmap-volume"), nullptr);
  EXPECT_EQ(pod["spec"]["containers"][1]["name"], "side");
  EXPECT_EQ(pod["spec"]["tolerations"][0]["key"], "k");
  EXPECT_EQ(pod["spec"]["priorityClassName"], "low");
  EXPECT_EQ(pod["spec"]["nodeSelector"]["n"], "s");
  EXPECT_FALSE(pod["metadata"].contains("ownerReferences"));  // only the driver's
  // The driver mounts it and tells Spark where it is.
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.podTemplateFile"),
            "/opt/spark/pod-template/pod-spec-template.yml");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.podTemplateContainerName"),
            "spark-kubernetes-executor");
  EXPECT_EQ(*find_named(r.driver_pod["spec"]["volumes"], "pod-template-volume"),
            Json::parse(R"({"name": "pod-template-volume", "configMap": {"name": ")" +
                        cm["metadata"]["name"].get<std::string>() +
                        R"(", "items": [{"key": "podspec-configmap-key",
                        "path": "pod-spec-template.yml"}]}})"));
  EXPECT_EQ(
      *find_named(driver_container(r)["volumeMounts"], "pod-template-volume"),
      Json::parse(R"({"name": "pod-template-volume", "mountPath": "/opt/spark/pod-template"})"));
}

TEST(DriverExecutorTemplate, UserTemplateUnderneath) {
  auto r = build(scala_spec(
      "  executor:\n    template:\n      metadata:\n        labels: {t: \"1\"}\n"
      "      spec:\n        containers:\n          - name: first\n            image: busybox\n"
      "          - name: spark-kubernetes-executor\n            env: [{name: T, value: \"1\"}]\n"
      "    env: [{name: E, value: v}]\n"));
  Json pod = template_of(r);
  EXPECT_EQ(pod["metadata"]["labels"]["t"], "1");
  ASSERT_EQ(pod["spec"]["containers"].size(), 2u);
  const Json& c = pod["spec"]["containers"][1];
  EXPECT_EQ(c["name"], "spark-kubernetes-executor");
  EXPECT_EQ(c["env"], Json::parse(R"([{"name": "T", "value": "1"}, {"name": "E", "value": "v"}])"));
  // A user template alone is passed on too.
  auto plain =
      build(scala_spec("  executor:\n    template:\n      metadata:\n"
                       "        labels: {t: \"1\"}\n"));
  EXPECT_FALSE(plain.executor_template_config_map.is_null());
  EXPECT_FALSE(prop(plain,
                    "spark.kubernetes.executor.label.sparkoperator.k8s.io/"
                    "mutated-by-spark-operator") == "true");
}

TEST(DriverMonitoring, PrometheusJavaAgentAndConfigMap) {
  auto r = build(
      scala_spec("  monitoring:\n    exposeDriverMetrics: true\n    exposeExecutorMetrics: true\n"
                 "    prometheus:\n      jmxExporterJar: /prom/agent.jar\n      port: 8091\n"
                 "  driver:\n    javaOptions: -Dx=y\n"));
  ASSERT_FALSE(r.prometheus_config_map.is_null());
  const Json& cm = r.prometheus_config_map;
  EXPECT_EQ(cm["metadata"]["name"], "app-prom-conf");
  EXPECT_EQ(cm["metadata"]["ownerReferences"][0]["kind"], "SparkApplication");
  EXPECT_NE(cm["data"]["metrics.properties"].get<std::string>().find("JmxSink"), std::string::npos);
  EXPECT_NE(cm["data"]["prometheus.yaml"].get<std::string>().find("spark_driver_"),
            std::string::npos);
  std::string agent = "-javaagent:/prom/agent.jar=8091:/etc/metrics/conf/prometheus.yaml";
  EXPECT_EQ(prop(r, "spark.driver.extraJavaOptions"), "-Dx=y " + agent);
  EXPECT_EQ(prop(r, "spark.executor.extraJavaOptions"), agent);
  EXPECT_EQ(prop(r, "spark.metrics.namespace"), "ns.app");
  EXPECT_EQ(prop(r, "spark.metrics.conf"), "/etc/metrics/conf/metrics.properties");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.annotation.prometheus.io/scrape"), "true");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.annotation.prometheus.io/port"), "8091");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.annotation.prometheus.io/path"), "/metrics");
  EXPECT_NE(find_named(r.driver_pod["spec"]["volumes"], "app-prom-conf-vol"), nullptr);
  EXPECT_EQ(*find_named(driver_container(r)["ports"], "jmx-exporter"),
            Json::parse(R"({"name": "jmx-exporter", "containerPort": 8091, "protocol": "TCP"})"));
  EXPECT_NE(find_named(template_of(r)["spec"]["volumes"], "app-prom-conf-vol"), nullptr);
  EXPECT_EQ(r.objects().front()["metadata"]["name"], "app-prom-conf");  // created first
}

TEST(DriverMonitoring, FilesInTheImageNeedNoConfigMap) {
  auto r = build(
      scala_spec("  monitoring:\n    exposeDriverMetrics: true\n    exposeExecutorMetrics: false\n"
                 "    metricsPropertiesFile: /etc/m.properties\n"
                 "    prometheus:\n      jmxExporterJar: /a.jar\n      configFile: /etc/p.yaml\n"));
  EXPECT_TRUE(r.prometheus_config_map.is_null());
  EXPECT_EQ(prop(r, "spark.metrics.conf"), "/etc/m.properties");
  EXPECT_EQ(prop(r, "spark.driver.extraJavaOptions"), "-javaagent:/a.jar=8090:/etc/p.yaml");
  EXPECT_EQ(prop(r, "spark.executor.extraJavaOptions"), "<unset>");
  EXPECT_EQ(find_named(r.driver_pod["spec"]["volumes"], "app-prom-conf-vol"), nullptr);
}

TEST(DriverYunikorn, QueueTaskGroupsAndScheduler) {
  auto r = build(
      scala_spec("  batchScheduler: yunikorn\n  batchSchedulerOptions:\n    queue: root.spark\n"
                 "  driver:\n    cores: 2\n    memory: 1g\n    labels: {tier: gold}\n"
                 "    tolerations: [{key: k, operator: Exists}]\n"
                 "  executor:\n    instances: 3\n    coreRequest: 500m\n    memory: 2g\n"
                 "    memoryOverhead: 1g\n    nodeSelector: {n: s}\n"));
  EXPECT_EQ(r.driver_pod["spec"]["schedulerName"], "yunikorn");
  EXPECT_EQ(r.driver_pod["metadata"]["labels"]["queue"], "root.spark");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.label.queue"), "root.spark");
  EXPECT_EQ(r.driver_pod["metadata"]["annotations"]["yunikorn.apache.org/task-group-name"],
            "spark-driver");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.annotation.yunikorn.apache.org/task-group-name"),
            "spark-executor");
  Json groups =
      Json::parse(r.driver_pod["metadata"]["annotations"]["yunikorn.apache.org/task-groups"]
                      .get<std::string>());
  EXPECT_EQ(groups, Json::parse(R"([
      {"name": "spark-driver", "minMember": 1, "minResource": {"cpu": "2", "memory": "1408Mi"},
       "tolerations": [{"key": "k", "operator": "Exists"}],
       "labels": {"queue": "root.spark", "tier": "gold"}},
      {"name": "spark-executor", "minMember": 3,
       "minResource": {"cpu": "500m", "memory": "3072Mi"}, "nodeSelector": {"n": "s"}}])"));
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.annotation.yunikorn.apache.org/task-groups"),
            "<unset>");  // only the originating pod carries them
  // Executors come from the template with yunikorn as their scheduler.
  EXPECT_EQ(template_of(r)["spec"]["schedulerName"], "yunikorn");
}

TEST(DriverYunikorn, NoExecutorGroupWithoutInitialExecutors) {
  auto r =
      build(python_spec("  batchScheduler: yunikorn\n"
                        "  dynamicAllocation:\n    enabled: true\n    minExecutors: 0\n"));
  Json groups =
      Json::parse(r.driver_pod["metadata"]["annotations"]["yunikorn.apache.org/task-groups"]
                      .get<std::string>());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]["minResource"]["memory"], "1433Mi");  // Python: 1g + 40%
}

TEST(DriverErrors, RefusedApplications) {
  EXPECT_THROW(build("  type: Scala\n  mainClass: X\n  mainApplicationFile: local:///a.jar\n"),
               Invalid);  // no image
  DriverOptions opts;
  opts.default_image = "spark:default";
  auto r = build("  type: Scala\n  mainClass: X\n  mainApplicationFile: local:///a.jar\n", opts);
  EXPECT_EQ(driver_container(r)["image"], "spark:default");
  EXPECT_THROW(build(scala_spec("  driver:\n    labels: {spark-role: x}\n")), Invalid);
  EXPECT_THROW(build(scala_spec("  sparkConf:\n    spark.driver.host: h\n")), Invalid);
  EXPECT_THROW(build(scala_spec("  sparkConf:\n    spark.driver.memory: lots\n")), Invalid);
  EXPECT_THROW(build_driver_resources(testing::app_from(scala_spec()), "", {}), Invalid);
  EXPECT_THROW(build(scala_spec("  mode: client\n")), Invalid);
  try {
    build(
        scala_spec("  volumes:\n    - {name: spark-local-dir-1, configMap: {name: c}}\n"
                   "  driver:\n    volumeMounts: [{name: spark-local-dir-1, mountPath: /x}]\n"));
    FAIL() << "expected Invalid";
  } catch (const Invalid& e) {
    EXPECT_NE(std::string(e.what()).find("spec.volumes: spark-local-dir-1"), std::string::npos);
  }
}

TEST(DriverObjects, OrderAndOwnership) {
  DriverOptions opts;
  opts.ingress_url_format = "{{$appName}}.example.com";
  auto r = build(scala_spec("  executor:\n    env: [{name: E, value: v}]\n"), opts);
  std::vector<std::string> kinds;
  for (const auto& o : r.objects()) kinds.push_back(o["kind"].get<std::string>());
  EXPECT_EQ(kinds, (std::vector<std::string>{"Pod", "ConfigMap", "Service", "ConfigMap", "Service",
                                             "Ingress"}));
  Json cm = r.config_map;
  own_by_driver_pod(cm, "app-driver", "pod-uid");
  own_by_driver_pod(cm, "app-driver", "pod-uid-2");  // replaces, never duplicates
  EXPECT_EQ(cm["metadata"]["ownerReferences"], Json::parse(R"([{"apiVersion": "v1",
      "kind": "Pod", "name": "app-driver", "uid": "pod-uid-2", "controller": true}])"));
  // Spark's objects have no owner until the pod exists; the operator's are the app's.
  EXPECT_FALSE(r.config_map["metadata"].contains("ownerReferences"));
  EXPECT_FALSE(r.service["metadata"].contains("ownerReferences"));
  EXPECT_EQ(r.ui_ingress["metadata"]["ownerReferences"][0]["uid"], "uid-1");
}

}  // namespace
}  // namespace sp::kube
