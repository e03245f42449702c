// A static table of the v1beta2 field names and a walk that reports keys it does not hold.
#include "api/unknown_fields.h"

#include <map>
#include <utility>

#include "api/types.h"

namespace sp::api {
namespace {

// One node of the schema: a leaf (scalar, free-form map or Kubernetes core type: not
// descended), an object with known fields, or an array / map whose items are such objects.
struct Node {
  enum Kind { kLeaf, kObject, kArray, kMap } kind = kLeaf;
  std::map<std::string, Node> fields;
};

using Fields = std::initializer_list<std::pair<const std::string, Node>>;

Node leaf() { return {}; }
Node array_of(Node item) { return {Node::kArray, std::move(item.fields)}; }
Node map_of(Node item) { return {Node::kMap, std::move(item.fields)}; }

Node with(Node base, Fields more) {
  for (const auto& [k, v] : more) base.fields.emplace(k, v);
  return base;
}

Node leaves(std::initializer_list<const char*> names) {
  Node n{Node::kObject, {}};
  for (const char* name : names) n.fields.emplace(name, leaf());
  return n;
}

Node port() { return leaves({"name", "protocol", "containerPort"}); }

Node pod_spec() {
  Node n = leaves({"template",
                   "cores",
                   "coreLimit",
                   "memory",
                   "memoryOverhead",
                   "image",
                   "env",
                   "envVars",
                   "envFrom",
                   "labels",
                   "annotations",
                   "volumeMounts",
                   "affinity",
                   "tolerations",
                   "podSecurityContext",
                   "securityContext",
                   "schedulerName",
                   "sidecars",
                   "initContainers",
                   "hostNetwork",
                   "nodeSelector",
                   "dnsConfig",
                   "terminationGracePeriodSeconds",
                   "serviceAccount",
                   "hostAliases",
                   "shareProcessNamespace"});
  return with(std::move(n), {{"gpu", leaves({"name", "quantity"})},
                             {"configMaps", array_of(leaves({"name", "path"}))},
                             {"secrets", array_of(leaves({"name", "path", "secretType"}))},
                             {"envSecretKeyRefs", map_of(leaves({"name", "key"}))}});
}

Node spark_application_spec() {
  Node driver = with(pod_spec(), {{"podName", leaf()},
                                  {"coreRequest", leaf()},
                                  {"javaOptions", leaf()},
                                  {"lifecycle", leaf()},
                                  {"kubernetesMaster", leaf()},
                                  {"serviceAnnotations", leaf()},
                                  {"serviceLabels", leaf()},
                                  {"ports", array_of(port())},
                                  {"priorityClassName", leaf()}});
  Node executor = with(pod_spec(), {{"instances", leaf()},
                                    {"coreRequest", leaf()},
                                    {"javaOptions", leaf()},
                                    {"lifecycle", leaf()},
                                    {"deleteOnTermination", leaf()},
                                    {"ports", array_of(port())},
                                    {"priorityClassName", leaf()}});
  Node spec = leaves({"type",
                      "sparkVersion",
                      "mode",
                      "proxyUser",
                      "image",
                      "imagePullPolicy",
                      "imagePullSecrets",
                      "mainClass",
                      "mainApplicationFile",
                      "arguments",
                      "sparkConf",
                      "hadoopConf",
                      "sparkConfigMap",
                      "hadoopConfigMap",
                      "volumes",
                      "nodeSelector",
                      "failureRetries",
                      "retryInterval",
                      "pythonVersion",
                      "memoryOverheadFactor",
                      "batchScheduler",
                      "timeToLiveSeconds",
                      "suspend",
                      "managedBy"});
  return with(
      std::move(spec),
      {{"driver", std::move(driver)},
       {"executor", std::move(executor)},
       {"deps", leaves({"jars", "files", "pyFiles", "packages", "excludePackages", "repositories",
                        "archives"})},
       {"restartPolicy", leaves({"type", "onSubmissionFailureRetries", "onFailureRetries",
                                 "onSubmissionFailureRetryInterval", "onFailureRetryInterval"})},
       {"monitoring", with(leaves({"exposeDriverMetrics", "exposeExecutorMetrics",
                                   "metricsProperties", "metricsPropertiesFile"}),
                           {{"prometheus", leaves({"jmxExporterJar", "port", "portName",
                                                   "configFile", "configuration"})}})},
       {"batchSchedulerOptions", leaves({"queue", "priorityClassName", "resources"})},
       {"sparkUIOptions",
        leaves({"servicePort", "servicePortName", "serviceType", "serviceAnnotations",
                "serviceLabels", "ingressAnnotations", "ingressTLS"})},
       {"driverIngressOptions",
        array_of(
            leaves({"servicePort", "servicePortName", "serviceType", "serviceAnnotations",
                    "serviceLabels", "ingressURLFormat", "ingressAnnotations", "ingressTLS"}))},
       {"dynamicAllocation", leaves({"enabled", "initialExecutors", "minExecutors", "maxExecutors",
                                     "shuffleTrackingTimeout", "shuffleTrackingEnabled"})}});
}

// Kubernetes ObjectMeta, not descended further.
Node metadata() {
  return leaves({"name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
                 "generation", "creationTimestamp", "deletionTimestamp",
                 "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences",
                 "finalizers", "managedFields"});
}

Node spark_application() {
  Node status =
      with(leaves({"sparkApplicationId", "submissionID", "lastSubmissionAttemptTime",
                   "terminationTime", "executorState", "executionAttempts", "submissionAttempts"}),
           {{"driverInfo", leaves({"webUIServiceName", "webUIAddress", "webUIPort",
                                   "webUIIngressName", "webUIIngressAddress", "podName"})},
            {"applicationState", leaves({"state", "errorMessage"})}});
  return with(leaves({"apiVersion", "kind"}), {{"metadata", metadata()},
                                               {"spec", spark_application_spec()},
                                               {"status", std::move(status)}});
}

Node scheduled_spark_application() {
  Node spec = with(leaves({"schedule", "timeZone", "suspend", "concurrencyPolicy",
                           "successfulRunHistoryLimit", "failedRunHistoryLimit"}),
                   {{"template", spark_application_spec()}});
  Node status = leaves({"lastRun", "nextRun", "lastRunName", "pastSuccessfulRunNames",
                        "pastFailedRunNames", "scheduleState", "reason"});
  return with(leaves({"apiVersion", "kind"}),
              {{"metadata", metadata()}, {"spec", std::move(spec)}, {"status", std::move(status)}});
}

void walk(const Json& value, const Node& node, const std::string& path,
          std::vector<std::string>& out);

void walk_fields(const Json& value, const Node& node, const std::string& path,
                 std::vector<std::string>& out) {
  if (!value.is_object()) return;  // wrong types are the typed parser's business
  for (const auto& [key, child] : value.items()) {
    std::string child_path = path.empty() ? key : path + "." + key;
    auto it = node.fields.find(key);
    if (it == node.fields.end()) {
      out.push_back(child_path);
    } else {
      walk(child, it->second, child_path, out);
    }
  }
}

void walk(const Json& value, const Node& node, const std::string& path,
          std::vector<std::string>& out) {
  switch (node.kind) {
    case Node::kLeaf:
      return;
    case Node::kObject:
      walk_fields(value, node, path, out);
      return;
    case Node::kArray:
      if (!value.is_array()) return;
      for (size_t i = 0; i < value.size(); ++i) {
        walk_fields(value[i], node, path + "[" + std::to_string(i) + "]", out);
      }
      return;
    case Node::kMap:
      if (!value.is_object()) return;
      for (const auto& [key, item] : value.items()) walk_fields(item, node, path + "." + key, out);
      return;
  }
}

}  // namespace

std::vector<std::string> unknown_fields(const Json& object) {
  static const Node kSparkApplication = spark_application();
  static const Node kScheduled = scheduled_spark_application();
  std::vector<std::string> out;
  bool scheduled =
      object.is_object() && object.value("kind", Json()) == Json(kScheduledSparkApplicationKind);
  walk(object, scheduled ? kScheduled : kSparkApplication, "", out);
  return out;
}

}  // namespace sp::api
