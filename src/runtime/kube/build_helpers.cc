// Small helpers the driver resource builder's steps share (driver_build.h): the SparkConf map,
// owner references and labels of the operator's objects, pod container lookup, number format.
#include <charconv>

#include "api/types.h"
#include "controller/labels.h"
#include "runtime/kube/driver_build.h"

namespace sp::kube::detail {

std::optional<std::string> Conf::get(const std::string& key) const {
  auto it = map_.find(key);
  if (it == map_.end()) return std::nullopt;
  return it->second;
}

std::string Conf::get_or(const std::string& key, const std::string& fallback) const {
  auto it = map_.find(key);
  return it == map_.end() ? fallback : it->second;
}

std::map<std::string, std::string> Conf::with_prefix(const std::string& prefix) const {
  std::map<std::string, std::string> out;
  for (auto it = map_.lower_bound(prefix); it != map_.end() && it->first.starts_with(prefix);
       ++it) {
    out[it->first.substr(prefix.size())] = it->second;
  }
  return out;
}

Json app_owner_reference(const Build& b) {
  if (b.app.metadata.uid.empty()) return nullptr;
  return Json{{"apiVersion", api::kApiVersion},
              {"kind", api::kSparkApplicationKind},
              {"name", b.name},
              {"uid", b.app.metadata.uid},
              {"controller", true},
              {"blockOwnerDeletion", true}};
}

Json operator_resource_labels(const Build& b) {
  Json labels = Json::object();
  labels[controller::kLabelAppName] = b.name;
  if (!b.submission_id.empty()) labels[controller::kLabelSubmissionId] = b.submission_id;
  return labels;
}

Json to_object(const std::map<std::string, std::string>& m) {
  Json out = Json::object();
  for (const auto& [k, v] : m) out[k] = v;
  return out;
}

size_t spark_container_index(const Json& pod, const std::string& name) {
  const Json* containers = json_at(pod, "spec.containers");
  if (containers && containers->is_array()) {
    for (size_t i = 0; i < containers->size(); ++i) {
      if ((*containers)[i].value("name", "") == name) return i;
    }
  }
  return 0;
}

void append(Json& obj, const char* key, Json item) {
  Json& arr = obj[key];
  if (!arr.is_array()) arr = Json::array();
  arr.push_back(std::move(item));
}

std::string resource_type_of(const std::string& main_file) {
  if (main_file.ends_with(".py")) return "python";
  if (main_file.ends_with(".R") || main_file.ends_with(".r")) return "r";
  return "java";
}

std::string java_double(double v) {
  char buf[64];
  double a = v < 0 ? -v : v;
  if (a == 0 || (a >= 1e-3 && a < 1e7)) {
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    std::string s(buf, r.ptr);
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  // Java: "1.0E-4", "1.2345E7".
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  auto e = s.find('e');
  std::string mantissa = s.substr(0, e), exponent = s.substr(e + 1);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  if (!exponent.empty() && exponent[0] == '+') exponent.erase(0, 1);
  size_t neg = (!exponent.empty() && exponent[0] == '-') ? 1 : 0;
  while (exponent.size() > neg + 1 && exponent[neg] == '0') exponent.erase(neg, 1);
  return mantissa + "E" + exponent;
}

}  // namespace sp::kube::detail
