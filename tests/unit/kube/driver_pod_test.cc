// The driver Pod: Spark's driver feature steps (container, command, resources, labels, secrets,
// volumes, local dirs, spark.properties mount), the pod template underneath, and the Kubeflow
// webhook's customizations on top, family by family.
#include <gtest/gtest.h>

#include "driver_test_util.h"

namespace sp::kube {
namespace {

using testing::build;
using testing::driver_container;
using testing::env_of;
using testing::find_named;
using testing::python_spec;
using testing::scala_spec;

TEST(DriverPod, ContainerCommandAndPorts) {
  auto r = build(scala_spec("  arguments: [\"10\", \"x y\"]\n"));
  EXPECT_EQ(r.driver_pod["kind"], "Pod");
  EXPECT_EQ(r.driver_pod["metadata"]["name"], "app-driver");
  EXPECT_EQ(r.driver_pod["metadata"]["namespace"], "ns");
  EXPECT_EQ(r.driver_pod["spec"]["restartPolicy"], "Never");
  Json& c = driver_container(r);
  EXPECT_EQ(c["image"], "spark:4.1.1");
  EXPECT_EQ(c["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(c["args"], Json::parse(R"(["driver", "--properties-file",
      "/opt/spark/conf/spark.properties", "--class", "org.apache.spark.examples.SparkPi",
      "local:///opt/spark/examples/jars/spark-examples.jar", "10", "x y"])"));
  std::vector<std::pair<std::string, int>> ports;
  for (const auto& p : c["ports"]) ports.emplace_back(p["name"], p["containerPort"]);
  EXPECT_EQ(ports, (std::vector<std::pair<std::string, int>>{{"driver-rpc-port", 7078},
                                                             {"blockmanager", 7079},
                                                             {"spark-ui", 4040},
                                                             {"spark-connect", 15002}}));
}

TEST(DriverPod, PythonAndProxyUser) {
  auto r =
      build(python_spec("  proxyUser: alice\n  arguments: [\"4\"]\n"
                        "  sparkConf:\n    spark.pyspark.python: python3\n"));
  Json& c = driver_container(r);
  EXPECT_EQ(c["args"], Json::parse(R"(["driver", "--proxy-user", "alice", "--properties-file",
      "/opt/spark/conf/spark.properties", "--class", "org.apache.spark.deploy.PythonRunner",
      "local:///opt/app/main.py", "4"])"));
  EXPECT_EQ(env_of(c, "SPARK_USER"), "alice");
  EXPECT_EQ(env_of(c, "PYSPARK_PYTHON"), "python3");
  EXPECT_EQ(env_of(c, "PYSPARK_DRIVER_PYTHON"), "python3");
}

TEST(DriverPod, SparkEnvironment) {
  DriverOptions opts;
  opts.spark_user = "operator";
  auto r = build(scala_spec("  driver:\n    envVars: {B: \"2\", A: \"1\"}\n"
                            "    envSecretKeyRefs: {PW: {name: db, key: password}}\n"),
                 opts);
  Json& c = driver_container(r);
  std::vector<std::string> names;
  for (const auto& e : c["env"]) names.push_back(e["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"SPARK_USER", "SPARK_APPLICATION_ID", "A", "B",
                                             "SPARK_DRIVER_BIND_ADDRESS", "PW", "SPARK_LOCAL_DIRS",
                                             "SPARK_CONF_DIR"}));
  EXPECT_EQ(env_of(c, "SPARK_USER"), "operator");
  EXPECT_EQ(env_of(c, "SPARK_APPLICATION_ID"), r.app_id);
  EXPECT_EQ(env_of(c, "SPARK_CONF_DIR"), "/opt/spark/conf");
  EXPECT_EQ(*find_named(c["env"], "PW"), Json::parse(R"({"name": "PW", "valueFrom":
      {"secretKeyRef": {"key": "password", "name": "db"}}})"));
  EXPECT_EQ(*find_named(c["env"], "SPARK_DRIVER_BIND_ADDRESS"), Json::parse(R"({"name":
      "SPARK_DRIVER_BIND_ADDRESS", "valueFrom": {"fieldRef": {"apiVersion": "v1",
      "fieldPath": "status.podIP"}}})"));
}

TEST(DriverPod, MemoryAndCpu) {
  // JVM: 1g + max(10%, 384Mi).
  auto jvm = build(scala_spec());
  Json res = driver_container(jvm)["resources"];
  EXPECT_EQ(res, Json::parse(R"({"requests": {"cpu": "1", "memory": "1408Mi"},
                                 "limits": {"memory": "1408Mi"}})"));
  // Python: 40% overhead; explicit values; request and limit cores.
  auto py = build(python_spec("  driver:\n    memory: 2g\n"));
  EXPECT_EQ(driver_container(py)["resources"]["requests"]["memory"], "2867Mi");  // 2048 + 819
  auto r =
      build(scala_spec("  driver:\n    cores: 2\n    coreRequest: 500m\n"
                       "    coreLimit: 1200m\n    memory: 512m\n    memoryOverhead: 100m\n"));
  EXPECT_EQ(driver_container(r)["resources"], Json::parse(R"({"requests": {"cpu": "500m",
      "memory": "612Mi"}, "limits": {"cpu": "1200m", "memory": "612Mi"}})"));
  auto f = build(scala_spec("  memoryOverheadFactor: \"0.5\"\n  driver:\n    memory: 1g\n"));
  EXPECT_EQ(driver_container(f)["resources"]["requests"]["memory"], "1536Mi");
  auto custom =
      build(scala_spec("  sparkConf:\n    spark.driver.resource.gpu.amount: \"2\"\n"
                       "    spark.driver.resource.gpu.vendor: nvidia.com\n"));
  EXPECT_EQ(driver_container(custom)["resources"]["limits"]["nvidia.com/gpu"], "2");
}

TEST(DriverPod, LabelsAnnotationsAndOwner) {
  auto r =
      build(scala_spec("  driver:\n    labels: {tier: gold}\n"
                       "    annotations: {id: \"app={{APP_ID}}\"}\n"));
  const Json& meta = r.driver_pod["metadata"];
  EXPECT_EQ(meta["labels"]["tier"], "gold");
  EXPECT_EQ(meta["labels"]["spark-role"], "driver");
  EXPECT_EQ(meta["labels"]["spark-app-selector"], r.app_id);
  EXPECT_EQ(meta["labels"]["spark-app-name"], "app");
  EXPECT_EQ(meta["labels"]["spark-version"], "4.1.1");
  EXPECT_EQ(meta["labels"]["sparkoperator.k8s.io/app-name"], "app");
  EXPECT_EQ(meta["labels"]["sparkoperator.k8s.io/launched-by-spark-operator"], "true");
  EXPECT_EQ(meta["labels"]["sparkoperator.k8s.io/submission-id"], "sub-1");
  EXPECT_EQ(meta["annotations"]["id"], "app=" + r.app_id);
  EXPECT_EQ(meta["ownerReferences"], Json::parse(R"([{"apiVersion":
      "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication", "name": "app", "uid": "uid-1",
      "controller": true, "blockOwnerDeletion": true}])"));

