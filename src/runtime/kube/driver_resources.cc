// build_driver_resources: runs the builder's steps (driver_build.h) in the order the Kubeflow
// operator and spark-submit take them, and assembles the ConfigMaps around their results.
#include "runtime/kube/driver_resources.h"

#include "api/defaults.h"
#include "common/error.h"
#include "runtime/kube/driver_build.h"
#include "runtime/kube/driver_names.h"
#include "runtime/kube/java_properties.h"

namespace sp::kube {

using detail::Build;

std::vector<Json> DriverResources::objects() const {
  std::vector<Json> out;
  auto add = [&](const Json& j) {
    if (!j.is_null()) out.push_back(j);
  };
  add(prometheus_config_map);
  add(driver_pod);
  add(config_map);
  add(service);
  add(executor_template_config_map);
  add(ui_service);
  add(ui_ingress);
  for (const auto& s : ingress_services) add(s);
  for (const auto& i : ingresses) add(i);
  return out;
}

DriverResources build_driver_resources(const api::SparkApplication& app,
                                       const std::string& submission_id,
                                       const DriverOptions& opts) {
  if (submission_id.empty()) throw Invalid("submission id: required");
  if (app.metadata.name.empty()) throw Invalid("metadata.name: required");
  DriverResources out;
  Build b(app, opts, submission_id, out);
  b.spec = api::with_defaults(app.spec);
  b.ns = app.metadata.namespace_.empty() ? "default" : app.metadata.namespace_;
  b.name = app.metadata.name;
  if (b.spec.mode != "cluster") {
    // The operator would run such a driver inside its own pod; sparkplane runs none there.
    throw Invalid(
        "spec.mode: " + b.spec.mode +
        ": only cluster mode is supported on Kubernetes (the driver runs in its own pod)");
  }
  out.app_id = spark_app_id(app, submission_id);
  out.driver_pod_name = driver_pod_name(app);

  // What the operator does to the spec before it submits.
  detail::apply_monitoring(b);
  detail::apply_batch_scheduler(b);

  // Names spark-submit would draw at random.
  b.prefix = resource_name_prefix(b.name, unique_id(app, submission_id, "resource-prefix"));
  out.service_name = driver_service_name(b.prefix, unique_id(app, submission_id, "service"));
  b.config_map_name = "spark-drv-" + unique_id(app, submission_id, "conf-map") + "-conf-map";
  b.template_config_map_name = b.prefix + "-driver-podspec-conf-map";

  b.executor_template = detail::executor_pod_template(b);
  detail::kubeflow_submission(b);
  detail::plan_event_log_shipper(b);
  detail::resolve_spark_conf(b);
  out.driver_pod = detail::spark_driver_pod(b);
  detail::customize_pod(out.driver_pod, b, detail::Role::kDriver);
  detail::add_event_log_shipper(b, out.driver_pod);
  out.service = detail::driver_service(b);
  out.spark_properties = b.properties;

  out.config_map = Json{{"apiVersion", "v1"},
                        {"kind", "ConfigMap"},
                        {"metadata", {{"name", b.config_map_name}, {"namespace", b.ns}}},
                        {"immutable", true},
                        {"data",
                         {{"spark.kubernetes.namespace", b.ns},
                          {"spark.properties",
                           store_properties(b.properties,
                                            "Java properties built from Kubernetes config map with "
                                            "name: " +
                                                b.config_map_name)}}}};
  if (!b.executor_template.is_null()) {
    out.executor_template_config_map =
        Json{{"apiVersion", "v1"},
             {"kind", "ConfigMap"},
             {"metadata", {{"name", b.template_config_map_name}, {"namespace", b.ns}}},
             {"immutable", true},
             // JSON, which is YAML too: no plain scalar the driver's YAML reader could take for
             // another type ("1e3" read as a number).
             {"data", {{"podspec-configmap-key", b.executor_template.dump(2) + "\n"}}}};
  }
  detail::ui_service_and_ingress(b);
  detail::driver_ingresses(b);
  return out;
}

void own_by_driver_pod(Json& object, const std::string& pod_name, const std::string& pod_uid) {
  Json ref = Json{{"apiVersion", "v1"},
                  {"kind", "Pod"},
                  {"name", pod_name},
                  {"uid", pod_uid},
                  {"controller", true}};
  Json& refs = object["metadata"]["ownerReferences"];
  if (!refs.is_array()) refs = Json::array();
  for (auto& r : refs) {
    if (r.value("kind", "") == "Pod" && r.value("apiVersion", "") == "v1") {
      r = ref;
      return;
    }
  }
  refs.push_back(ref);
}

}  // namespace sp::kube
