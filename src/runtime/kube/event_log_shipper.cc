// The operator's event-log ship sidecar. Spark's driver writes event logs to s3a:// only with
// Hadoop's S3A jars in its image; a stock apache/spark image has none. So for an application
// whose spark.eventLog.dir is s3:// or s3a:// (or unset, with the operator's --event-log-dir),
// the driver writes them to an emptyDir instead and `sparkplane ship` uploads them from there,
// in a Kubernetes native sidecar (an init container with restartPolicy Always, Kubernetes 1.29
// and later). Kubelet stops such a sidecar only after the driver container has exited, and ship
// makes one last pass on SIGTERM, so the finished log goes up too. Executors write no event
// logs and get nothing.
#include <cctype>
#include <set>

#include "common/error.h"
#include "runtime/kube/driver_build.h"

namespace sp::kube::detail {
namespace {

constexpr const char* kShipContainer = "spark-event-log-shipper";
constexpr const char* kShipVolume = "sparkplane-event-logs";
constexpr const char* kShipDir = "/var/spark-events";
constexpr const char* kShipStateFile = "/var/spark-events/.sparkplane-ship.json";
constexpr const char* kShipInterval = "5s";
// The uid of the spark user of the apache/spark images. Spark creates event logs 0660 and
// rolling-log directories 0770, so the sidecar must run as the driver's user to read them.
constexpr int kSparkUid = 185;

bool is_true(std::string v) {
  for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return v == "true";
}

// "s3://bucket/prefix" for an s3:// or s3a:// location (ship reads both, but s3:// is the form
// the rest of sparkplane prints); "" for any other scheme or a plain path.
std::string s3_location(const std::string& where, const std::string& dir) {
  std::string rest;
  if (dir.starts_with("s3://")) {
    rest = dir.substr(5);
  } else if (dir.starts_with("s3a://")) {
    rest = dir.substr(6);
  } else {
    return {};
  }
  if (rest.empty() || rest.front() == '/') {
    throw Invalid(where + ": " + dir + ": a bucket is needed (s3a://bucket/prefix)");
  }
  return "s3://" + rest;
}

bool named(const Json& pod, const char* list, const std::string& name) {
  const Json* items = json_at(pod, std::string("spec.") + list);
  if (items == nullptr || !items->is_array()) return false;
  for (const auto& e : *items) {
    if (e.is_object() && string_at(e, "name") == name) return true;
  }
  return false;
}

// The sidecar's env: the operator's S3 settings, unless the application names the same
// setting itself, then the driver container's AWS_* variables (credentials as env values or
// Secret references, a region, an endpoint: whatever the application gave Spark), in order.
Json shipper_env(const EventLogShipOptions& o, const Json& driver) {
  Json copied = Json::array();
  std::set<std::string> app_names;
  if (driver.contains("env") && driver["env"].is_array()) {
    for (const auto& e : driver["env"]) {
      const std::string name = string_at(e, "name");
      if (!name.starts_with("AWS_")) continue;
      copied.push_back(e);
      app_names.insert(name);
    }
  }
  Json env = Json::array();
  auto set_default = [&](std::initializer_list<const char*> app_may_set, const char* name,
                         const std::string& value) {
    if (value.empty()) return;
    for (const char* n : app_may_set) {
      if (app_names.contains(n)) return;
    }
    env.push_back(Json{{"name", name}, {"value", value}});
  };
  set_default({"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}, "AWS_ENDPOINT_URL_S3", o.s3_endpoint);
  set_default({"AWS_REGION", "AWS_DEFAULT_REGION"}, "AWS_REGION", o.s3_region);
  set_default({"AWS_CA_BUNDLE"}, "AWS_CA_BUNDLE", o.s3_ca_file);
  for (auto& e : copied) env.push_back(std::move(e));
  return env;
}

// The restricted profile of Pod Security Standards, as the driver's user (see kSparkUid): the
// driver container's runAsUser and runAsGroup when it sets them, else the pod's, else 185.
Json shipper_security_context(Build& b, const Json& pod, const Json& driver) {
  Json sc = Json{{"runAsNonRoot", true},
                 {"allowPrivilegeEscalation", false},
                 {"readOnlyRootFilesystem", true},
                 {"capabilities", {{"drop", Json::array({"ALL"})}}},
                 {"seccompProfile", {{"type", "RuntimeDefault"}}}};
  const Json* own = json_at(driver, "securityContext");
  const Json* pods = json_at(pod, "spec.securityContext");
  const Json* uid = nullptr;
  if (own && own->is_object()) {
    if (own->contains("runAsUser")) uid = &(*own)["runAsUser"];
    if (own->contains("runAsGroup")) sc["runAsGroup"] = (*own)["runAsGroup"];
  }
  if (uid != nullptr) {
    sc["runAsUser"] = *uid;
  } else if (pods && pods->is_object() && pods->contains("runAsUser")) {
    uid = &(*pods)["runAsUser"];  // inherited from the pod
  } else {
    sc["runAsUser"] = kSparkUid;
  }
  if (uid != nullptr && uid->is_number_integer() && uid->get<int64_t>() == 0) {
    b.warn(
        "spec.driver: the driver runs as root, so the event-log ship sidecar (which never "
        "does) cannot read its event logs; run the driver as a non-root user");
    sc["runAsUser"] = kSparkUid;
  }
  return sc;
}

}  // namespace

void plan_event_log_shipper(Build& b) {
  const EventLogShipOptions& o = b.opts.ship;
  Conf& conf = b.submission.conf;
  if (o.image.empty() || !is_true(conf.get_or("spark.eventLog.enabled", "false"))) return;
  if (auto dir = conf.get("spark.eventLog.dir")) {
    b.ship_to = s3_location("spec.sparkConf: spark.eventLog.dir", *dir);
  } else if (!o.default_dir.empty()) {
    b.ship_to = s3_location("the operator's --event-log-dir", o.default_dir);
  }
  if (b.ship_to.empty()) return;  // a local or other directory: the application's business
  conf.set("spark.eventLog.dir", std::string("file://") + kShipDir);
}

void add_event_log_shipper(Build& b, Json& pod) {
  if (b.ship_to.empty()) return;
  const size_t at = spark_container_index(pod, kDriverContainer);
  const Json& driver = pod.at("spec").at("containers").at(at);
  // Names and paths the application took itself would make a pod the API server refuses, or
  // one whose driver writes where the sidecar does not look: refused with what to change.
  if (named(pod, "volumes", kShipVolume)) {
    throw Invalid(std::string("spec.volumes: ") + kShipVolume +
                  ": the name is reserved for the event-log ship sidecar's volume "
                  "(spark.eventLog.dir is on S3 and the operator runs with --ship-image); "
                  "rename the volume");
  }
  if (named(pod, "initContainers", kShipContainer) || named(pod, "containers", kShipContainer)) {
    throw Invalid(std::string("spec.driver: container ") + kShipContainer +
                  ": the name is reserved for the event-log ship sidecar; rename the container");
  }
  if (driver.contains("volumeMounts") && driver["volumeMounts"].is_array()) {
    for (const auto& m : driver["volumeMounts"]) {
      if (string_at(m, "mountPath") == kShipDir) {
        throw Invalid(std::string("spec.driver.volumeMounts: ") + string_at(m, "name") + ": " +
                      kShipDir +
                      " is where the event-log ship sidecar reads the driver's event logs; "
                      "mount the volume elsewhere");
      }
    }
  }

  const Json mount = Json{{"name", kShipVolume}, {"mountPath", kShipDir}};
  const EventLogShipOptions& o = b.opts.ship;
  Json args = Json::array({"ship", "--from", kShipDir, "--to", b.ship_to, "--interval",
                           kShipInterval, "--state", kShipStateFile});
  if (o.s3_path_style) args.push_back("--s3-path-style");
  Json c = Json{{"name", kShipContainer},
                {"image", o.image},
                {"imagePullPolicy", "IfNotPresent"},
                {"args", args},
                // A native sidecar: started before the driver container, stopped after it.
                {"restartPolicy", "Always"}};
  Json env = shipper_env(o, driver);
  if (!env.empty()) c["env"] = env;
  if (driver.contains("envFrom") && driver["envFrom"].is_array() && !driver["envFrom"].empty()) {
    c["envFrom"] = driver["envFrom"];
  }
  c["volumeMounts"] = Json::array({mount});
  c["resources"] =
      Json{{"requests", {{"cpu", "10m"}, {"memory", "32Mi"}}}, {"limits", {{"memory", "128Mi"}}}};
  c["securityContext"] = shipper_security_context(b, pod, driver);

  // The pod changes last, each reference taken anew: Json objects are ordered maps (vectors),
  // so a key inserted into one moves the others. The sidecar goes last of the init containers:
  // the application's own ones (a mesh proxy, say) start before it and stop after it, so the
  // final upload still has them.
  append(pod["spec"], "volumes", Json{{"name", kShipVolume}, {"emptyDir", Json::object()}});
  append(pod["spec"]["containers"][at], "volumeMounts", mount);
  append(pod["spec"], "initContainers", std::move(c));
}

}  // namespace sp::kube::detail