  api::SparkApplication app = testing::app_from(scala_spec());
  app.metadata.uid.clear();
  auto no_uid = build_driver_resources(app, "sub-1", {});
  EXPECT_FALSE(no_uid.driver_pod["metadata"].contains("ownerReferences"));
  ASSERT_EQ(no_uid.warnings.size(), 1u);
  EXPECT_NE(no_uid.warnings[0].find("metadata.uid"), std::string::npos);
}

TEST(DriverPod, ServiceAccountPullSecretsSelectorsScheduler) {
  auto r =
      build(scala_spec("  imagePullPolicy: Always\n  imagePullSecrets: [a, b]\n"
                       "  nodeSelector: {disk: ssd}\n"
                       "  sparkConf:\n    spark.kubernetes.driver.schedulerName: sched\n"
                       "  driver:\n    serviceAccount: spark\n"));
  const Json& spec = r.driver_pod["spec"];
  EXPECT_EQ(spec["serviceAccountName"], "spark");
  EXPECT_EQ(spec["serviceAccount"], "spark");
  EXPECT_EQ(spec["imagePullSecrets"], Json::parse(R"([{"name": "a"}, {"name": "b"}])"));
  EXPECT_EQ(spec["nodeSelector"], Json::parse(R"({"disk": "ssd"})"));
  EXPECT_EQ(spec["schedulerName"], "sched");
  EXPECT_EQ(driver_container(r)["imagePullPolicy"], "Always");
}

TEST(DriverPod, SecretVolumesAndLocalDirs) {
  auto r = build(scala_spec(
      "  volumes:\n    - name: spark-local-dir-a\n      emptyDir: {}\n"
      "  driver:\n    secrets: [{name: gcp, path: /mnt/gcp, secretType: GCPServiceAccount}]\n"
      "    volumeMounts: [{name: spark-local-dir-a, mountPath: /scratch}]\n"));
  const Json& spec = r.driver_pod["spec"];
  Json& c = driver_container(r);
  EXPECT_EQ(*find_named(spec["volumes"], "gcp-volume"),
            Json::parse(R"({"name": "gcp-volume", "secret": {"secretName": "gcp"}})"));
  EXPECT_EQ(*find_named(c["volumeMounts"], "gcp-volume"),
            Json::parse(R"({"name": "gcp-volume", "mountPath": "/mnt/gcp"})"));
  EXPECT_EQ(env_of(c, "GOOGLE_APPLICATION_CREDENTIALS"), "/mnt/gcp/key.json");
  EXPECT_EQ(*find_named(spec["volumes"], "spark-local-dir-a"),
            Json::parse(R"({"name": "spark-local-dir-a", "emptyDir": {}})"));
  EXPECT_EQ(env_of(c, "SPARK_LOCAL_DIRS"), "/scratch");
  EXPECT_EQ(find_named(spec["volumes"], "spark-local-dir-1"), nullptr);

  // Without local-dir volumes: one emptyDir at a path derived from the submission.
  auto d = build(scala_spec());
  std::string dir = env_of(driver_container(d), "SPARK_LOCAL_DIRS");
  EXPECT_TRUE(dir.starts_with("/var/data/spark-")) << dir;
  auto again = build(scala_spec());
  EXPECT_EQ(dir, env_of(driver_container(again), "SPARK_LOCAL_DIRS"));
  EXPECT_EQ(*find_named(d.driver_pod["spec"]["volumes"], "spark-local-dir-1"),
            Json::parse(R"({"name": "spark-local-dir-1", "emptyDir": {}})"));
}

TEST(DriverPod, ConfVolumes) {
  auto r = build(scala_spec(
      "  sparkConf:\n"
      "    spark.kubernetes.driver.volumes.persistentVolumeClaim.data.mount.path: /data\n"
      "    spark.kubernetes.driver.volumes.persistentVolumeClaim.data.mount.readOnly: \"true\"\n"
      "    spark.kubernetes.driver.volumes.persistentVolumeClaim.data.options.claimName: pvc-1\n"
      "    spark.kubernetes.driver.volumes.nfs.share.mount.path: /share\n"
      "    spark.kubernetes.driver.volumes.nfs.share.options.server: nfs.example\n"
      "    spark.kubernetes.driver.volumes.nfs.share.options.path: /export\n"
      "    spark.kubernetes.hadoop.configMapName: hadoop-cm\n"));
  const Json& vols = r.driver_pod["spec"]["volumes"];
  EXPECT_EQ(*find_named(vols, "data"), Json::parse(R"({"name": "data",
      "persistentVolumeClaim": {"claimName": "pvc-1"}})"));
  EXPECT_EQ(
      *find_named(vols, "share"),
      Json::parse(R"({"name": "share", "nfs": {"path": "/export", "server": "nfs.example"}})"));
  EXPECT_EQ(*find_named(driver_container(r)["volumeMounts"], "data"),
            Json::parse(R"({"name": "data", "mountPath": "/data", "readOnly": true})"));
  EXPECT_EQ(*find_named(vols, "hadoop-properties"),
            Json::parse(R"({"name": "hadoop-properties", "configMap": {"name": "hadoop-cm"}})"));
  EXPECT_EQ(env_of(driver_container(r), "HADOOP_CONF_DIR"), "/opt/hadoop/conf");
}

TEST(DriverPod, SparkPropertiesMount) {
  auto r = build(scala_spec());
  std::string cm = r.config_map["metadata"]["name"];
  EXPECT_EQ(*find_named(r.driver_pod["spec"]["volumes"], "spark-conf-volume-driver"),
            Json::parse(R"({"name": "spark-conf-volume-driver", "configMap": {"name": ")" + cm +
                        R"(", "items": [{"key": "spark.properties", "path": "spark.properties",
                        "mode": 420}]}})"));
  EXPECT_EQ(*find_named(driver_container(r)["volumeMounts"], "spark-conf-volume-driver"),
            Json::parse(R"({"name": "spark-conf-volume-driver", "mountPath": "/opt/spark/conf"})"));
}

