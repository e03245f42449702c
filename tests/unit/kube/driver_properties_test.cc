// The driver's spark.properties and its ConfigMap: what spark-submit writes there for the conf
// the Kubeflow operator passes, and the Java properties text.
#include <gtest/gtest.h>

#include "driver_test_util.h"
#include "runtime/kube/java_properties.h"

namespace sp::kube {
namespace {

using testing::build;
using testing::prop;
using testing::python_spec;
using testing::scala_spec;

TEST(DriverProperties, SubmissionBasics) {
  DriverOptions opts;
  opts.master = "k8s://https://10.96.0.1:443";
  auto r = build(scala_spec("  arguments: [\"100\"]\n"), opts);
  EXPECT_EQ(prop(r, "spark.master"), "k8s://https://10.96.0.1:443");
  EXPECT_EQ(prop(r, "spark.submit.deployMode"), "cluster");
  EXPECT_EQ(prop(r, "spark.kubernetes.namespace"), "ns");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.pod.name"), "app-driver");
  EXPECT_EQ(prop(r, "spark.app.name"), "app");
  EXPECT_EQ(prop(r, "spark.app.id"), r.app_id);
  EXPECT_EQ(prop(r, "spark.kubernetes.submitInDriver"), "true");
  EXPECT_EQ(prop(r, "spark.kubernetes.resource.type"), "java");
  EXPECT_EQ(prop(r, "spark.kubernetes.submission.waitAppCompletion"), "false");
  EXPECT_EQ(prop(r, "spark.kubernetes.container.image"), "spark:4.1.1");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.container.image"), "spark:4.1.1");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.container.image"), "spark:4.1.1");
  EXPECT_EQ(prop(r, "spark.driver.host"), r.service_name + ".ns.svc");
  EXPECT_EQ(prop(r, "spark.driver.port"), "7078");
  EXPECT_EQ(prop(r, "spark.driver.blockManager.port"), "7079");
  EXPECT_EQ(prop(r, "spark.kubernetes.memoryOverheadFactor"), "0.1");
  EXPECT_EQ(prop(r, "spark.submit.pyFiles"), "");
  // A JVM application's jar joins spark.jars.
  EXPECT_EQ(prop(r, "spark.jars"), "local:///opt/spark/examples/jars/spark-examples.jar");
  EXPECT_EQ(prop(r, "spark.app.submitTime"), "<unset>");  // only when the option says
}

TEST(DriverProperties, DefaultsAndTypedFields) {
  auto r = build(scala_spec(
      "  driver:\n    cores: 2\n    coreRequest: 500m\n    coreLimit: 1200m\n    memory: 2g\n"
      "    memoryOverhead: 512m\n    serviceAccount: spark\n    javaOptions: -Da=b\n"
      "    kubernetesMaster: https://api.example:6443\n"
      "  executor:\n    instances: 3\n    cores: 4\n    coreRequest: \"3\"\n    coreLimit: \"4\"\n"
      "    memory: 4g\n    memoryOverhead: 1g\n    serviceAccount: exec\n"
      "    deleteOnTermination: false\n    javaOptions: -Dc=d\n"));
  EXPECT_EQ(prop(r, "spark.driver.cores"), "2");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.request.cores"), "500m");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.limit.cores"), "1200m");
  EXPECT_EQ(prop(r, "spark.driver.memory"), "2g");
  EXPECT_EQ(prop(r, "spark.driver.memoryOverhead"), "512m");
  EXPECT_EQ(prop(r, "spark.kubernetes.authenticate.driver.serviceAccountName"), "spark");
  EXPECT_EQ(prop(r, "spark.driver.extraJavaOptions"), "-Da=b");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.master"), "https://api.example:6443");
  EXPECT_EQ(prop(r, "spark.executor.instances"), "3");
  EXPECT_EQ(prop(r, "spark.executor.cores"), "4");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.request.cores"), "3");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.limit.cores"), "4");
  EXPECT_EQ(prop(r, "spark.executor.memory"), "4g");
  EXPECT_EQ(prop(r, "spark.executor.memoryOverhead"), "1g");
  EXPECT_EQ(prop(r, "spark.kubernetes.authenticate.executor.serviceAccountName"), "exec");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.deleteOnTermination"), "false");
  EXPECT_EQ(prop(r, "spark.executor.extraJavaOptions"), "-Dc=d");

  // The operator's defaults: one core, 1g, one executor.
  auto d = build(scala_spec());
  EXPECT_EQ(prop(d, "spark.driver.cores"), "1");
  EXPECT_EQ(prop(d, "spark.driver.memory"), "1g");
  EXPECT_EQ(prop(d, "spark.executor.instances"), "1");
}

