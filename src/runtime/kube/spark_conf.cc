// The SparkConf spark-submit 4.1 makes of the operator's options and --conf pairs for a
// Kubernetes cluster-mode submission (SparkSubmit.prepareSubmitEnvironment), and the driver's
// spark.properties: that conf plus the properties the driver feature steps add (app id, pod
// name, driver host and ports, memory overhead factor, executor pod template file).
#include <cctype>
#include <cstdlib>

#include "common/error.h"
#include "runtime/kube/driver_build.h"

namespace sp::kube::detail {
namespace {

constexpr const char* kPodTemplateFile = "/opt/spark/pod-template/pod-spec-template.yml";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

// The URI scheme ("local", "s3a"), or "" for a plain path.
std::string scheme_of(const std::string& uri) {
  auto colon = uri.find(':');
  if (colon == std::string::npos || colon == 0) return {};
  for (size_t i = 0; i < colon; ++i) {
    char c = uri[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return {};
    }
  }
  return uri.substr(0, colon);
}

// spark-submit uploads files named by plain paths or file:// URIs to
// spark.kubernetes.file.upload.path; there is no such client here.
void warn_if_local(Build& b, const std::string& where, const std::string& uri) {
  std::string scheme = scheme_of(uri);
  if (!scheme.empty() && scheme != "file") return;
  b.warn(where + ": " + uri +
         " is a file on the submitting machine, which spark-submit would upload to "
         "spark.kubernetes.file.upload.path; it is passed to the driver unchanged (use local:// "
         "for a file in the image, or a remote URI)");
}

void warn_if_local(Build& b, const std::string& where, const std::vector<std::string>& uris) {
  for (size_t i = 0; i < uris.size(); ++i) {
    warn_if_local(b, where + "[" + std::to_string(i) + "]", uris[i]);
  }
}

// --jars and the like: the option when given, else the --conf value, as spark-submit reads them.
void list_option(Conf& conf, const std::string& key, const std::vector<std::string>& items) {
  if (!items.empty()) conf.set(key, join(items));
}

double factor(const Conf& conf, const std::string& key, double fallback) {
  auto v = conf.get(key);
  if (!v) return fallback;
  char* end = nullptr;
  double d = std::strtod(v->c_str(), &end);
  if (v->empty() || end != v->c_str() + v->size()) {
    throw Invalid("spec.sparkConf: " + key + ": expected a number, got \"" + *v + "\"");
  }
  return d;
}

}  // namespace

void resolve_spark_conf(Build& b) {
  const Submission& s = b.submission;
  b.conf = s.conf;
  Conf& conf = b.conf;

  for (const char* key : {"spark.driver.host", "spark.driver.bindAddress"}) {
    if (conf.contains(key)) {
      throw Invalid(std::string("spec.sparkConf: ") + key +
                    " is not supported in Kubernetes cluster mode: the driver's address is "
                    "its Service's and its pod's");
    }
  }

  // SparkSubmit: the options become conf.
  conf.set("spark.master", b.opts.master);
  conf.set("spark.submit.deployMode", "cluster");
  conf.set("spark.app.name", s.name);
  b.resource_type = resource_type_of(s.main_file);
  if (b.resource_type == "python" && b.spec.type != "Python") {
    b.warn("spec.mainApplicationFile: " + s.main_file + " is run as a Python application (as " +
           "spark-submit decides by its suffix), not as " + b.spec.type);
  } else if (b.resource_type == "java" && b.spec.type == "Python") {
    b.warn("spec.mainApplicationFile: " + s.main_file +
           " does not end in .py: spark-submit runs it as a JVM application");
  }
  conf.set("spark.kubernetes.resource.type", b.resource_type);
  list_option(conf, "spark.files", s.deps.files);
  list_option(conf, "spark.archives", s.deps.archives);
  list_option(conf, "spark.jars.packages", s.deps.packages);
  list_option(conf, "spark.jars.excludes", s.deps.exclude_packages);
  list_option(conf, "spark.jars.repositories", s.deps.repositories);
  conf.set("spark.submit.pyFiles", s.deps.py_files.empty() ? conf.get_or("spark.submit.pyFiles", "")
                                                           : join(s.deps.py_files));
  if (b.resource_type == "java") {
    // JVM applications get their jar added to spark.jars.
    std::string jars = s.deps.jars.empty() ? conf.get_or("spark.jars", "") : join(s.deps.jars);
    if (!s.main_file.empty()) jars = jars.empty() ? s.main_file : jars + "," + s.main_file;
    conf.set("spark.jars", jars);
  } else {
    list_option(conf, "spark.jars", s.deps.jars);
  }
  if (b.opts.submit_time_ms > 0) {
    conf.set("spark.app.submitTime", std::to_string(b.opts.submit_time_ms));
  }
  warn_if_local(b, "spec.deps.jars", s.deps.jars);
  warn_if_local(b, "spec.deps.files", s.deps.files);
  warn_if_local(b, "spec.deps.pyFiles", s.deps.py_files);
  warn_if_local(b, "spec.deps.archives", s.deps.archives);
  if (!s.main_file.empty()) warn_if_local(b, "spec.mainApplicationFile", s.main_file);

  // The driver feature steps' additional properties.
  b.properties = conf.all();
  auto& p = b.properties;
  p["spark.kubernetes.driver.pod.name"] = b.out.driver_pod_name;
  p["spark.app.id"] = b.out.app_id;
  p["spark.kubernetes.submitInDriver"] = "true";
  // BasicDriverFeatureStep's default overhead factor: 0.4 for Python and R unless set.
  bool non_jvm = b.resource_type != "java";
  double dflt = (non_jvm && !conf.contains("spark.kubernetes.memoryOverheadFactor"))
                    ? 0.4
                    : factor(conf, "spark.kubernetes.memoryOverheadFactor", 0.1);
  p["spark.kubernetes.memoryOverheadFactor"] = java_double(dflt);
  p["spark.driver.host"] = b.out.service_name + "." + b.ns + ".svc";
  p["spark.driver.port"] = conf.get_or("spark.driver.port", "7078");
  // DriverServiceFeatureStep reads only spark.driver.blockManager.port (the pod's port also
  // falls back to spark.blockManager.port: Spark's two steps disagree, and so do these).
  p["spark.driver.blockManager.port"] = conf.get_or("spark.driver.blockManager.port", "7079");
  if (!b.executor_template.is_null())
    p["spark.kubernetes.executor.podTemplateFile"] = kPodTemplateFile;
}

}  // namespace sp::kube::detail