TEST(DriverPod, TemplateIsTheBase) {
  auto r = build(scala_spec(
      "  driver:\n    template:\n      metadata:\n        labels: {from-template: \"yes\"}\n"
      "      spec:\n        nodeSelector: {zone: a}\n        containers:\n"
      "          - name: helper\n            image: busybox\n"
      "          - name: spark-kubernetes-driver\n            env: [{name: T, value: \"1\"}]\n"));
  const Json& pod = r.driver_pod;
  EXPECT_EQ(pod["metadata"]["labels"]["from-template"], "yes");
  EXPECT_EQ(pod["spec"]["nodeSelector"]["zone"], "a");
  ASSERT_EQ(pod["spec"]["containers"].size(), 2u);
  EXPECT_EQ(pod["spec"]["containers"][0]["name"], "helper");  // Spark's container goes last
  const Json& c = pod["spec"]["containers"][1];
  EXPECT_EQ(c["name"], "spark-kubernetes-driver");
  EXPECT_EQ(c["env"][0]["name"], "T");
  EXPECT_EQ(c["image"], "spark:4.1.1");
  EXPECT_EQ(testing::prop(r, "spark.kubernetes.driver.podTemplateContainerName"),
            "spark-kubernetes-driver");
  // With a template the operator does not mark the pod for its webhook.
  EXPECT_FALSE(
      pod["metadata"]["labels"].contains("sparkoperator.k8s.io/mutated-by-spark-operator"));
}