TEST(DriverProperties, LabelsAnnotationsAndOperatorLabels) {
  auto r = build_driver_resources(
      testing::app_from(scala_spec("  driver:\n    labels: {tier: gold}\n    annotations: {a: b}\n"
                                   "    serviceLabels: {s: l}\n    serviceAnnotations: {s: a}\n"
                                   "  executor:\n    labels: {tier: silver}\n"
                                   "    annotations: {c: d}\n"),
                        "app", "  labels:\n    team: data\n"),
      "sub-7", {});
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.label.team"), "data");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.label.team"), "data");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.label.tier"), "gold");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.label.tier"), "silver");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.annotation.a"), "b");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.annotation.c"), "d");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.service.label.s"), "l");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.service.annotation.s"), "a");
  for (const char* role : {"driver", "executor"}) {
    std::string p = std::string("spark.kubernetes.") + role + ".label.sparkoperator.k8s.io/";
    EXPECT_EQ(prop(r, p + "app-name"), "app");
    EXPECT_EQ(prop(r, p + "launched-by-spark-operator"), "true");
    EXPECT_EQ(prop(r, p + "mutated-by-spark-operator"), "true");  // no pod template
    EXPECT_EQ(prop(r, p + "submission-id"), "sub-7");
  }
}

TEST(DriverProperties, SparkConfHadoopConfAndTypedFieldsWin) {
  auto r = build(scala_spec(
      "  sparkConf:\n    spark.sql.shuffle.partitions: \"8\"\n    spark.driver.cores: \"3\"\n"
      "    spark.kubernetes.driver.pod.name: ignored-here\n"
      "  hadoopConf:\n    fs.s3a.endpoint: http://minio:9000\n"
      "  driver:\n    cores: 1\n"));
  EXPECT_EQ(prop(r, "spark.sql.shuffle.partitions"), "8");
  EXPECT_EQ(prop(r, "spark.hadoop.fs.s3a.endpoint"), "http://minio:9000");
  EXPECT_EQ(prop(r, "spark.driver.cores"), "1");  // the typed field comes later
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.pod.name"), "ignored-here");  // names the pod
  EXPECT_EQ(r.driver_pod_name, "ignored-here");
}

TEST(DriverProperties, ImagesPullPolicyAndSecrets) {
  auto r =
      build(scala_spec("  imagePullPolicy: Always\n  imagePullSecrets: [a, b]\n"
                       "  driver:\n    image: driver:1\n  executor:\n    image: exec:1\n"));
  EXPECT_EQ(prop(r, "spark.kubernetes.container.image.pullPolicy"), "Always");
  EXPECT_EQ(prop(r, "spark.kubernetes.container.image.pullSecrets"), "a,b");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.container.image"), "driver:1");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.container.image"), "exec:1");
}

