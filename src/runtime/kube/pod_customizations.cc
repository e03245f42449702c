// The Kubeflow operator's pod customizations (mutateSparkPod of its mutating webhook,
// internal/webhook/sparkpod_defaulter.go), applied here to the driver Pod before it is created
// and to the executor pod template, in the webhook's order: owner reference, env, envFrom,
// Hadoop and Spark ConfigMaps, other ConfigMaps, volumes, ports, host network, host aliases,
// init containers, sidecars, DNS config, priority class, scheduler, node selector, affinity,
// tolerations, memory limit, GPU, Prometheus, security contexts, grace period, lifecycle,
// process namespace sharing.
#include "common/error.h"
#include "common/quantity.h"
#include "runtime/kube/driver_build.h"
#include "runtime/kube/driver_names.h"

namespace sp::kube::detail {
namespace {

constexpr size_t kMaxVolumeName = 63;

struct Ctx {
  Build& b;
  Json& pod;
  Role role;
  const api::SparkPodSpec& spec;
  const std::vector<api::Port>& ports;
  const Json& lifecycle;
  const std::optional<std::string>& priority_class_name;
  std::string field;  // "spec.driver" or "spec.executor"

  Json& pod_spec() { return pod["spec"]; }
  Json& container() {
    Json& containers = pod["spec"]["containers"];
    if (!containers.is_array() || containers.empty()) {
      throw Invalid(field + ": the pod has no Spark container to customize");
    }
    // The webhook's findContainer: the Spark container by name, else the first one.
    for (auto& c : containers) {
      std::string n = c.value("name", "");
      if (role == Role::kDriver ? n == kDriverContainer
                                : (n == "executor" || n == kExecutorContainer)) {
        return c;
      }
    }
    return containers[0];
  }
};

void add_volume(Ctx& x, Json volume) { append(x.pod_spec(), "volumes", std::move(volume)); }
void add_mount(Ctx& x, Json mount) { append(x.container(), "volumeMounts", std::move(mount)); }
void add_env(Ctx& x, const std::string& name, const std::string& value) {
  append(x.container(), "env", Json{{"name", name}, {"value", value}});
}
void add_config_map_volume(Ctx& x, const std::string& config_map, const std::string& volume,
                           const std::string& path) {
  add_volume(x, Json{{"name", volume}, {"configMap", {{"name", config_map}}}});
  add_mount(x, Json{{"name", volume}, {"readOnly", true}, {"mountPath", path}});
}
void add_port(Ctx& x, int32_t port, const std::string& protocol, const std::string& name) {
  append(x.container(), "ports",
         Json{{"name", name}, {"containerPort", port}, {"protocol", protocol}});
}

void owner_reference(Ctx& x) {
  if (x.role != Role::kDriver) return;
  Json ref = app_owner_reference(x.b);
  if (ref.is_null()) {
    x.b.warn(
        "metadata.uid: not set, so the driver pod gets no owner reference to the "
        "SparkApplication");
    return;
  }
  append(x.pod["metadata"], "ownerReferences", ref);
}

void env(Ctx& x) {
  // The operator adds executor env only when the driver has some (a slip in its webhook);
  // here each role gets its own.
  if (x.spec.env.is_array()) {
    for (const auto& e : x.spec.env) append(x.container(), "env", e);
  }
  if (x.spec.env_from.is_array()) {
    for (const auto& e : x.spec.env_from) append(x.container(), "envFrom", e);
  }
}

void config_maps(Ctx& x) {
  const auto& spec = x.b.spec;
  if (spec.hadoop_config_map) {
    add_config_map_volume(x, *spec.hadoop_config_map, "hadoop-configmap-volume",
                          "/etc/hadoop/conf");
    add_env(x, "HADOOP_CONF_DIR", "/etc/hadoop/conf");
  }
  if (spec.spark_config_map) {
    add_config_map_volume(x, *spec.spark_config_map, "spark-configmap-volume", "/etc/spark/conf");
    add_env(x, "SPARK_CONF_DIR", "/etc/spark/conf");
  }
  for (const auto& np : x.spec.config_maps) {
    std::string volume = np.name + "-vol";
    if (volume.size() > kMaxVolumeName) volume.resize(kMaxVolumeName);
    add_config_map_volume(x, np.name, volume, np.path);
  }
}

void volumes(Ctx& x) {
  if (!x.spec.volume_mounts.is_array()) return;
  std::map<std::string, const Json*> by_name;
  if (x.b.spec.volumes.is_array()) {
    for (const auto& v : x.b.spec.volumes) by_name[v.value("name", "")] = &v;
  }
  std::map<std::string, bool> added;
  for (const auto& m : x.spec.volume_mounts) {
    std::string name = m.value("name", "");
    if (name.starts_with("spark-local-dir-")) continue;  // passed in the conf
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      x.b.warn(x.field + ".volumeMounts: " + name +
               ": no such volume in spec.volumes; not mounted");
      continue;
    }
    if (!added[name]) {
      add_volume(x, *it->second);
      added[name] = true;
    }
    add_mount(x, m);
  }
}

bool has_container(const Json& list, const Json& c) {
  if (!list.is_array()) return false;
  for (const auto& e : list) {
    if (e.value("name", "") == c.value("name", "") &&
        e.value("image", "") == c.value("image", "")) {
      return true;
    }
  }
  return false;
}

void network_and_containers(Ctx& x) {
  for (const auto& p : x.ports) add_port(x, p.container_port, p.protocol, p.name);
  if (x.spec.host_network.value_or(false)) {
    x.pod_spec()["hostNetwork"] = true;
    x.pod_spec()["dnsPolicy"] = "ClusterFirstWithHostNet";
  }
  if (x.spec.host_aliases.is_array()) {
    for (const auto& h : x.spec.host_aliases) append(x.pod_spec(), "hostAliases", h);
  }
  if (x.spec.init_containers.is_array()) {
    if (!x.pod_spec().contains("initContainers")) x.pod_spec()["initContainers"] = Json::array();
    for (const auto& c : x.spec.init_containers) {
      if (!has_container(x.pod_spec()["initContainers"], c)) {
        append(x.pod_spec(), "initContainers", c);
      }
    }
  }
  if (x.spec.sidecars.is_array()) {
    for (const auto& c : x.spec.sidecars) {
      if (!has_container(x.pod_spec()["containers"], c)) append(x.pod_spec(), "containers", c);
    }
  }
  if (x.spec.dns_config.is_object()) x.pod_spec()["dnsConfig"] = x.spec.dns_config;
}

void scheduling(Ctx& x) {
  Json& spec = x.pod_spec();
  if (x.priority_class_name && !x.priority_class_name->empty()) {
    spec["priorityClassName"] = *x.priority_class_name;
    spec.erase("priority");
    spec.erase("preemptionPolicy");
  }
  // The batch scheduler, when set, wins over the pod's own scheduler name.
  std::optional<std::string> scheduler = x.b.spec.batch_scheduler;
  if (!scheduler) scheduler = x.spec.scheduler_name;
  if (scheduler && !scheduler->empty()) spec["schedulerName"] = *scheduler;
  for (const auto& [k, v] : x.spec.node_selector) spec["nodeSelector"][k] = v;
  if (x.spec.affinity.is_object()) spec["affinity"] = x.spec.affinity;
  if (x.spec.tolerations.is_array()) {
    for (const auto& t : x.spec.tolerations) append(spec, "tolerations", t);
  }
}

// Kubeflow's ConvertJavaMemoryStringToK8sMemoryString: "512m" -> "512Mi".
std::string k8s_memory(const std::string& java) {
  auto bytes = try_parse_memory_bytes(java, 1);
  if (!bytes) return java;
  for (auto [unit, suffix] :
       {std::pair{kGiB, "Gi"}, std::pair{kMiB, "Mi"}, std::pair{kKiB, "Ki"}}) {
    if (*bytes != 0 && *bytes % unit == 0) return std::to_string(*bytes / unit) + suffix;
  }
  return std::to_string(*bytes);
}

void resources(Ctx& x) {
  // memoryLimit is newer than the typed spec: read it from the stored document.
  const Json* raw = json_at(
      x.b.app.spec_raw, x.role == Role::kDriver ? "driver.memoryLimit" : "executor.memoryLimit");
  if (raw && raw->is_string()) {
    x.container()["resources"]["limits"]["memory"] = k8s_memory(raw->get<std::string>());
  }
  const auto& gpu = x.spec.gpu;
  if (gpu) {
    if (gpu->name.empty() || gpu->quantity <= 0) {
      x.b.warn(x.field + ".gpu: needs a name and a positive quantity; ignored");
    } else {
      x.container()["resources"]["limits"][gpu->name] = std::to_string(gpu->quantity);
    }
  }
}

void prometheus(Ctx& x) {
  const auto& mon = x.b.spec.monitoring;
  if (!mon || !mon->prometheus) return;
  const auto& prom = *mon->prometheus;
  bool has_files = mon->metrics_properties_file && !mon->metrics_properties_file->empty() &&
                   prom.config_file && !prom.config_file->empty();
  if (has_files) return;
  if (x.role == Role::kDriver ? !mon->expose_driver_metrics : !mon->expose_executor_metrics) {
    return;
  }
  std::string name = x.b.name + "-prom-conf";
  add_config_map_volume(x, name, name + "-vol", "/etc/metrics/conf");
  add_port(x, prom.port.value_or(8090), "TCP", prom.port_name.value_or("jmx-exporter"));
}

void security_and_lifecycle(Ctx& x) {
  if (x.spec.security_context.is_object())
    x.container()["securityContext"] = x.spec.security_context;
  if (x.spec.pod_security_context.is_object()) {
    x.pod_spec()["securityContext"] = x.spec.pod_security_context;
  }
  if (x.spec.termination_grace_period_seconds) {
    x.pod_spec()["terminationGracePeriodSeconds"] = *x.spec.termination_grace_period_seconds;
  }
  if (x.lifecycle.is_object()) x.container()["lifecycle"] = x.lifecycle;
  if (x.spec.share_process_namespace.value_or(false)) x.pod_spec()["shareProcessNamespace"] = true;
}

}  // namespace

void customize_pod(Json& pod, Build& b, Role role) {
  const auto& d = b.spec.driver;
  const auto& e = b.spec.executor;
  bool driver = role == Role::kDriver;
  Ctx x{b,
        pod,
        role,
        driver ? static_cast<const api::SparkPodSpec&>(d) : e,
        driver ? d.ports : e.ports,
        driver ? d.lifecycle : e.lifecycle,
        driver ? d.priority_class_name : e.priority_class_name,
        driver ? "spec.driver" : "spec.executor"};
  owner_reference(x);
  env(x);
  config_maps(x);
  volumes(x);
  network_and_containers(x);
  scheduling(x);
  resources(x);
  prometheus(x);
  security_and_lifecycle(x);
}

}  // namespace sp::kube::detail
