// Tests of unknown-field detection against the v1beta2 schema.
#include "api/unknown_fields.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/yaml.h"

namespace sp::api {
namespace {

Json load(const std::string& name) {
  std::string path = std::string(SPARKPLANE_SOURCE_DIR) + "/tests/data/manifests/" + name;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return parse_yaml_documents(text.str(), path).at(0);
}

using Paths = std::vector<std::string>;

TEST(ApiUnknownFields, FullManifestsHaveNone) {
  EXPECT_EQ(unknown_fields(load("full-sparkapplication.yaml")), Paths{});
  EXPECT_EQ(unknown_fields(load("full-scheduledsparkapplication.yaml")), Paths{});
}

TEST(ApiUnknownFields, ReportsTyposWithDottedPaths) {
  Json doc = parse_yaml_documents(R"(
apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata:
  name: a
  nmespace: b
spec:
  typ: Scala
  driver:
    coress: 1
    ports:
      - nmae: x
        containerPort: 1
    envSecretKeyRefs:
      A: {name: s, kee: k}
  executor:
    instance: 2
  restartPolicy:
    type: Never
    retries: 3
  monitoring:
    prometheus:
      jar: x
status:
  state: RUNNING
extra: 1
)",
                                  "t")
                 .at(0);
  EXPECT_EQ(unknown_fields(doc),
            (Paths{"metadata.nmespace", "spec.typ", "spec.driver.coress",
                   "spec.driver.ports[0].nmae", "spec.driver.envSecretKeyRefs.A.kee",
                   "spec.executor.instance", "spec.restartPolicy.retries",
                   "spec.monitoring.prometheus.jar", "status.state", "extra"}));
}

TEST(ApiUnknownFields, DoesNotDescendIntoCoreTypesOrMaps) {
  Json doc = parse_yaml_documents(R"(
kind: SparkApplication
spec:
  sparkConf: {anything.goes: "x"}
  volumes: [{name: v, whatever: {}}]
  driver:
    template: {spec: {anything: 1}}
    affinity: {weird: true}
    env: [{name: A, valueFrom: {x: 1}}]
    labels: {any: thing}
)",
                                  "t")
                 .at(0);
  EXPECT_EQ(unknown_fields(doc), Paths{});
}

TEST(ApiUnknownFields, ScheduledTemplateIsCheckedAsASpec) {
  Json doc = {{"kind", "ScheduledSparkApplication"},
              {"spec",
               {{"schedule", "@daily"},
                {"concurency", "Allow"},
                {"template", {{"driver", {{"memroy", "1g"}}}}}}}};
  EXPECT_EQ(unknown_fields(doc), (Paths{"spec.concurency", "spec.template.driver.memroy"}));
  // As a SparkApplication, `schedule` would be unknown.
  doc["kind"] = "SparkApplication";
  EXPECT_EQ(unknown_fields(doc)[0], "spec.schedule");
}

TEST(ApiUnknownFields, WrongShapesAreLeftToTheParser) {
  Json doc = {{"kind", "SparkApplication"}, {"spec", {{"driver", "x"}, {"deps", Json::array()}}}};
  EXPECT_EQ(unknown_fields(doc), Paths{});
}

}  // namespace
}  // namespace sp::api
