// Tests of manifest reading: documents, apiVersion and kind, namespaces, errors and warnings.
#include "api/manifest.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/error.h"

namespace sp::api {
namespace {

std::string read_data(const std::string& name) {
  std::ifstream in(std::string(SPARKPLANE_SOURCE_DIR) + "/tests/data/manifests/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string error_of(const std::string& text) {
  try {
    parse_manifests(text, "app.yaml", "default");
  } catch (const Invalid& e) {
    return e.what();
  }
  return "no error";
}

const char* kPi = R"(apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata:
  name: spark-pi
spec:
  type: Scala
  mode: cluster
  sparkVersion: 3.5.1
  mainClass: org.apache.spark.examples.SparkPi
  mainApplicationFile: local:///opt/spark/examples/jars/spark-examples.jar
  driver:
    cores: 1
  executor:
    instances: 2
)";

TEST(Manifest, ReadsTheFullExamples) {
  auto apps = parse_manifests(read_data("full-sparkapplication.yaml"), "full.yaml", "default");
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].resource, "sparkapplications");
  EXPECT_EQ(apps[0].object["metadata"]["namespace"], "analytics");  // kept when set
  EXPECT_TRUE(apps[0].warnings.empty());
  auto scheduled =
      parse_manifests(read_data("full-scheduledsparkapplication.yaml"), "s.yaml", "default");
  ASSERT_EQ(scheduled.size(), 1u);
  EXPECT_EQ(scheduled[0].resource, "scheduledsparkapplications");
  EXPECT_TRUE(scheduled[0].warnings.empty());
}

TEST(Manifest, FillsTheDefaultNamespaceAndKeepsTheSpecAsWritten) {
  auto apps = parse_manifests(kPi, "pi.yaml", "team-a");
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].object["metadata"]["namespace"], "team-a");
  EXPECT_FALSE(apps[0].object["spec"]["driver"].contains("memory"));  // no defaults stored
}

TEST(Manifest, ReadsMultipleDocumentsAndLists) {
  std::string two = std::string(kPi) + "---\n" + kPi;
  EXPECT_EQ(parse_manifests(two, "t", "default").size(), 2u);
  std::string list = R"({"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "ScheduledSparkApplication",
     "metadata": {"name": "s"},
     "spec": {"schedule": "@hourly", "template": {"type": "Python", "sparkVersion": "3.5.1",
              "mainApplicationFile": "local:///a.py"}}}]})";
  auto items = parse_manifests(list, "list.json", "default");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].resource, "scheduledsparkapplications");
}

TEST(Manifest, ReadsTypedLists) {
  std::string list = std::string("apiVersion: sparkoperator.k8s.io/v1beta2\n") +
                     "kind: SparkApplicationList\nitems:\n- apiVersion: x/v1\n  kind: Y\n";
  EXPECT_EQ(error_of(list),
            "app.yaml: document 1, item 1: apiVersion \"x/v1\" is not served; use "
            "sparkoperator.k8s.io/v1beta2");
}

TEST(Manifest, ScheduledWithRealCronParser) {
  std::string text = R"(apiVersion: sparkoperator.k8s.io/v1beta2
kind: ScheduledSparkApplication
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  timeZone: Not/AZone
  template:
    type: Python
    sparkVersion: 3.5.1
    mainApplicationFile: local:///a.py
)";
  std::string e = error_of(text);
  EXPECT_EQ(e.rfind("app.yaml: ScheduledSparkApplication/nightly: spec.timeZone: invalid time zone "
                    "\"Not/AZone\": ",
                    0),
            0u)
      << e;
  text.replace(text.find("Not/AZone"), 9, "Europe/Paris");
  EXPECT_EQ(parse_manifests(text, "app.yaml", "default").size(), 1u);
}

TEST(Manifest, WrongApiVersion) {
  std::string text = kPi;
  text.replace(text.find("v1beta2"), 7, "v1beta1");
  EXPECT_EQ(error_of(text),
            "app.yaml: document 1: apiVersion \"sparkoperator.k8s.io/v1beta1\" is not served; use "
            "sparkoperator.k8s.io/v1beta2");
  EXPECT_EQ(error_of("kind: SparkApplication\n"),
            "app.yaml: document 1: apiVersion is missing; use sparkoperator.k8s.io/v1beta2");
}

