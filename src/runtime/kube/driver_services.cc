// The driver's Services and Ingresses: the headless Service executors reach the driver through
// (Spark's DriverServiceFeatureStep), the Spark UI Service and Ingress and the Services and
// Ingresses of spec.driverIngressOptions (the Kubeflow operator's web_ui.go and
// driveringress.go).
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "runtime/kube/driver_build.h"
#include "runtime/kube/driver_names.h"

namespace sp::kube::detail {
namespace {

constexpr int32_t kDefaultUiPort = 4040;
const std::map<std::string, std::string> kNone;

int32_t port_of(const std::string& value, int32_t fallback) {
  try {
    size_t used = 0;
    int v = std::stoi(value, &used);
    if (used == value.size()) return v;
  } catch (const std::exception&) {
  }
  return fallback;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string part = s.substr(start, comma - start);
    part.erase(0, part.find_first_not_of(" \t"));
    part.erase(part.find_last_not_of(" \t") + 1);
    if (!part.empty()) out.push_back(part);
    start = comma + 1;
  }
  return out;
}

Json owned_meta(const Build& b, const std::string& name) {
  Json meta = Json{{"name", name}, {"namespace", b.ns}};
  Json ref = app_owner_reference(b);
  if (!ref.is_null()) meta["ownerReferences"] = Json::array({ref});
  return meta;
}

// The operator's createDriverIngressService: one port to the driver pod, selected by the
// operator's app-name label and spark-role.
Json operator_service(const Build& b, const std::string& name, const std::string& port_name,
                      int32_t port, int32_t target_port, const std::string& type,
                      const std::map<std::string, std::string>& annotations,
                      const std::map<std::string, std::string>& labels) {
  Json meta = owned_meta(b, name);
  meta["labels"] = labels.empty() ? operator_resource_labels(b) : to_object(labels);
  if (!annotations.empty()) meta["annotations"] = to_object(annotations);
  return Json{{"apiVersion", "v1"},
              {"kind", "Service"},
              {"metadata", meta},
              {"spec",
               {{"ports",
                 Json::array({{{"name", port_name}, {"port", port}, {"targetPort", target_port}}})},
                {"selector", {{"sparkoperator.k8s.io/app-name", b.name}, {"spark-role", "driver"}}},
                {"type", type}}}};
}

struct Url {
  std::string text, host, path;
};

// `format` with each {{$<var>}} (spaces allowed inside the braces) replaced by its value, the
// template syntax the operator's ingress URL format takes. (By hand: std::regex trips GCC 12's
// -Wmaybe-uninitialized in the optimized sanitizer build.)
std::string fill_template(const std::string& format,
                          const std::vector<std::pair<std::string_view, std::string_view>>& vars) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = format.find("{{", at);
    if (open == std::string::npos) break;
    std::size_t p = open + 2;
    auto skip_spaces = [&] {
      while (p < format.size() && std::isspace(static_cast<unsigned char>(format[p]))) ++p;
    };
    skip_spaces();
    bool replaced = false;
    if (p < format.size() && format[p] == '$') {
      for (const auto& [name, value] : vars) {
        if (format.compare(p + 1, name.size(), name) != 0) continue;
        std::size_t q = p + 1 + name.size();
        while (q < format.size() && std::isspace(static_cast<unsigned char>(format[q]))) ++q;
        if (format.compare(q, 2, "}}") != 0) continue;
        out.append(format, at, open - at).append(value);
        at = q + 2;
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      out.append(format, at, open + 2 - at);
      at = open + 2;
    }
  }
  return out.append(format, at, std::string::npos);
}

// The operator's getDriverIngressURL: {{$appName}} and {{$appNamespace}} filled in, http:// when
// there is no scheme.
Url ingress_url(const Build& b, const std::string& format) {
  std::string s = fill_template(format, {{"appName", b.name}, {"appNamespace", b.ns}});
  Url u;
  u.text = s;
  std::string rest = s;
  auto scheme = s.find("://");
  if (scheme == std::string::npos) {
    u.text = "http://" + s;
  } else {
    rest = s.substr(scheme + 3);
  }
  auto slash = rest.find('/');
  u.host = rest.substr(0, slash);
  u.path = slash == std::string::npos ? "" : rest.substr(slash);
  auto query = u.path.find_first_of("?#");
  if (query != std::string::npos) u.path.resize(query);
  return u;
}

// The operator's createDriverIngressV1.
Json ingress(const Build& b, const std::string& name, const std::string& service,
             int32_t service_port, const Url& url,
             const std::map<std::string, std::string>& annotations, const Json& tls) {
  bool subpath = !url.path.empty() && url.path != "/";
  std::string path = subpath ? url.path + "(/|$)(.*)" : url.path;
  Json meta = owned_meta(b, name);
  meta["labels"] = operator_resource_labels(b);
  Json ann = to_object(annotations);
  if (subpath) ann["nginx.ingress.kubernetes.io/rewrite-target"] = "/$2";
  if (!ann.empty()) meta["annotations"] = ann;
  Json backend = {{"service", {{"name", service}, {"port", {{"number", service_port}}}}}};
  Json spec = {
      {"rules",
       Json::array({{{"host", url.host},
                     {"http",
                      {{"paths", Json::array({{{"backend", backend},
                                               {"path", path},
                                               {"pathType", "ImplementationSpecific"}}})}}}}})}};
  if (tls.is_array() && !tls.empty()) spec["tls"] = tls;
  if (!b.opts.ingress_class_name.empty()) spec["ingressClassName"] = b.opts.ingress_class_name;
  return Json{{"apiVersion", "networking.k8s.io/v1"},
              {"kind", "Ingress"},
              {"metadata", meta},
              {"spec", spec}};
}

}  // namespace