TEST(DriverWebhook, EnvAndConfigMaps) {
  auto r = build(scala_spec(
      "  sparkConfigMap: spark-cm\n  hadoopConfigMap: hadoop-cm\n"
      "  driver:\n    env: [{name: E, value: v}]\n    envFrom: [{configMapRef: {name: ef}}]\n"
      "    configMaps:\n      - {name: app-config, path: /etc/app}\n"
      "      - {name: " +
      std::string(70, 'c') + ", path: /etc/long}\n"));
  Json& c = driver_container(r);
  const Json& vols = r.driver_pod["spec"]["volumes"];
  EXPECT_EQ(env_of(c, "E"), "v");
  EXPECT_EQ(c["envFrom"], Json::parse(R"([{"configMapRef": {"name": "ef"}}])"));
  EXPECT_EQ(
      *find_named(vols, "spark-configmap-volume"),
      Json::parse(R"({"name": "spark-configmap-volume", "configMap": {"name": "spark-cm"}})"));
  EXPECT_EQ(*find_named(c["volumeMounts"], "spark-configmap-volume"),
            Json::parse(R"({"name": "spark-configmap-volume", "readOnly": true,
                            "mountPath": "/etc/spark/conf"})"));
  EXPECT_EQ(env_of(c, "SPARK_CONF_DIR"), "/etc/spark/conf");  // the webhook's comes last
  EXPECT_EQ(env_of(c, "HADOOP_CONF_DIR"), "/etc/hadoop/conf");
  EXPECT_NE(find_named(vols, "hadoop-configmap-volume"), nullptr);
  EXPECT_NE(find_named(vols, "app-config-vol"), nullptr);
  EXPECT_NE(find_named(vols, std::string(63, 'c')), nullptr);  // cut to 63 characters
}

TEST(DriverWebhook, VolumesOnlyWhenMounted) {
  auto r = build(scala_spec(
      "  volumes:\n    - {name: scratch, emptyDir: {}}\n    - {name: unused, emptyDir: {}}\n"
      "  driver:\n    volumeMounts:\n      - {name: scratch, mountPath: /a}\n"
      "      - {name: scratch, mountPath: /b}\n      - {name: missing, mountPath: /c}\n"));
  const Json& vols = r.driver_pod["spec"]["volumes"];
  int scratch = 0;
  for (const auto& v : vols) scratch += v["name"] == "scratch";
  EXPECT_EQ(scratch, 1);
  EXPECT_EQ(find_named(vols, "unused"), nullptr);
  int mounts = 0;
  for (const auto& m : driver_container(r)["volumeMounts"]) mounts += m["name"] == "scratch";
  EXPECT_EQ(mounts, 2);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("spec.driver.volumeMounts: missing"), std::string::npos);
}

