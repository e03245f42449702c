// The executor pod template: spec.executor.template (or an empty pod) with the operator's
// executor customizations, which the Kubeflow operator's webhook applies to each executor pod as
// the driver creates it. Here the driver reads them from the template (Spark's
// spark.kubernetes.executor.podTemplateFile), so executors get them from Spark itself.
#include "runtime/kube/driver_build.h"

namespace sp::kube::detail {

Json executor_pod_template(Build& b) {
  const Json& user = b.spec.executor.template_;
  Json pod = Json{{"apiVersion", "v1"},
                  {"kind", "Pod"},
                  {"metadata", Json::object()},
                  {"spec", Json::object()}};
  if (user.is_object()) {
    if (user.contains("metadata") && user["metadata"].is_object())
      pod["metadata"] = user["metadata"];
    if (user.contains("spec") && user["spec"].is_object()) pod["spec"] = user["spec"];
  }
  Json& containers = pod["spec"]["containers"];
  if (!containers.is_array() || containers.empty()) {
    containers = Json::array({Json{{"name", kExecutorContainer}}});
  }
  const Json skeleton = pod;
  customize_pod(pod, b, Role::kExecutor);
  if (!user.is_object() && pod == skeleton) return nullptr;  // nothing for executors to take
  return pod;
}

}  // namespace sp::kube::detail