Json driver_service(Build& b) {
  const Conf& conf = b.conf;
  Json meta = Json{{"name", b.out.service_name}, {"namespace", b.ns}};
  std::map<std::string, std::string> labels = {{"spark-app-selector", b.out.app_id}};
  for (const auto& [k, v] : conf.with_prefix("spark.kubernetes.driver.service.label.")) {
    labels[k] = v;
  }
  meta["labels"] = to_object(labels);
  auto annotations = conf.with_prefix("spark.kubernetes.driver.service.annotation.");
  if (!annotations.empty()) meta["annotations"] = to_object(annotations);
  auto port = [](const char* name, int32_t number) {
    return Json{{"name", name}, {"port", number}, {"targetPort", number}};
  };
  Json ports = Json::array(
      {port("driver-rpc-port", port_of(b.properties.at("spark.driver.port"), 7078)),
       port("blockmanager", port_of(b.properties.at("spark.driver.blockManager.port"), 7079)),
       port("spark-ui", port_of(conf.get_or("spark.ui.port", "4040"), kDefaultUiPort)),
       port("spark-connect",
            port_of(conf.get_or("spark.connect.grpc.binding.port", "15002"), 15002))});
  Json families = Json::array();
  for (const auto& f : split(conf.get_or("spark.kubernetes.driver.service.ipFamilies", "IPv4"))) {
    families.push_back(f);
  }
  return Json{{"apiVersion", "v1"},
              {"kind", "Service"},
              {"metadata", meta},
              {"spec",
               {{"clusterIP", "None"},
                {"ipFamilyPolicy",
                 conf.get_or("spark.kubernetes.driver.service.ipFamilyPolicy", "SingleStack")},
                {"ipFamilies", families},
                {"selector", to_object(b.driver_labels)},
                {"ports", ports}}}};
}

void ui_service_and_ingress(Build& b) {
  if (!b.opts.enable_ui_service) return;
  const auto& ui = b.spec.spark_ui_options;
  int32_t target = kDefaultUiPort;
  auto it = b.spec.spark_conf.find("spark.ui.port");
  if (it != b.spec.spark_conf.end()) target = port_of(it->second, kDefaultUiPort);
  int32_t port = !ui ? target : ui->service_port.value_or(kDefaultUiPort);
  std::string port_name =
      ui && ui->service_port_name ? *ui->service_port_name : "spark-driver-ui-port";
  std::string type = ui && ui->service_type ? *ui->service_type : "ClusterIP";
  std::string name = kubeflow_name(b.name, "ui-svc");
  b.out.ui_service =
      operator_service(b, name, port_name, port, target, type, ui ? ui->service_annotations : kNone,
                       ui ? ui->service_labels : kNone);
  b.out.ui_service_name = name;
  b.out.ui_service_port = port;
  if (b.opts.ingress_url_format.empty()) return;
  Url url = ingress_url(b, b.opts.ingress_url_format);
  std::string ingress_name = kubeflow_name(b.name, "ui-ingress");
  b.out.ui_ingress = ingress(b, ingress_name, name, port, url, ui ? ui->ingress_annotations : kNone,
                             ui ? ui->ingress_tls : Json(nullptr));
  b.out.ui_ingress_name = ingress_name;
  b.out.ui_ingress_url = url.text;
}

void driver_ingresses(Build& b) {
  for (size_t i = 0; i < b.spec.driver_ingress_options.size(); ++i) {
    const auto& o = b.spec.driver_ingress_options[i];
    if (!o.service_port) {
      throw Invalid("spec.driverIngressOptions[" + std::to_string(i) + "].servicePort: required");
    }
    int32_t port = *o.service_port;
    std::string service = b.name + "-driver-" + std::to_string(port);
    std::string port_name = o.service_port_name.value_or("driver-ing-" + std::to_string(port));
    b.out.ingress_services.push_back(operator_service(b, service, port_name, port, port,
                                                      o.service_type.value_or("ClusterIP"),
                                                      o.service_annotations, o.service_labels));
    if (o.ingress_url_format.empty()) continue;
    // The operator takes these from sparkUIOptions (a slip); each option's own are used here.
    b.out.ingresses.push_back(ingress(b, b.name + "-ing-" + std::to_string(port), service, port,
                                      ingress_url(b, o.ingress_url_format), o.ingress_annotations,
                                      o.ingress_tls));
  }
}

}  // namespace sp::kube::detail