TEST(Manifest, WrongKind) {
  EXPECT_EQ(error_of("apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkConnect\n"),
            "app.yaml: document 1: kind \"SparkConnect\" is not served; use SparkApplication or "
            "ScheduledSparkApplication");
  EXPECT_EQ(error_of("apiVersion: sparkoperator.k8s.io/v1beta2\n"),
            "app.yaml: document 1: kind is missing; use SparkApplication or "
            "ScheduledSparkApplication");
  EXPECT_EQ(error_of("- a\n- b\n"),
            "app.yaml: document 1: must be a mapping with apiVersion, kind, metadata and spec");
}

TEST(Manifest, BadYamlNamesTheSourceAndPosition) {
  std::string e = error_of("apiVersion: [unclosed\n");
  EXPECT_EQ(e.rfind("app.yaml:", 0), 0u) << e;
  EXPECT_NE(e.find(":1:"), std::string::npos) << e;
}

TEST(Manifest, ListsEveryFieldErrorOfEveryDocument) {
  std::string bad = kPi;
  bad.replace(bad.find("cores: 1"), 8, "cores: -1");
  bad.replace(bad.find("instances: 2"), 12, "instances: 0");
  std::string second = kPi;
  second.replace(second.find("cores: 1"), 8, "cores: two");
  second.replace(second.find("spark-pi"), 8, "spark-pi-2");
  EXPECT_EQ(error_of(bad + "---\n" + second),
            "app.yaml: SparkApplication/spark-pi: spec.driver.cores: must be > 0, got -1\n"
            "app.yaml: SparkApplication/spark-pi: spec.executor.instances: must be > 0, got 0\n"
            "app.yaml: SparkApplication/spark-pi-2: spec.driver.cores: must be an integer, got "
            "string \"two\"");
}

TEST(Manifest, ValidatesWithDefaultsApplied) {
  // No type: the default Scala needs a main class.
  std::string text = kPi;
  text.erase(text.find("  type: Scala\n"), 14);
  text.erase(text.find("  mainClass:"),
             text.find("\n", text.find("  mainClass:")) - text.find("  mainClass:") + 1);
  EXPECT_EQ(error_of(text),
            "app.yaml: SparkApplication/spark-pi: spec.mainClass: required for a Scala "
            "application");
}

TEST(Manifest, UnknownFieldsAreWarnedAboutAndKept) {
  std::string text = kPi;
  text.replace(text.find("cores: 1"), 8, "coress: 1");
  auto apps = parse_manifests(text, "pi.yaml", "default");
  ASSERT_EQ(apps.size(), 1u);
  ASSERT_EQ(apps[0].warnings.size(), 1u);
  EXPECT_EQ(apps[0].warnings[0],
            "pi.yaml: SparkApplication/spark-pi: unknown field \"spec.driver.coress\" (kept as "
            "written, not used by sparkplane)");
  EXPECT_EQ(apps[0].object["spec"]["driver"]["coress"], 1);
}

TEST(Manifest, ScheduledInvalidSchedule) {
  std::string text = R"(apiVersion: sparkoperator.k8s.io/v1beta2
kind: ScheduledSparkApplication
metadata:
  name: nightly
spec:
  schedule: "not a schedule"
  template:
    type: Python
    sparkVersion: 3.5.1
    mainApplicationFile: local:///a.py
)";
  std::string e = error_of(text);
  EXPECT_EQ(e.rfind("app.yaml: ScheduledSparkApplication/nightly: spec.schedule: invalid schedule "
                    "\"not a schedule\": ",
                    0),
            0u)
      << e;
}

TEST(Manifest, EmptyTextHasNoManifests) {
  EXPECT_TRUE(parse_manifests("", "empty.yaml", "default").empty());
  EXPECT_TRUE(parse_manifests("# only a comment\n", "c.yaml", "default").empty());
}

}  // namespace
}  // namespace sp::api
