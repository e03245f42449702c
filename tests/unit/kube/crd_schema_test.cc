// The CRDs of deploy/helm/sparkplane/crds: their names, versions and printer columns as the
// Kubeflow operator's; their schemas structural (every node typed or left unpruned); and every
// SparkApplication and ScheduledSparkApplication manifest of examples/ and tests/data valid against
// them with nothing pruned, checked by the small OpenAPI v3 validator below.
#include <gtest/gtest.h>
#include <regex.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/yaml.h"

namespace sp {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json crd(const std::string& file) {
  fs::path p = fs::path(SPARKPLANE_SOURCE_DIR) / "deploy" / "helm" / "sparkplane" / "crds" / file;
  return parse_yaml_documents(read(p), p.string()).at(0);
}

const Json& schema_of(const Json& c) {
  return c["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
}

// A CRD pattern is an ECMA regex; the ones in our CRDs are also POSIX extended ones. (POSIX
// <regex.h> rather than std::regex: GCC 12 warns falsely inside std::regex at -O2.)
bool matches_pattern(const std::string& value, const std::string& pattern) {
  regex_t re;
  if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0) return false;
  bool ok = regexec(&re, value.c_str(), 0, nullptr, 0) == 0;
  regfree(&re);
  return ok;
}

bool preserves(const Json& s) { return s.value("x-kubernetes-preserve-unknown-fields", false); }
bool int_or_string(const Json& s) { return s.value("x-kubernetes-int-or-string", false); }

// Kubernetes' structural rules, the ones a hand-written schema can break: every node has a type
// (or keeps unknown fields, or is int-or-string), and properties and additionalProperties are
// not mixed.
void check_structural(const Json& s, const std::string& path, std::vector<std::string>& errors) {
  if (!s.is_object()) {
    errors.push_back(path + ": not a schema object");
    return;
  }
  if (!s.contains("type") && !preserves(s) && !int_or_string(s)) {
    errors.push_back(path + ": no type");
  }
  if (s.contains("properties") && s.contains("additionalProperties")) {
    errors.push_back(path + ": both properties and additionalProperties");
  }
  if (s.contains("properties")) {
    for (const auto& [k, v] : s["properties"].items()) check_structural(v, path + "." + k, errors);
  }
  if (s.contains("items")) check_structural(s["items"], path + "[]", errors);
  if (s.contains("additionalProperties") && s["additionalProperties"].is_object()) {
    check_structural(s["additionalProperties"], path + ".*", errors);
  }
}

// The validation (and pruning) the API server does for a custom resource, for the keywords the
// CRDs use.
void validate(const Json& v, const Json& s, const std::string& path,
              std::vector<std::string>& errors) {
  if (v.is_null()) {
    if (!s.value("nullable", false)) errors.push_back(path + ": null");
    return;
  }
  if (int_or_string(s)) {
    if (!v.is_number_integer() && !v.is_string()) errors.push_back(path + ": not int or string");
    return;
  }
  std::string type = s.value("type", "");
  bool ok = type.empty() || (type == "object" && v.is_object()) ||
            (type == "array" && v.is_array()) || (type == "string" && v.is_string()) ||
            (type == "integer" && v.is_number_integer()) || (type == "number" && v.is_number()) ||
            (type == "boolean" && v.is_boolean());
  if (!ok) {
    errors.push_back(path + ": expected " + type + ", got " + v.dump());
    return;
  }
  if (s.contains("enum") && std::find(s["enum"].begin(), s["enum"].end(), v) == s["enum"].end()) {
    errors.push_back(path + ": " + v.dump() + " not in " + s["enum"].dump());
  }
  if (v.is_number() && s.contains("minimum") && v.get<double>() < s["minimum"].get<double>()) {
    errors.push_back(path + ": below the minimum");
  }
  if (v.is_number() && s.contains("maximum") && v.get<double>() > s["maximum"].get<double>()) {
    errors.push_back(path + ": above the maximum");
  }
  if (v.is_string() && s.contains("pattern") &&
      !matches_pattern(v.get<std::string>(), s["pattern"].get<std::string>())) {
    errors.push_back(path + ": does not match " + s["pattern"].get<std::string>());
  }
  if (v.is_array() && s.contains("items")) {
    for (size_t i = 0; i < v.size(); ++i) {
      validate(v[i], s["items"], path + "[" + std::to_string(i) + "]", errors);
    }
  }
  if (!v.is_object()) return;
  if (s.contains("required")) {
    for (const auto& r : s["required"]) {
      if (!v.contains(r.get<std::string>())) errors.push_back(path + ": " + r.dump() + " missing");
    }
  }
  for (const auto& [k, child] : v.items()) {
    std::string p = path.empty() ? k : path + "." + k;
    if (path.empty() && k == "metadata") continue;  // ObjectMeta: the API server's own
    if (s.contains("properties") && s["properties"].contains(k)) {
      validate(child, s["properties"][k], p, errors);
    } else if (s.contains("additionalProperties") && s["additionalProperties"].is_object()) {
      validate(child, s["additionalProperties"], p, errors);
    } else if (!preserves(s)) {
      errors.push_back(p + ": unknown field, would be pruned");
    }
  }
}

// The schema without its descriptions.
Json without_descriptions(Json s) {
  if (s.is_object()) {
    s.erase("description");
    for (auto& [k, v] : s.items()) v = without_descriptions(v);
  } else if (s.is_array()) {
    for (auto& v : s) v = without_descriptions(v);
  }
  return s;
}

std::vector<std::string> column_names(const Json& c) {
  std::vector<std::string> out;
  for (const auto& col : c["spec"]["versions"][0]["additionalPrinterColumns"]) {
    out.push_back(col["name"]);
  }
  return out;
}

TEST(CrdSchema, SparkApplicationDefinition) {
  Json c = crd("sparkoperator.k8s.io_sparkapplications.yaml");
  EXPECT_EQ(c["apiVersion"], "apiextensions.k8s.io/v1");
  EXPECT_EQ(c["metadata"]["name"], "sparkapplications.sparkoperator.k8s.io");
  EXPECT_EQ(c["spec"]["group"], "sparkoperator.k8s.io");
  EXPECT_EQ(c["spec"]["scope"], "Namespaced");
  EXPECT_EQ(c["spec"]["names"]["kind"], "SparkApplication");
  EXPECT_EQ(c["spec"]["names"]["shortNames"], Json::parse(R"(["sparkapp"])"));
  const Json& v = c["spec"]["versions"][0];
  EXPECT_EQ(c["spec"]["versions"].size(), 1u);
  EXPECT_EQ(v["name"], "v1beta2");
  EXPECT_EQ(v["served"], true);
  EXPECT_EQ(v["storage"], true);
  EXPECT_TRUE(v["subresources"].contains("status"));
  EXPECT_EQ(column_names(c),
            (std::vector<std::string>{"Status", "Attempts", "Start", "Finish", "Age"}));
  EXPECT_EQ(v["additionalPrinterColumns"][0]["jsonPath"], ".status.applicationState.state");
}

TEST(CrdSchema, ScheduledSparkApplicationDefinition) {
  Json c = crd("sparkoperator.k8s.io_scheduledsparkapplications.yaml");
  EXPECT_EQ(c["metadata"]["name"], "scheduledsparkapplications.sparkoperator.k8s.io");
  EXPECT_EQ(c["spec"]["names"]["kind"], "ScheduledSparkApplication");
  EXPECT_EQ(c["spec"]["names"]["shortNames"], Json::parse(R"(["scheduledsparkapp"])"));
  EXPECT_TRUE(c["spec"]["versions"][0]["subresources"].contains("status"));
  EXPECT_EQ(column_names(c),
            (std::vector<std::string>{"Schedule", "Suspend", "Last Run", "Last Run Name", "Age"}));
}

TEST(CrdSchema, SchemasAreStructural) {
  for (const char* file : {"sparkoperator.k8s.io_sparkapplications.yaml",
                           "sparkoperator.k8s.io_scheduledsparkapplications.yaml"}) {
    std::vector<std::string> errors;
    check_structural(schema_of(crd(file)), "", errors);
    EXPECT_TRUE(errors.empty()) << file << ":\n" << ::testing::PrintToString(errors);
  }
}

TEST(CrdSchema, ScheduledTemplateIsTheApplicationSpec) {
  Json app = schema_of(crd("sparkoperator.k8s.io_sparkapplications.yaml"))["properties"]["spec"];
  Json tmpl = schema_of(
      crd("sparkoperator.k8s.io_scheduledsparkapplications.yaml"))["properties"]["spec"]
                                                                  ["properties"]["template"];
  EXPECT_EQ(without_descriptions(app), without_descriptions(tmpl));
}

TEST(CrdSchema, TypedFieldsAreChecked) {
  Json s = schema_of(crd("sparkoperator.k8s.io_sparkapplications.yaml"));
  Json doc = Json::parse(R"({"apiVersion": "sparkoperator.k8s.io/v1beta2",
      "kind": "SparkApplication", "metadata": {"name": "x"},
      "spec": {"type": "Go", "driver": {"cores": "2"}, "executor": {"instances": 0},
               "sparkConf": {"a": 1}, "restartPolicy": {"typo": 1}}})");
  std::vector<std::string> errors;
  validate(doc, s, "", errors);
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "spec.type: \"Go\" not in [\"Java\",\"Python\",\"Scala\",\"R\"]",
                        "spec.driver.cores: expected integer, got \"2\"",
                        "spec.executor.instances: below the minimum",
                        "spec.sparkConf.a: expected string, got 1",
                        "spec.restartPolicy.typo: unknown field, would be pruned"}));
}

TEST(CrdSchema, EveryManifestValidates) {
  Json app = schema_of(crd("sparkoperator.k8s.io_sparkapplications.yaml"));
  Json scheduled = schema_of(crd("sparkoperator.k8s.io_scheduledsparkapplications.yaml"));
  int checked = 0;
  for (const char* dir : {"examples", "tests/data/manifests", "tests/data/kube"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(SPARKPLANE_SOURCE_DIR) / dir)) {
      if (entry.path().extension() != ".yaml") continue;
      for (const Json& doc : parse_yaml_documents(read(entry.path()), entry.path().string())) {
        if (doc.value("apiVersion", "") != "sparkoperator.k8s.io/v1beta2") continue;
        std::vector<std::string> errors;
        validate(doc, doc["kind"] == "SparkApplication" ? app : scheduled, "", errors);
        EXPECT_TRUE(errors.empty()) << entry.path() << ":\n" << ::testing::PrintToString(errors);
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 8);
}

}  // namespace
}  // namespace sp