TEST(DriverProperties, Dependencies) {
  auto r = build(
      scala_spec("  deps:\n    jars: [local:///a.jar, s3a://b/b.jar]\n    files: [local:///f]\n"
                 "    pyFiles: [local:///p.zip]\n    archives: ['local:///e.tgz#env']\n"
                 "    packages: [g:a:1]\n    excludePackages: [g:x]\n"
                 "    repositories: [https://repo.example]\n"));
  EXPECT_EQ(prop(r, "spark.jars"),
            "local:///a.jar,s3a://b/b.jar,local:///opt/spark/examples/jars/spark-examples.jar");
  EXPECT_EQ(prop(r, "spark.files"), "local:///f");
  EXPECT_EQ(prop(r, "spark.submit.pyFiles"), "local:///p.zip");
  EXPECT_EQ(prop(r, "spark.archives"), "local:///e.tgz#env");
  EXPECT_EQ(prop(r, "spark.jars.packages"), "g:a:1");
  EXPECT_EQ(prop(r, "spark.jars.excludes"), "g:x");
  EXPECT_EQ(prop(r, "spark.jars.repositories"), "https://repo.example");
  EXPECT_TRUE(r.warnings.empty());
}

TEST(DriverProperties, LocalFilesAreWarnedAbout) {
  auto r = build(
      "  type: Python\n  image: spark:4.1.1\n  mainApplicationFile: app/main.py\n"
      "  deps:\n    files: [data/words.txt, file:///etc/x]\n");
  ASSERT_EQ(r.warnings.size(), 3u);
  EXPECT_NE(r.warnings[0].find("spec.deps.files[0]: data/words.txt"), std::string::npos);
  EXPECT_NE(r.warnings[1].find("spec.deps.files[1]: file:///etc/x"), std::string::npos);
  EXPECT_NE(r.warnings[2].find("spec.mainApplicationFile: app/main.py"), std::string::npos);
}

TEST(DriverProperties, PythonApplication) {
  auto r = build(python_spec("  pythonVersion: \"3\"\n  memoryOverheadFactor: \"0.25\"\n"));
  EXPECT_EQ(prop(r, "spark.kubernetes.resource.type"), "python");
  EXPECT_EQ(prop(r, "spark.kubernetes.pyspark.pythonVersion"), "3");
  EXPECT_EQ(prop(r, "spark.kubernetes.memoryOverheadFactor"), "0.25");
  EXPECT_EQ(prop(r, "spark.jars"), "<unset>");  // no jar for Python
  EXPECT_EQ(prop(build(python_spec()), "spark.kubernetes.memoryOverheadFactor"), "0.4");
}

TEST(DriverProperties, SecretsVolumesAndEnvConf) {
  auto r = build(scala_spec(
      "  volumes:\n    - name: spark-local-dir-x\n      hostPath: {path: /mnt/disk, type: "
      "Directory}\n"
      "    - name: spark-local-dir-y\n      emptyDir: {sizeLimit: 2Gi}\n"
      "  driver:\n    envVars: {MODE: batch}\n"
      "    envSecretKeyRefs: {PW: {name: db, key: password}}\n"
      "    secrets: [{name: gcp, path: /mnt/gcp, secretType: GCPServiceAccount}]\n"
      "    volumeMounts: [{name: spark-local-dir-x, mountPath: /scratch, readOnly: true}]\n"
      "  executor:\n    envVars: {EMODE: x}\n"
      "    secrets: [{name: tok, path: /mnt/tok/, secretType: HadoopDelegationToken}]\n"
      "    volumeMounts: [{name: spark-local-dir-y, mountPath: /tmp/y, subPath: sub}]\n"));
  EXPECT_EQ(prop(r, "spark.kubernetes.driverEnv.MODE"), "batch");
  EXPECT_EQ(prop(r, "spark.executorEnv.EMODE"), "x");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.secretKeyRef.PW"), "db:password");
  EXPECT_EQ(prop(r, "spark.kubernetes.driver.secrets.gcp"), "/mnt/gcp");
  EXPECT_EQ(prop(r, "spark.kubernetes.driverEnv.GOOGLE_APPLICATION_CREDENTIALS"),
            "/mnt/gcp/key.json");
  EXPECT_EQ(prop(r, "spark.kubernetes.executor.secrets.tok"), "/mnt/tok/");
  EXPECT_EQ(prop(r, "spark.executorEnv.HADOOP_TOKEN_FILE_LOCATION"), "/mnt/tok/hadoop.token");
  const std::string d = "spark.kubernetes.driver.volumes.hostPath.spark-local-dir-x.";
  EXPECT_EQ(prop(r, d + "mount.path"), "/scratch");
  EXPECT_EQ(prop(r, d + "mount.readOnly"), "true");
  EXPECT_EQ(prop(r, d + "options.path"), "/mnt/disk");
  EXPECT_EQ(prop(r, d + "options.type"), "Directory");
  const std::string e = "spark.kubernetes.executor.volumes.emptyDir.spark-local-dir-y.";
  EXPECT_EQ(prop(r, e + "mount.path"), "/tmp/y");
  EXPECT_EQ(prop(r, e + "mount.subPath"), "sub");
  EXPECT_EQ(prop(r, e + "options.sizeLimit"), "2Gi");
}

