// The driver feature steps of Spark 4.1 that add volumes (and their environment) to the driver
// Pod: MountSecretsFeatureStep and EnvSecretsFeatureStep, MountVolumesFeatureStep,
// HadoopConfDriverFeatureStep, PodTemplateConfigMapStep and LocalDirsFeatureStep.
#include "common/error.h"
#include "common/uuid.h"
#include "runtime/kube/driver_build.h"

namespace sp::kube::detail {
namespace {

constexpr const char* kPodTemplateVolume = "pod-template-volume";
constexpr const char* kPodTemplateDir = "/opt/spark/pod-template";
constexpr const char* kPodTemplateKey = "podspec-configmap-key";
constexpr const char* kPodTemplateFileName = "pod-spec-template.yml";
constexpr const char* kLocalDirPrefix = "spark-local-dir-";

Json env_var(const std::string& name, const std::string& value) {
  return Json{{"name", name}, {"value", value}};
}

}  // namespace

// MountSecretsFeatureStep and EnvSecretsFeatureStep.
void driver_secrets(Build& b, Json& pod, Json& c) {
  for (const auto& [name, path] : b.conf.with_prefix("spark.kubernetes.driver.secrets.")) {
    append(pod["spec"], "volumes",
           Json{{"name", name + "-volume"}, {"secret", {{"secretName", name}}}});
    append(c, "volumeMounts", Json{{"name", name + "-volume"}, {"mountPath", path}});
  }
  for (const auto& [env, ref] : b.conf.with_prefix("spark.kubernetes.driver.secretKeyRef.")) {
    auto colon = ref.find(':');
    if (colon == std::string::npos) {
      throw Invalid("spec: spark.kubernetes.driver.secretKeyRef." + env + " = \"" + ref +
                    "\": expected <secret name>:<key>");
    }
    append(c, "env",
           Json{{"name", env},
                {"valueFrom",
                 {{"secretKeyRef",
                   {{"key", ref.substr(colon + 1)}, {"name", ref.substr(0, colon)}}}}}});
  }
}

// MountVolumesFeatureStep: spark.kubernetes.driver.volumes.<type>.<name>.{mount,options}.*.
void driver_conf_volumes(Build& b, Json& pod, Json& c) {
  struct Vol {
    std::string type;
    std::map<std::string, std::string> keys;
  };
  std::map<std::string, Vol> vols;  // by name
  for (const auto& [k, v] : b.conf.with_prefix("spark.kubernetes.driver.volumes.")) {
    auto dot1 = k.find('.');
    auto dot2 = dot1 == std::string::npos ? dot1 : k.find('.', dot1 + 1);
    if (dot2 == std::string::npos) continue;
    Vol& vol = vols[k.substr(dot1 + 1, dot2 - dot1 - 1)];
    vol.type = k.substr(0, dot1);
    vol.keys[k.substr(dot2 + 1)] = v;
  }
  for (const auto& [name, vol] : vols) {
    auto get = [&](const std::string& key) {
      auto it = vol.keys.find(key);
      return it == vol.keys.end() ? std::string() : it->second;
    };
    const std::string where = "spec: spark.kubernetes.driver.volumes." + vol.type + "." + name;
    std::string mount_path = get("mount.path");
    if (mount_path.empty()) throw Invalid(where + ".mount.path: required");
    Json volume = Json{{"name", name}};
    if (vol.type == "emptyDir") {
      Json src = Json::object();
      if (!get("options.medium").empty()) src["medium"] = get("options.medium");
      if (!get("options.sizeLimit").empty()) src["sizeLimit"] = get("options.sizeLimit");
      volume["emptyDir"] = src;
    } else if (vol.type == "hostPath") {
      volume["hostPath"] = Json{{"path", get("options.path")}, {"type", get("options.type")}};
    } else if (vol.type == "nfs") {
      volume["nfs"] = Json{{"path", get("options.path")}, {"server", get("options.server")}};
      if (get("options.readOnly") == "true") volume["nfs"]["readOnly"] = true;
    } else if (vol.type == "persistentVolumeClaim") {
      std::string claim = get("options.claimName");
      if (claim == "OnDemand" || claim.find("SPARK_EXECUTOR_ID") != std::string::npos) {
        throw Invalid(where + ".options.claimName: " + claim +
                      ": on-demand claims for the driver are not supported; name an existing "
                      "PersistentVolumeClaim");
      }
      volume["persistentVolumeClaim"] = Json{{"claimName", claim}};
      if (get("options.readOnly") == "true") volume["persistentVolumeClaim"]["readOnly"] = true;
    } else {
      throw Invalid(where + ": unknown volume type " + vol.type +
                    " (hostPath, emptyDir, nfs or persistentVolumeClaim)");
    }
    append(pod["spec"], "volumes", volume);
    Json mount = Json{{"name", name}, {"mountPath", mount_path}};
    if (get("mount.readOnly") == "true") mount["readOnly"] = true;
    if (!get("mount.subPath").empty()) mount["subPath"] = get("mount.subPath");
    if (!get("mount.subPathExpr").empty()) mount["subPathExpr"] = get("mount.subPathExpr");
    append(c, "volumeMounts", mount);
  }
}

// HadoopConfDriverFeatureStep, for a Hadoop configuration ConfigMap named in the conf.
void driver_hadoop_conf(Build& b, Json& pod, Json& c) {
  auto cm = b.conf.get("spark.kubernetes.hadoop.configMapName");
  if (!cm || cm->empty()) return;
  append(pod["spec"], "volumes",
         Json{{"name", "hadoop-properties"}, {"configMap", {{"name", *cm}}}});
  append(c, "volumeMounts", Json{{"name", "hadoop-properties"}, {"mountPath", "/opt/hadoop/conf"}});
  append(c, "env", env_var("HADOOP_CONF_DIR", "/opt/hadoop/conf"));
}

// PodTemplateConfigMapStep: the executor pod template, from the ConfigMap made beside this pod.
void driver_pod_template_volume(Build& b, Json& pod, Json& c) {
  if (b.executor_template.is_null()) return;
  append(pod["spec"], "volumes",
         Json{{"name", kPodTemplateVolume},
              {"configMap",
               {{"name", b.template_config_map_name},
                {"items",
                 Json::array({{{"key", kPodTemplateKey}, {"path", kPodTemplateFileName}}})}}}});
  append(c, "volumeMounts", Json{{"name", kPodTemplateVolume}, {"mountPath", kPodTemplateDir}});
}

// LocalDirsFeatureStep: scratch space, unless spark-local-dir-* volumes are mounted already.
void driver_local_dirs(Build& b, Json& pod, Json& c) {
  std::vector<std::string> dirs;
  if (c.contains("volumeMounts")) {
    for (const auto& m : c["volumeMounts"]) {
      if (m.value("name", "").starts_with(kLocalDirPrefix))
        dirs.push_back(m.value("mountPath", ""));
    }
  }
  if (dirs.empty()) {
    std::string configured = b.conf.get_or("spark.local.dir", "");
    if (configured.empty()) {
      dirs.push_back("/var/data/spark-" +
                     uuid_from_name(b.ns + "/" + b.name + "/" + b.submission_id + "/local-dir"));
    } else {
      size_t start = 0;
      while (start <= configured.size()) {
        size_t comma = configured.find(',', start);
        if (comma == std::string::npos) comma = configured.size();
        dirs.push_back(configured.substr(start, comma - start));
        start = comma + 1;
      }
    }
    bool tmpfs = b.conf.get_or("spark.kubernetes.local.dirs.tmpfs", "false") == "true";
    for (size_t i = 0; i < dirs.size(); ++i) {
      std::string vname = kLocalDirPrefix + std::to_string(i + 1);
      Json empty_dir = Json::object();
      if (tmpfs) empty_dir["medium"] = "Memory";
      append(pod["spec"], "volumes", Json{{"name", vname}, {"emptyDir", empty_dir}});
      append(c, "volumeMounts", Json{{"name", vname}, {"mountPath", dirs[i]}});
    }
  }
  std::string joined;
  for (const auto& d : dirs) joined += (joined.empty() ? "" : ",") + d;
  append(c, "env", env_var("SPARK_LOCAL_DIRS", joined));
}

}  // namespace sp::kube::detail