TEST(DriverWebhook, PodLevelFields) {
  auto r = build(scala_spec(
      "  driver:\n    ports: [{name: custom, protocol: UDP, containerPort: 9999}]\n"
      "    hostNetwork: true\n    hostAliases: [{ip: 10.0.0.5, hostnames: [meta]}]\n"
      "    initContainers: [{name: init, image: busybox}]\n"
      "    sidecars: [{name: side, image: busybox}]\n    dnsConfig: {nameservers: [1.1.1.1]}\n"
      "    priorityClassName: high\n    schedulerName: custom\n    nodeSelector: {n: s}\n"
      "    affinity: {nodeAffinity: {}}\n"
      "    tolerations: [{key: k, operator: Exists}]\n"
      "    podSecurityContext: {runAsUser: 185}\n    securityContext: {privileged: false}\n"
      "    terminationGracePeriodSeconds: 45\n    shareProcessNamespace: true\n"
      "    lifecycle: {preStop: {exec: {command: [\"true\"]}}}\n"));
  const Json& spec = r.driver_pod["spec"];
  Json& c = driver_container(r);
  EXPECT_EQ(*find_named(c["ports"], "custom"),
            Json::parse(R"({"name": "custom", "containerPort": 9999, "protocol": "UDP"})"));
  EXPECT_EQ(spec["hostNetwork"], true);
  EXPECT_EQ(spec["dnsPolicy"], "ClusterFirstWithHostNet");
  EXPECT_EQ(spec["hostAliases"][0]["ip"], "10.0.0.5");
  EXPECT_EQ(spec["initContainers"][0]["name"], "init");
  EXPECT_EQ(spec["containers"].back()["name"], "side");
  EXPECT_EQ(spec["dnsConfig"]["nameservers"][0], "1.1.1.1");
  EXPECT_EQ(spec["priorityClassName"], "high");
  EXPECT_EQ(spec["schedulerName"], "custom");
  EXPECT_EQ(spec["nodeSelector"]["n"], "s");
  EXPECT_EQ(spec["affinity"], Json::parse(R"({"nodeAffinity": {}})"));
  EXPECT_EQ(spec["tolerations"][0]["key"], "k");
  EXPECT_EQ(spec["securityContext"]["runAsUser"], 185);
  EXPECT_EQ(c["securityContext"]["privileged"], false);
  EXPECT_EQ(spec["terminationGracePeriodSeconds"], 45);
  EXPECT_EQ(spec["shareProcessNamespace"], true);
  EXPECT_EQ(c["lifecycle"]["preStop"]["exec"]["command"][0], "true");
}

TEST(DriverWebhook, BatchSchedulerNamesTheScheduler) {
  auto r = build(scala_spec("  batchScheduler: volcano\n  driver:\n    schedulerName: other\n"));
  EXPECT_EQ(r.driver_pod["spec"]["schedulerName"], "volcano");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("PodGroup"), std::string::npos);
}

TEST(DriverWebhook, GpuAndMemoryLimit) {
  auto r =
      build(scala_spec("  driver:\n    gpu: {name: nvidia.com/gpu, quantity: 2}\n"
                       "    memoryLimit: 3g\n"));
  const Json& limits = driver_container(r)["resources"]["limits"];
  EXPECT_EQ(limits["nvidia.com/gpu"], "2");
  EXPECT_EQ(limits["memory"], "3Gi");
  // Validation refuses a zero quantity; the builder skips one all the same.
  api::SparkApplication app = testing::app_from(scala_spec());
  app.spec.driver.gpu = api::GPUSpec{"nvidia.com/gpu", 0};
  auto bad = build_driver_resources(app, "sub-1", {});
  EXPECT_FALSE(driver_container(bad)["resources"]["limits"].contains("nvidia.com/gpu"));
  EXPECT_EQ(bad.warnings.size(), 1u);
}

}  // namespace
}  // namespace sp::kube