TEST(DriverProperties, NodeSelectorAndDynamicAllocation) {
  auto r =
      build(scala_spec("  nodeSelector: {disk: ssd}\n  dynamicAllocation:\n"
                       "    enabled: true\n    initialExecutors: 2\n    minExecutors: 1\n"
                       "    maxExecutors: 9\n    shuffleTrackingTimeout: 60000\n"));
  EXPECT_EQ(prop(r, "spark.kubernetes.node.selector.disk"), "ssd");
  EXPECT_EQ(prop(r, "spark.dynamicAllocation.enabled"), "true");
  EXPECT_EQ(prop(r, "spark.dynamicAllocation.initialExecutors"), "2");
  EXPECT_EQ(prop(r, "spark.dynamicAllocation.minExecutors"), "1");
  EXPECT_EQ(prop(r, "spark.dynamicAllocation.maxExecutors"), "9");
  EXPECT_EQ(prop(r, "spark.dynamicAllocation.shuffleTracking.enabled"), "true");
  EXPECT_EQ(prop(r, "spark.dynamicAllocation.shuffleTracking.timeout"), "60000");
  EXPECT_EQ(prop(r, "spark.executor.instances"), "<unset>");  // dynamic: no default count
}

TEST(DriverProperties, SubmitTimeWhenGiven) {
  DriverOptions opts;
  opts.submit_time_ms = 1700000000123;
  EXPECT_EQ(prop(build(scala_spec(), opts), "spark.app.submitTime"), "1700000000123");
}

TEST(DriverProperties, ConfigMapHoldsThePropertiesText) {
  auto r = build(scala_spec("  sparkConf:\n    spark.x: \"a=b:c #d\"\n"));
  const Json& cm = r.config_map;
  EXPECT_EQ(cm["kind"], "ConfigMap");
  EXPECT_EQ(cm["immutable"], true);
  EXPECT_EQ(cm["metadata"]["namespace"], "ns");
  EXPECT_EQ(cm["data"]["spark.kubernetes.namespace"], "ns");
  std::string text = cm["data"]["spark.properties"];
  EXPECT_NE(text.find("spark.x=a\\=b\\:c \\#d\n"), std::string::npos) << text;
  EXPECT_EQ(load_properties(text), r.spark_properties);
}

TEST(DriverJavaProperties, EscapesAsPropertiesStore) {
  std::map<std::string, std::string> p = {
      {"a key", " lead"}, {"k", "x=y:z#!\\"}, {"t", "tab\tnl\ncr\rff\f"}, {"u", "é"}};
  std::string text = store_properties(p, "comment");
  EXPECT_EQ(text,
            "#comment\n"
            "a\\ key=\\ lead\n"
            "k=x\\=y\\:z\\#\\!\\\\\n"
            "t=tab\\tnl\\ncr\\rff\\f\n"
            "u=é\n");
  EXPECT_EQ(load_properties(text), p);
  EXPECT_EQ(load_properties("# c\n! c\n  k : v \nempty=\nspark.x=1\n"),
            (std::map<std::string, std::string>{{"k", "v "}, {"empty", ""}, {"spark.x", "1"}}));
}

}  // namespace
}  // namespace sp::kube
