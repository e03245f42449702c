// The event-log ship sidecar of the driver pod (event_log_shipper.cc): when it is added (an
// operator with a ship image, event logs enabled, an S3 log directory or the operator's default),
// and what it brings: the rewritten spark.eventLog.dir, the emptyDir and its two mounts, the
// native sidecar with its args, env, security context and resources; and the names it refuses
// to share with the application's own.
#include <gtest/gtest.h>

#include "common/error.h"
#include "driver_test_util.h"

namespace sp::kube {
namespace {

using testing::build;
using testing::driver_container;
using testing::find_named;
using testing::prop;
using testing::scala_spec;

constexpr const char* kSidecar = "spark-event-log-shipper";
constexpr const char* kVolume = "sparkplane-event-logs";

DriverOptions ship_opts() {
  DriverOptions o;
  o.ship.image = "sparkplane:test";
  return o;
}

std::string event_logs(const std::string& dir, const std::string& more = "") {
  std::string s = "  sparkConf:\n    spark.eventLog.enabled: \"true\"\n";
  if (!dir.empty()) s += "    spark.eventLog.dir: " + dir + "\n";
  return scala_spec(s + more);
}

const Json* sidecar(const DriverResources& r) {
  const Json* inits = json_at(r.driver_pod, "spec.initContainers");
  return inits == nullptr ? nullptr : find_named(*inits, kSidecar);
}

std::string config_map_properties(const DriverResources& r) {
  return r.config_map["data"]["spark.properties"].get<std::string>();
}

TEST(EventLogShipper, SidecarVolumeMountsAndConfForAnS3aDir) {
  auto r = build(event_logs("s3a://spark-logs/events"), ship_opts());
  EXPECT_EQ(prop(r, "spark.eventLog.dir"), "file:///var/spark-events");
  EXPECT_NE(config_map_properties(r).find("spark.eventLog.dir=file\\:///var/spark-events"),
            std::string::npos)
      << config_map_properties(r);
  EXPECT_EQ(config_map_properties(r).find("s3a"), std::string::npos);

  const Json* vol = find_named(r.driver_pod["spec"]["volumes"], kVolume);
  ASSERT_NE(vol, nullptr);
  EXPECT_EQ(*vol, Json::parse(R"({"name": "sparkplane-event-logs", "emptyDir": {}})"));
  EXPECT_EQ(*find_named(driver_container(r)["volumeMounts"], kVolume),
            Json::parse(R"({"name": "sparkplane-event-logs", "mountPath": "/var/spark-events"})"));

  const Json* c = sidecar(r);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(r.driver_pod["spec"]["initContainers"].size(), 1u);
  EXPECT_EQ((*c)["image"], "sparkplane:test");
  EXPECT_EQ((*c)["restartPolicy"], "Always");
  EXPECT_EQ((*c)["args"], Json::parse(R"(["ship", "--from", "/var/spark-events", "--to",
      "s3://spark-logs/events", "--interval", "5s", "--state",
      "/var/spark-events/.sparkplane-ship.json"])"));
  EXPECT_EQ(
      (*c)["volumeMounts"],
      Json::parse(R"([{"name": "sparkplane-event-logs", "mountPath": "/var/spark-events"}])"));
  EXPECT_EQ((*c)["resources"], Json::parse(R"({"requests": {"cpu": "10m", "memory": "32Mi"},
                                               "limits": {"memory": "128Mi"}})"));
  EXPECT_EQ((*c)["securityContext"], Json::parse(R"({"runAsNonRoot": true,
      "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
      "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"},
      "runAsUser": 185})"));
  EXPECT_FALSE(c->contains("env"));
  EXPECT_FALSE(c->contains("envFrom"));
  // The driver container is still the only container (observation reads containerStatuses).
  EXPECT_EQ(r.driver_pod["spec"]["containers"].size(), 1u);
  // Executors need nothing: no template made for them on the sidecar's account.
  EXPECT_TRUE(r.executor_template_config_map.is_null());
}

TEST(EventLogShipper, S3DirKeptAsIs) {
  auto r = build(event_logs("s3://b/p/q"), ship_opts());
  ASSERT_NE(sidecar(r), nullptr);
  EXPECT_EQ((*sidecar(r))["args"][4], "s3://b/p/q");
  EXPECT_EQ(prop(r, "spark.eventLog.dir"), "file:///var/spark-events");
}

TEST(EventLogShipper, NoSidecarWithoutAShipImage) {
  auto r = build(event_logs("s3a://spark-logs/events"));
  EXPECT_EQ(sidecar(r), nullptr);
  EXPECT_FALSE(r.driver_pod["spec"].contains("initContainers"));
  EXPECT_EQ(find_named(r.driver_pod["spec"]["volumes"], kVolume), nullptr);
  EXPECT_EQ(prop(r, "spark.eventLog.dir"), "s3a://spark-logs/events");
}

TEST(EventLogShipper, NoSidecarUnlessEventLogsAreEnabled) {
  auto off = build(scala_spec("  sparkConf:\n    spark.eventLog.dir: s3a://b/e\n"), ship_opts());
  EXPECT_EQ(sidecar(off), nullptr);
  EXPECT_EQ(prop(off, "spark.eventLog.dir"), "s3a://b/e");
  auto no = build(scala_spec("  sparkConf:\n    spark.eventLog.enabled: \"false\"\n"
                             "    spark.eventLog.dir: s3a://b/e\n"),
                  ship_opts());
  EXPECT_EQ(sidecar(no), nullptr);
  // Spark reads booleans case-insensitively.
  auto yes = build(scala_spec("  sparkConf:\n    spark.eventLog.enabled: \"TRUE\"\n"
                              "    spark.eventLog.dir: s3a://b/e\n"),
                   ship_opts());
  EXPECT_NE(sidecar(yes), nullptr);
}

TEST(EventLogShipper, LocalAndOtherDirsAreLeftAlone) {
  for (const char* dir :
       {"file:///tmp/spark-events", "/var/spark-events", "hdfs://nn/logs", "gs://bucket/logs"}) {
    DriverOptions o = ship_opts();
    o.ship.default_dir = "s3://default/logs";
    auto r = build(event_logs(dir), o);
    EXPECT_EQ(sidecar(r), nullptr) << dir;
    EXPECT_EQ(prop(r, "spark.eventLog.dir"), dir);
    EXPECT_EQ(find_named(r.driver_pod["spec"]["volumes"], kVolume), nullptr) << dir;
  }
}

TEST(EventLogShipper, OperatorDefaultDirOnlyWhenTheAppNamesNone) {
  DriverOptions o = ship_opts();
  o.ship.default_dir = "s3a://default/logs";
  auto r = build(event_logs(""), o);
  ASSERT_NE(sidecar(r), nullptr);
  EXPECT_EQ((*sidecar(r))["args"][4], "s3://default/logs");
  EXPECT_EQ(prop(r, "spark.eventLog.dir"), "file:///var/spark-events");
  // The app's own S3 dir wins over the default.
  auto own = build(event_logs("s3://mine/x"), o);
  EXPECT_EQ((*sidecar(own))["args"][4], "s3://mine/x");
  // No default: Spark's own default directory, no sidecar.
  auto none = build(event_logs(""), ship_opts());
  EXPECT_EQ(sidecar(none), nullptr);
  EXPECT_EQ(prop(none, "spark.eventLog.dir"), "<unset>");
  // Event logs not enabled: the default does not turn them on.
  auto off = build(scala_spec(), o);
  EXPECT_EQ(sidecar(off), nullptr);
  EXPECT_EQ(prop(off, "spark.eventLog.dir"), "<unset>");
}

TEST(EventLogShipper, AwsEnvEnvFromAndOperatorS3Settings) {
  DriverOptions o = ship_opts();
  o.ship.s3_endpoint = "http://minio.minio:9000";
  o.ship.s3_region = "eu-west-1";
  o.ship.s3_path_style = true;
  auto r = build(
      event_logs(
          "s3a://b/e",
          "  driver:\n"
          "    env:\n"
          "      - {name: AWS_ACCESS_KEY_ID, valueFrom: {secretKeyRef: {name: s3, key: id}}}\n"
          "      - {name: OTHER, value: x}\n"
          "      - {name: AWS_REGION, value: us-west-2}\n"
          "    envVars: {AWS_PROFILE: p, NOT_AWS: y}\n"
          "    envSecretKeyRefs: {AWS_SECRET_ACCESS_KEY: {name: s3, key: secret}}\n"
          "    envFrom: [{secretRef: {name: aws-creds}}]\n"),
      o);
  const Json* c = sidecar(r);
  ASSERT_NE(c, nullptr);
  std::vector<std::string> names;
  for (const auto& e : (*c)["env"]) names.push_back(e["name"]);
  // The operator's endpoint (the app names none), not its region (the app's own wins); then the
  // driver container's AWS_* variables in its order, whichever field they came from.
  EXPECT_EQ(names,
            (std::vector<std::string>{"AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_SECRET_ACCESS_KEY",
                                      "AWS_ACCESS_KEY_ID", "AWS_REGION"}));
  EXPECT_EQ(*find_named((*c)["env"], "AWS_ENDPOINT_URL_S3"),
            Json::parse(R"({"name": "AWS_ENDPOINT_URL_S3", "value": "http://minio.minio:9000"})"));
  EXPECT_EQ(*find_named((*c)["env"], "AWS_REGION"),
            Json::parse(R"({"name": "AWS_REGION", "value": "us-west-2"})"));
  EXPECT_EQ(*find_named((*c)["env"], "AWS_ACCESS_KEY_ID"), Json::parse(R"({"name":
      "AWS_ACCESS_KEY_ID", "valueFrom": {"secretKeyRef": {"name": "s3", "key": "id"}}})"));
  EXPECT_EQ(*find_named((*c)["env"], "AWS_SECRET_ACCESS_KEY"), Json::parse(R"({"name":
      "AWS_SECRET_ACCESS_KEY", "valueFrom": {"secretKeyRef": {"key": "secret", "name": "s3"}}})"));
  EXPECT_EQ((*c)["envFrom"], Json::parse(R"([{"secretRef": {"name": "aws-creds"}}])"));
  // Settings as env and a flag; no credential ever on the command line.
  EXPECT_EQ((*c)["args"].back(), "--s3-path-style");
  for (const auto& a : (*c)["args"]) {
    EXPECT_EQ(a.get<std::string>().find("secret"), std::string::npos);
  }

  DriverOptions bare = ship_opts();
  bare.ship.s3_region = "eu-west-1";
  auto plain = build(event_logs("s3a://b/e"), bare);
  EXPECT_EQ((*sidecar(plain))["env"],
            Json::parse(R"([{"name": "AWS_REGION", "value": "eu-west-1"}])"));
  EXPECT_EQ((*sidecar(plain))["args"].back(), "/var/spark-events/.sparkplane-ship.json");
}

TEST(EventLogShipper, ServiceAccountIsThePods) {
  auto r =
      build(event_logs("s3a://b/e", "  driver:\n    serviceAccount: spark-irsa\n"), ship_opts());
  ASSERT_NE(sidecar(r), nullptr);
  // One service account per pod: the sidecar's credentials (IRSA, Pod Identity) are the driver's.
  EXPECT_EQ(r.driver_pod["spec"]["serviceAccountName"], "spark-irsa");
}

TEST(EventLogShipper, RunsAsTheDriversUser) {
  auto own =
      build(event_logs("s3a://b/e",
                       "  driver:\n    securityContext: {runAsUser: 1000, runAsGroup: 2000}\n"),
            ship_opts());
  EXPECT_EQ((*sidecar(own))["securityContext"]["runAsUser"], 1000);
  EXPECT_EQ((*sidecar(own))["securityContext"]["runAsGroup"], 2000);
  // The pod's user is inherited: not repeated.
  auto pod =
      build(event_logs("s3a://b/e", "  driver:\n    podSecurityContext: {runAsUser: 1001}\n"),
            ship_opts());
  EXPECT_FALSE((*sidecar(pod))["securityContext"].contains("runAsUser"));
  EXPECT_EQ((*sidecar(pod))["securityContext"]["runAsNonRoot"], true);
  // A root driver: the sidecar stays non-root, with a warning.
  auto root = build(event_logs("s3a://b/e", "  driver:\n    securityContext: {runAsUser: 0}\n"),
                    ship_opts());
  EXPECT_EQ((*sidecar(root))["securityContext"]["runAsUser"], 185);
  ASSERT_FALSE(root.warnings.empty());
  EXPECT_NE(root.warnings.back().find("root"), std::string::npos);
}

TEST(EventLogShipper, LastOfTheApplicationsInitContainers) {
  auto r = build(event_logs("s3a://b/e",
                            "  driver:\n    initContainers: [{name: setup, image: busybox}]\n"
                            "    sidecars: [{name: proxy, image: envoy}]\n"),
                 ship_opts());
  const Json& inits = r.driver_pod["spec"]["initContainers"];
  ASSERT_EQ(inits.size(), 2u);
  EXPECT_EQ(inits[0]["name"], "setup");
  EXPECT_EQ(inits[1]["name"], kSidecar);
  EXPECT_EQ(find_named(r.driver_pod["spec"]["containers"], kSidecar), nullptr);
}

TEST(EventLogShipper, NamesTakenByTheApplicationAreRefused) {
  auto message = [](const std::string& spec) {
    try {
      build(spec, ship_opts());
    } catch (const Invalid& e) {
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  // A volume of the same name, from spec.volumes, ...
  EXPECT_NE(message(event_logs("s3a://b/e",
                               "  volumes: [{name: sparkplane-event-logs, emptyDir: {}}]\n"
                               "  driver:\n    volumeMounts: [{name: sparkplane-event-logs, "
                               "mountPath: /data}]\n"))
                .find("spec.volumes: sparkplane-event-logs: the name is reserved"),
            std::string::npos);
  // ... or from Spark's volume conf.
  EXPECT_NE(
      message(event_logs("s3a://b/e",
                         "    spark.kubernetes.driver.volumes.emptyDir.sparkplane-event-logs.mount."
                         "path: /x\n"))
          .find("reserved"),
      std::string::npos);
  // A mount of the application's own at the directory the sidecar reads.
  EXPECT_NE(message(event_logs("s3a://b/e",
                               "  volumes: [{name: logs, emptyDir: {}}]\n"
                               "  driver:\n    volumeMounts: [{name: logs, "
                               "mountPath: /var/spark-events}]\n"))
                .find("spec.driver.volumeMounts: logs: /var/spark-events"),
            std::string::npos);
  // A container of the same name.
  EXPECT_NE(message(event_logs("s3a://b/e",
                               "  driver:\n    initContainers: [{name: "
                               "spark-event-log-shipper, image: busybox}]\n"))
                .find("reserved for the event-log ship sidecar"),
            std::string::npos);
  // An S3 location without a bucket.
  EXPECT_NE(message(event_logs("s3a:///events"))
                .find("spec.sparkConf: spark.eventLog.dir: s3a:///events: a bucket is needed"),
            std::string::npos);
  // Without a ship image the same names are the application's to use.
  EXPECT_NO_THROW(build(event_logs("s3a://b/e",
                                   "  volumes: [{name: sparkplane-event-logs, emptyDir: {}}]\n"
                                   "  driver:\n    volumeMounts: [{name: sparkplane-event-logs, "
                                   "mountPath: /var/spark-events}]\n")));
}

TEST(EventLogShipper, Deterministic) {
  DriverOptions o = ship_opts();
  o.ship.s3_endpoint = "http://minio:9000";
  auto a = build(event_logs("s3a://b/e"), o);
  auto b = build(event_logs("s3a://b/e"), o);
  EXPECT_EQ(a.driver_pod.dump(), b.driver_pod.dump());
  EXPECT_EQ(a.config_map.dump(), b.config_map.dump());
}

}  // namespace
}  // namespace sp::kube
