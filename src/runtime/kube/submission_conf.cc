// The spark-submit options and --conf pairs the Kubeflow operator builds for an application
// (buildSparkSubmitArgs in its internal/controller/sparkapplication/submission.go), option
// function by option function, later settings replacing earlier ones as spark-submit reads them.
#include <cctype>
#include <string>

#include "common/error.h"
#include "controller/labels.h"
#include "runtime/kube/driver_build.h"

namespace sp::kube::detail {
namespace {

constexpr const char* kLocalDirPrefix = "spark-local-dir-";
constexpr const char* kMutatedByOperator = "sparkoperator.k8s.io/mutated-by-spark-operator";

bool set_nonempty(Conf& conf, const std::string& key, const std::optional<std::string>& v) {
  if (!v || v->empty()) return false;
  conf.set(key, *v);
  return true;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::string path_join(const std::string& dir, const std::string& file) {
  if (dir.empty()) return file;
  return dir.back() == '/' ? dir + file : dir + "/" + file;
}

std::string scalar(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// The spark.kubernetes.<role>.volumes.* conf of the spark-local-dir-* volumes a role mounts
// (driverVolumeMountsOption / executorVolumeMountsOption).
void local_dir_volumes(Build& b, const char* role, const Json& mounts, const std::string& where) {
  if (!mounts.is_array() || !b.spec.volumes.is_array()) return;
  std::map<std::string, const Json*> volumes;
  for (const auto& v : b.spec.volumes) {
    auto name = opt_get<std::string>(v, "name");
    if (name && name->starts_with(kLocalDirPrefix)) volumes[*name] = &v;
  }
  if (volumes.empty()) return;
  const std::string prefix = std::string("spark.kubernetes.") + role + ".volumes.";
  for (size_t i = 0; i < mounts.size(); ++i) {
    const Json& m = mounts[i];
    std::string name = opt_get<std::string>(m, "name").value_or("");
    if (!name.starts_with(kLocalDirPrefix)) continue;
    auto it = volumes.find(name);
    if (it == volumes.end()) {
      throw Invalid(where + "[" + std::to_string(i) + "]: volume " + name +
                    " not found in spec.volumes");
    }
    const Json& vol = *it->second;
    std::string type;
    for (const char* t : {"emptyDir", "hostPath", "nfs", "persistentVolumeClaim"}) {
      if (vol.contains(t) && !vol[t].is_null()) {
        type = t;
        break;
      }
    }
    if (type.empty()) {
      throw Invalid("spec.volumes: " + name +
                    ": unsupported volume type for a Spark local directory (emptyDir, hostPath, "
                    "nfs or persistentVolumeClaim)");
    }
    const std::string base = prefix + type + "." + name + ".";
    auto mount_path = opt_get<std::string>(m, "mountPath");
    if (mount_path && !mount_path->empty()) b.submission.conf.set(base + "mount.path", *mount_path);
    auto sub_path = opt_get<std::string>(m, "subPath");
    if (sub_path && !sub_path->empty()) b.submission.conf.set(base + "mount.subPath", *sub_path);
    if (opt_get<bool>(m, "readOnly").value_or(false)) {
      b.submission.conf.set(base + "mount.readOnly", "true");
    }
    const Json& src = vol[type];
    auto opt = [&](const char* key, const std::string& value) {
      b.submission.conf.set(base + "options." + key, value);
    };
    if (type == "emptyDir") {
      if (src.contains("sizeLimit") && !src["sizeLimit"].is_null()) {
        opt("sizeLimit", scalar(src["sizeLimit"]));
      }
    } else if (type == "hostPath") {
      opt("path", opt_get<std::string>(src, "path").value_or(""));
      if (auto t = opt_get<std::string>(src, "type")) opt("type", *t);
    } else if (type == "nfs") {
      opt("path", opt_get<std::string>(src, "path").value_or(""));
      opt("server", opt_get<std::string>(src, "server").value_or(""));
      if (opt_get<bool>(src, "readOnly").value_or(false)) opt("readOnly", "true");
    } else {
      opt("claimName", opt_get<std::string>(src, "claimName").value_or(""));
      if (opt_get<bool>(src, "readOnly").value_or(false)) opt("readOnly", "true");
    }
  }
}

// spark.kubernetes.<role>.secrets.* and the env var a typed secret needs.
void secrets(Build& b, const std::vector<api::SecretInfo>& list, const char* secrets_prefix,
             const char* env_prefix) {
  for (const auto& s : list) {
    b.submission.conf.set(secrets_prefix + s.name, s.path);
    if (s.secret_type == "GCPServiceAccount") {
      b.submission.conf.set(std::string(env_prefix) + "GOOGLE_APPLICATION_CREDENTIALS",
                            path_join(s.path, "key.json"));
    } else if (s.secret_type == "HadoopDelegationToken") {
      b.submission.conf.set(std::string(env_prefix) + "HADOOP_TOKEN_FILE_LOCATION",
                            path_join(s.path, "hadoop.token"));
    }
  }
}

// Semantic version compare of the leading numbers ("3.0.0" < "3.5.1"); "" counts as 0.
int compare_version(const std::string& a, const std::string& b) {
  auto parts = [](const std::string& v) {
    std::vector<long> out;
    size_t i = 0;
    if (!v.empty() && (v[0] == 'v' || v[0] == 'V')) i = 1;
    while (i < v.size() && out.size() < 3) {
      long n = 0;
      bool digits = false;
      while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
        n = n * 10 + (v[i++] - '0');
        digits = true;
      }
      if (!digits) break;
      out.push_back(n);
      if (i < v.size() && v[i] == '.') ++i;
    }
    out.resize(3, 0);
    return out;
  };
  auto pa = parts(a), pb = parts(b);
  return pa < pb ? -1 : (pa > pb ? 1 : 0);
}

void pod_conf(Build& b, const char* role, bool has_template) {
  Conf& c = b.submission.conf;
  const std::string label = std::string("spark.kubernetes.") + role + ".label.";
  c.set(label + controller::kLabelAppName, b.name);
  c.set(label + controller::kLabelLaunchedByOperator, "true");
  // Kubeflow marks the pods its webhook must mutate: Spark before 3.0, or no pod template.
  if (compare_version(b.spec.spark_version.value_or(""), "3.0.0") < 0 || !has_template) {
    c.set(label + kMutatedByOperator, "true");
  }
  c.set(label + controller::kLabelSubmissionId, b.submission_id);
}

void driver_conf(Build& b) {
  const auto& d = b.spec.driver;
  Conf& c = b.submission.conf;
  pod_conf(b, "driver", !d.template_.is_null());
  if (!set_nonempty(c, "spark.kubernetes.driver.container.image", d.image)) {
    set_nonempty(c, "spark.kubernetes.driver.container.image", b.spec.image);
  }
  if (d.cores) c.set("spark.driver.cores", std::to_string(*d.cores));
  if (d.core_request) c.set("spark.kubernetes.driver.request.cores", *d.core_request);
  if (d.core_limit) c.set("spark.kubernetes.driver.limit.cores", *d.core_limit);
  if (d.memory) c.set("spark.driver.memory", *d.memory);
  if (d.memory_overhead) c.set("spark.driver.memoryOverhead", *d.memory_overhead);
  if (d.service_account) {
    c.set("spark.kubernetes.authenticate.driver.serviceAccountName", *d.service_account);
  }
  if (d.java_options) c.set("spark.driver.extraJavaOptions", *d.java_options);
  if (d.kubernetes_master) c.set("spark.kubernetes.driver.master", *d.kubernetes_master);
  for (const auto& [k, v] : b.app.metadata.labels) c.set("spark.kubernetes.driver.label." + k, v);
  for (const auto& [k, v] : d.labels) c.set("spark.kubernetes.driver.label." + k, v);
  for (const auto& [k, v] : d.annotations) c.set("spark.kubernetes.driver.annotation." + k, v);
  for (const auto& [k, v] : d.service_labels) {
    c.set("spark.kubernetes.driver.service.label." + k, v);
  }
  for (const auto& [k, v] : d.service_annotations) {
    c.set("spark.kubernetes.driver.service.annotation." + k, v);
  }
  for (const auto& [k, v] : d.env_secret_key_refs) {
    c.set("spark.kubernetes.driver.secretKeyRef." + k, v.name + ":" + v.key);
  }
}

void executor_conf(Build& b) {
  const auto& e = b.spec.executor;
  Conf& c = b.submission.conf;
  pod_conf(b, "executor", !e.template_.is_null());
  if (e.instances) c.set("spark.executor.instances", std::to_string(*e.instances));
  if (!set_nonempty(c, "spark.kubernetes.executor.container.image", e.image)) {
    set_nonempty(c, "spark.kubernetes.executor.container.image", b.spec.image);
  }
  if (e.cores) c.set("spark.executor.cores", std::to_string(*e.cores));
  if (e.core_request) c.set("spark.kubernetes.executor.request.cores", *e.core_request);
  if (e.core_limit) c.set("spark.kubernetes.executor.limit.cores", *e.core_limit);
  if (e.memory) c.set("spark.executor.memory", *e.memory);
  if (e.memory_overhead) c.set("spark.executor.memoryOverhead", *e.memory_overhead);
  if (e.service_account) {
    c.set("spark.kubernetes.authenticate.executor.serviceAccountName", *e.service_account);
  }
  if (e.delete_on_termination) {
    c.set("spark.kubernetes.executor.deleteOnTermination",
          *e.delete_on_termination ? "true" : "false");
  }
  for (const auto& [k, v] : b.app.metadata.labels) {
    c.set("spark.kubernetes.executor.label." + k, v);
  }
  for (const auto& [k, v] : e.labels) c.set("spark.kubernetes.executor.label." + k, v);
  for (const auto& [k, v] : e.annotations) c.set("spark.kubernetes.executor.annotation." + k, v);
  for (const auto& [k, v] : e.env_secret_key_refs) {
    c.set("spark.kubernetes.executor.secretKeyRef." + k, v.name + ":" + v.key);
  }
  if (e.java_options) c.set("spark.executor.extraJavaOptions", *e.java_options);
}

void dynamic_allocation(Build& b) {
  const auto& da = b.spec.dynamic_allocation;
  if (!da || !da->enabled) return;
  Conf& c = b.submission.conf;
  c.set("spark.dynamicAllocation.enabled", "true");
  if (da->initial_executors) {
    c.set("spark.dynamicAllocation.initialExecutors", std::to_string(*da->initial_executors));
  }
  if (da->min_executors) {
    c.set("spark.dynamicAllocation.minExecutors", std::to_string(*da->min_executors));
  }
  if (da->max_executors) {
    c.set("spark.dynamicAllocation.maxExecutors", std::to_string(*da->max_executors));
  }
  c.set("spark.dynamicAllocation.shuffleTracking.enabled",
        da->shuffle_tracking_enabled.value_or(true) ? "true" : "false");
  if (da->shuffle_tracking_timeout) {
    c.set("spark.dynamicAllocation.shuffleTracking.timeout",
          std::to_string(*da->shuffle_tracking_timeout));
  }
}

}  // namespace

Submission kubeflow_submission(Build& b) {
  const auto& spec = b.spec;
  b.submission = Submission{};
  Submission& s = b.submission;
  Conf& c = s.conf;
  // --master and --deploy-mode are spark-submit's own (resolve_spark_conf).
  if (spec.main_class) s.main_class = *spec.main_class;
  s.name = b.name;
  s.deps = spec.deps;
  c.set("spark.kubernetes.namespace", b.ns);
  set_nonempty(c, "spark.kubernetes.container.image", spec.image);
  set_nonempty(c, "spark.kubernetes.container.image.pullPolicy", spec.image_pull_policy);
  if (!spec.image_pull_secrets.empty()) {
    c.set("spark.kubernetes.container.image.pullSecrets", join(spec.image_pull_secrets));
  }
  set_nonempty(c, "spark.kubernetes.pyspark.pythonVersion", spec.python_version);
  set_nonempty(c, "spark.kubernetes.memoryOverheadFactor", spec.memory_overhead_factor);
  c.set("spark.kubernetes.submission.waitAppCompletion", "false");
  for (const auto& [k, v] : spec.spark_conf) {
    if (k != "spark.kubernetes.driver.pod.name") c.set(k, v);
  }
  for (const auto& [k, v] : spec.hadoop_conf) c.set("spark.hadoop." + k, v);
  // The driver's pod template is the base of the Pod built here: no template file to name,
  // only the container to take from it.
  if (!spec.driver.template_.is_null()) {
    c.set("spark.kubernetes.driver.podTemplateContainerName", kDriverContainer);
  }
  c.set("spark.kubernetes.driver.pod.name", b.out.driver_pod_name);
  driver_conf(b);
  for (const auto& [k, v] : spec.driver.env_vars) c.set("spark.kubernetes.driverEnv." + k, v);
  secrets(b, spec.driver.secrets, "spark.kubernetes.driver.secrets.",
          "spark.kubernetes.driverEnv.");
  local_dir_volumes(b, "driver", spec.driver.volume_mounts, "spec.driver.volumeMounts");
  // The executor pod template goes in the driver's ConfigMap (resolve_spark_conf).
  if (!b.executor_template.is_null()) {
    c.set("spark.kubernetes.executor.podTemplateContainerName", kExecutorContainer);
  }
  executor_conf(b);
  for (const auto& [k, v] : spec.executor.env_vars) c.set("spark.executorEnv." + k, v);
  secrets(b, spec.executor.secrets, "spark.kubernetes.executor.secrets.", "spark.executorEnv.");
  local_dir_volumes(b, "executor", spec.executor.volume_mounts, "spec.executor.volumeMounts");
  for (const auto& [k, v] : spec.node_selector) c.set("spark.kubernetes.node.selector." + k, v);
  dynamic_allocation(b);
  if (spec.proxy_user) s.proxy_user = *spec.proxy_user;
  if (spec.main_application_file) s.main_file = *spec.main_application_file;
  s.args = spec.arguments;
  return s;
}

}  // namespace sp::kube::detail
