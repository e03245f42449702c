// Helpers for the driver resource builder's tests: an application from a YAML manifest, its
// built objects, and lookups into them.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "api/defaults.h"
#include "api/manifest.h"
#include "common/json.h"
#include "runtime/kube/driver_resources.h"

namespace sp::kube::testing {

// A SparkApplication "app" in namespace "ns" with uid "uid-1"; `spec` is the YAML of its spec,
// indented by two spaces.
inline api::SparkApplication app_from(const std::string& spec, const std::string& name = "app",
                                      const std::string& extra_meta = "") {
  std::string text =
      "apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkApplication\n"
      "metadata:\n  name: " +
      name + "\n  namespace: ns\n" + extra_meta + "spec:\n" + spec;
  auto manifests = api::parse_manifests(text, "test.yaml", "default");
  api::SparkApplication app = api::spark_application_from_json(manifests.at(0).object);
  app.spec = api::with_defaults(app.spec);
  app.metadata.uid = "uid-1";
  return app;
}

// A Scala SparkPi with an image: the smallest valid application, plus `more` spec lines.
inline std::string scala_spec(const std::string& more = "") {
  return "  type: Scala\n"
         "  image: spark:4.1.1\n"
         "  sparkVersion: 4.1.1\n"
         "  mainClass: org.apache.spark.examples.SparkPi\n"
         "  mainApplicationFile: local:///opt/spark/examples/jars/spark-examples.jar\n" +
         more;
}

inline std::string python_spec(const std::string& more = "") {
  return "  type: Python\n"
         "  image: spark:4.1.1\n"
         "  sparkVersion: 4.1.1\n"
         "  mainApplicationFile: local:///opt/app/main.py\n" +
         more;
}

inline DriverResources build(const std::string& spec, const DriverOptions& opts = {},
                             const std::string& submission_id = "sub-1") {
  return build_driver_resources(app_from(spec), submission_id, opts);
}

inline Json& driver_container(DriverResources& r) {
  for (auto& c : r.driver_pod["spec"]["containers"]) {
    if (c["name"] == "spark-kubernetes-driver") return c;
  }
  ADD_FAILURE() << "no driver container";
  return r.driver_pod["spec"]["containers"][0];
}

// The value of env var `name` of a container; "<unset>" when absent, "<from>" for valueFrom.
inline std::string env_of(const Json& container, const std::string& name) {
  std::string out = "<unset>";
  if (!container.contains("env")) return out;
  for (const auto& e : container["env"]) {
    if (e["name"] == name) out = e.contains("value") ? e["value"].get<std::string>() : "<from>";
  }
  return out;
}

inline const Json* find_named(const Json& list, const std::string& name) {
  if (!list.is_array()) return nullptr;
  for (const auto& e : list) {
    if (e.value("name", "") == name) return &e;
  }
  return nullptr;
}

inline std::string prop(const DriverResources& r, const std::string& key) {
  auto it = r.spark_properties.find(key);
  return it == r.spark_properties.end() ? "<unset>" : it->second;
}

}  // namespace sp::kube::testing
