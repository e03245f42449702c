// The driver Pod as Spark 4.1's driver feature steps build it from the SparkConf
// (KubernetesDriverBuilder: BasicDriverFeatureStep, DriverKubernetesCredentialsFeatureStep,
// the volume steps of driver_pod_volumes.cc, DriverCommandFeatureStep) and as
// KubernetesClientApplication finishes it (the spark.properties volume), on top of
// spec.driver.template when there is one.
#include <algorithm>

#include "common/error.h"
#include "common/quantity.h"
#include "runtime/kube/driver_build.h"
#include "runtime/kube/driver_names.h"

namespace sp::kube::detail {
namespace {

constexpr const char* kConfDir = "/opt/spark/conf";
constexpr const char* kConfVolume = "spark-conf-volume-driver";

Json env_var(const std::string& name, const std::string& value) {
  return Json{{"name", name}, {"value", value}};
}

int64_t mib_of(const Conf& conf, const std::string& key, const std::string& fallback) {
  std::string v = conf.get_or(key, fallback);
  auto bytes = try_parse_memory_bytes(v, kMiB);
  if (!bytes || *bytes < 0) {
    throw Invalid("spec: " + key + " = \"" + v + "\": expected a size such as 512m or 2g");
  }
  return *bytes / kMiB;
}

double double_of(const Conf& conf, const std::string& key, double fallback) {
  auto v = conf.get(key);
  if (!v) return fallback;
  char* end = nullptr;
  double d = std::strtod(v->c_str(), &end);
  if (v->empty() || end != v->c_str() + v->size()) {
    throw Invalid("spec.sparkConf: " + key + ": expected a number, got \"" + *v + "\"");
  }
  return d;
}

int int_of(const Conf& conf, const std::string& key, int fallback) {
  auto v = conf.get(key);
  if (!v) return fallback;
  try {
    size_t used = 0;
    int n = std::stoi(*v, &used);
    if (used == v->size()) return n;
  } catch (const std::exception&) {
  }
  throw Invalid("spec.sparkConf: " + key + ": expected a whole number, got \"" + *v + "\"");
}

// The template's pod and its Spark container (taken out of spec.containers, as Spark's
// KubernetesUtils.selectSparkContainer does; the container goes back last).
void start_from_template(Build& b, Json& pod, Json& container) {
  pod = Json{{"apiVersion", "v1"},
             {"kind", "Pod"},
             {"metadata", Json::object()},
             {"spec", Json::object()}};
  container = Json::object();
  const Json& tmpl = b.spec.driver.template_;
  if (!tmpl.is_object()) return;
  if (tmpl.contains("metadata") && tmpl["metadata"].is_object()) pod["metadata"] = tmpl["metadata"];
  if (tmpl.contains("spec") && tmpl["spec"].is_object()) pod["spec"] = tmpl["spec"];
  Json& containers = pod["spec"]["containers"];
  if (!containers.is_array() || containers.empty()) {
    pod["spec"].erase("containers");
    return;
  }
  std::string want = b.conf.get_or("spark.kubernetes.driver.podTemplateContainerName", "");
  size_t index = 0;
  for (size_t i = 0; i < containers.size(); ++i) {
    if (containers[i].value("name", "") == want) {
      index = i;
      break;
    }
  }
  container = containers[index];
  containers.erase(containers.begin() + static_cast<std::ptrdiff_t>(index));
  if (containers.empty()) pod["spec"].erase("containers");
}

std::string driver_image(Build& b) {
  for (const char* key :
       {"spark.kubernetes.driver.container.image", "spark.kubernetes.container.image"}) {
    auto v = b.conf.get(key);
    if (v && !v->empty()) return *v;
  }
  if (!b.opts.default_image.empty()) return b.opts.default_image;
  throw Invalid(
      "spec.image: required: no image for the driver (spec.image, spec.driver.image "
      "or sparkConf spark.kubernetes.container.image)");
}

// BasicDriverFeatureStep.
void basic(Build& b, Json& pod, Json& c) {
  const Conf& conf = b.conf;
  if (!c.contains("name")) c["name"] = kDriverContainer;
  c["image"] = driver_image(b);
  c["imagePullPolicy"] = conf.get_or("spark.kubernetes.container.image.pullPolicy", "IfNotPresent");
  int ui_port = int_of(conf, "spark.ui.port", 4040);
  int connect_port = int_of(conf, "spark.connect.grpc.binding.port", 15002);
  auto port = [](const char* name, int number) {
    return Json{{"name", name}, {"containerPort", number}, {"protocol", "TCP"}};
  };
  append(c, "ports", port("driver-rpc-port", int_of(conf, "spark.driver.port", 7078)));
  append(c, "ports",
         port("blockmanager", int_of(conf, "spark.driver.blockManager.port",
                                     int_of(conf, "spark.blockManager.port", 7079))));
  append(c, "ports", port("spark-ui", ui_port));
  append(c, "ports", port("spark-connect", connect_port));

  std::string user = b.submission.proxy_user.empty() ? b.opts.spark_user : b.submission.proxy_user;
  append(c, "env", env_var("SPARK_USER", user));
  append(c, "env", env_var("SPARK_APPLICATION_ID", b.out.app_id));
  for (const auto& [k, v] : conf.with_prefix("spark.kubernetes.driverEnv.")) {
    append(c, "env", env_var(k, v));
  }
  append(
      c, "env",
      Json{{"name", "SPARK_DRIVER_BIND_ADDRESS"},
           {"valueFrom", {{"fieldRef", {{"apiVersion", "v1"}, {"fieldPath", "status.podIP"}}}}}});

  // Memory: spark.driver.memory plus the overhead, as both request and limit.
  int64_t memory = mib_of(conf, "spark.driver.memory", "1g");
  double dflt = std::stod(b.properties.at("spark.kubernetes.memoryOverheadFactor"));
  double f = double_of(conf, "spark.driver.memoryOverheadFactor", dflt);
  int64_t min_overhead = mib_of(conf, "spark.driver.minMemoryOverhead", "384m");
  int64_t overhead =
      conf.contains("spark.driver.memoryOverhead")
          ? mib_of(conf, "spark.driver.memoryOverhead", "0")
          : std::max(static_cast<int64_t>(f * static_cast<double>(memory)), min_overhead);
  std::string mem = std::to_string(memory + overhead) + "Mi";
  std::string cores = std::to_string(int_of(conf, "spark.driver.cores", 1));
  Json& res = c["resources"];
  if (!res.is_object()) res = Json::object();
  res["requests"]["cpu"] = conf.get_or("spark.kubernetes.driver.request.cores", cores);
  if (auto limit = conf.get("spark.kubernetes.driver.limit.cores")) res["limits"]["cpu"] = *limit;
  res["requests"]["memory"] = mem;
  res["limits"]["memory"] = mem;
  // Custom resources: spark.driver.resource.<name>.amount with a vendor.
  for (const auto& [k, amount] : conf.with_prefix("spark.driver.resource.")) {
    if (!k.ends_with(".amount")) continue;
    std::string rname = k.substr(0, k.size() - 7);
    auto vendor = conf.get("spark.driver.resource." + rname + ".vendor");
    if (vendor && !vendor->empty()) res["limits"][*vendor + "/" + rname] = amount;
  }

  // Labels: the custom ones, then Spark's (which they may not replace).
  auto custom = conf.with_prefix("spark.kubernetes.driver.label.");
  std::map<std::string, std::string> preset = {
      {"spark-version", b.spec.spark_version.value_or("").empty() ? b.opts.default_spark_version
                                                                  : *b.spec.spark_version},
      {"spark-app-selector", b.out.app_id},
      {"spark-app-name", app_name_label(b.submission.name)},
      {"spark-role", "driver"}};
  Json& meta = pod["metadata"];
  meta["name"] = b.out.driver_pod_name;
  meta["namespace"] = b.ns;
  for (const auto& [k, v] : custom) {
    if (preset.contains(k)) {
      throw Invalid("spec.driver.labels: label " + k +
                    " is reserved for Spark's bookkeeping and may not be set");
    }
    meta["labels"][k] = v;
    b.driver_labels[k] = v;
  }
  for (const auto& [k, v] : preset) {
    meta["labels"][k] = v;
    b.driver_labels[k] = v;
  }
  for (auto [k, v] : conf.with_prefix("spark.kubernetes.driver.annotation.")) {
    for (size_t at; (at = v.find("{{APP_ID}}")) != std::string::npos;) {
      v.replace(at, 10, b.out.app_id);
    }
    for (size_t at; (at = v.find("{{EXECUTOR_ID}}")) != std::string::npos;) v.replace(at, 15, "");
    meta["annotations"][k] = v;
  }

  Json& spec = pod["spec"];
  spec["restartPolicy"] = "Never";
  for (const char* prefix :
       {"spark.kubernetes.node.selector.", "spark.kubernetes.driver.node.selector."}) {
    for (const auto& [k, v] : conf.with_prefix(prefix)) spec["nodeSelector"][k] = v;
  }
  if (auto secrets = conf.get("spark.kubernetes.container.image.pullSecrets")) {
    size_t start = 0;
    while (start <= secrets->size()) {
      size_t comma = secrets->find(',', start);
      if (comma == std::string::npos) comma = secrets->size();
      std::string s = secrets->substr(start, comma - start);
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t") + 1);
      if (!s.empty()) append(spec, "imagePullSecrets", Json{{"name", s}});
      start = comma + 1;
    }
  }
  auto scheduler = conf.get("spark.kubernetes.driver.schedulerName");
  if (!scheduler) scheduler = conf.get("spark.kubernetes.scheduler.name");
  if (scheduler && !scheduler->empty()) spec["schedulerName"] = *scheduler;
}

// DriverKubernetesCredentialsFeatureStep: the driver's service account (credentials files
// would need a Secret this builder does not make).
void credentials(Build& b, Json& pod) {
  for (const char* key :
       {"caCertFile", "clientKeyFile", "clientCertFile", "oauthToken", "oauthTokenFile"}) {
    if (b.conf.contains(std::string("spark.kubernetes.authenticate.driver.") + key)) {
      b.warn(std::string("spec.sparkConf: spark.kubernetes.authenticate.driver.") + key +
             " is not supported (it needs a credentials Secret); use a service account");
    }
  }
  auto sa = b.conf.get("spark.kubernetes.authenticate.driver.serviceAccountName");
  if (sa && !sa->empty()) {
    pod["spec"]["serviceAccount"] = *sa;
    pod["spec"]["serviceAccountName"] = *sa;
  }
}

// DriverCommandFeatureStep: the image entrypoint's arguments, and Python's interpreter.
void command(Build& b, Json& c) {
  const Submission& s = b.submission;
  std::string main_class = s.main_class;
  if (b.resource_type == "python") {
    main_class = "org.apache.spark.deploy.PythonRunner";
    auto python = b.conf.get("spark.pyspark.python");
    auto driver_python = b.conf.get("spark.pyspark.driver.python");
    if (!driver_python) driver_python = python;
    if (python) append(c, "env", env_var("PYSPARK_PYTHON", *python));
    if (driver_python) append(c, "env", env_var("PYSPARK_DRIVER_PYTHON", *driver_python));
  } else if (b.resource_type == "r") {
    main_class = "org.apache.spark.deploy.RRunner";
  } else if (main_class.empty()) {
    throw Invalid("spec.mainClass: required for a " + b.spec.type + " application");
  }
  Json args = Json::array({"driver"});
  if (!s.proxy_user.empty()) {
    args.push_back("--proxy-user");
    args.push_back(s.proxy_user);
  }
  for (const char* a : {"--properties-file", "/opt/spark/conf/spark.properties", "--class"}) {
    args.push_back(a);
  }
  args.push_back(main_class);
  if (!s.main_file.empty()) args.push_back(s.main_file);
  for (const auto& a : s.args) args.push_back(a);
  c["args"] = args;
}

void kerberos(Build& b) {
  for (const char* key : {"spark.kerberos.keytab", "spark.kubernetes.kerberos.krb5.path",
                          "spark.kubernetes.kerberos.krb5.configMapName",
                          "spark.kubernetes.kerberos.tokenSecret.name"}) {
    if (b.conf.contains(key)) {
      b.warn(std::string("spec.sparkConf: ") + key +
             " is not supported (Kerberos needs Secrets and ConfigMaps spark-submit creates)");
    }
  }
}

}  // namespace

Json spark_driver_pod(Build& b) {
  Json pod, c;
  start_from_template(b, pod, c);
  basic(b, pod, c);
  credentials(b, pod);
  driver_secrets(b, pod, c);
  driver_conf_volumes(b, pod, c);
  command(b, c);
  driver_hadoop_conf(b, pod, c);
  kerberos(b);
  driver_pod_template_volume(b, pod, c);
  driver_local_dirs(b, pod, c);
  // KubernetesClientApplication: spark.properties from the driver's ConfigMap.
  append(c, "env", env_var("SPARK_CONF_DIR", kConfDir));
  append(c, "volumeMounts", Json{{"name", kConfVolume}, {"mountPath", kConfDir}});
  append(pod["spec"], "containers", c);
  append(pod["spec"], "volumes",
         Json{{"name", kConfVolume},
              {"configMap",
               {{"name", b.config_map_name},
                {"items", Json::array({{{"key", "spark.properties"},
                                        {"path", "spark.properties"},
                                        {"mode", 420}}})}}}});
  return pod;
}

}  // namespace sp::kube::detail
