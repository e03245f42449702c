// Spark's and the Kubeflow operator's naming rules for a submission's objects (driver_names.h).
#include "runtime/kube/driver_names.h"

#include <openssl/evp.h>

#include <cctype>
#include <stdexcept>

namespace sp::kube {
namespace {

std::string hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

std::string digest_hex(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) {
    throw std::runtime_error("digest failed");
  }
  return hex(out, len);
}

// Lower case, [^a-z0-9-] -> '-', runs of '-' squeezed (the part Spark's two rules share).
std::string sanitize(const std::string& s) {
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(ch)));
    char r = (std::isdigit(c) || (c >= 'a' && c <= 'z') || c == '-') ? static_cast<char>(c) : '-';
    if (r == '-' && !out.empty() && out.back() == '-') continue;
    out += r;
  }
  return out;
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  return s.substr(b, e - b);
}

std::string seed(const api::SparkApplication& app, const std::string& submission_id,
                 std::string_view purpose) {
  std::string s = app.metadata.namespace_;
  s += '/';
  s += app.metadata.name;
  s += '/';
  s += submission_id;
  s += '/';
  s += purpose;
  return s;
}

}  // namespace

std::string hex_digest(std::string_view seed_text, size_t digits) {
  return digest_hex(EVP_sha256(), seed_text).substr(0, digits);
}

std::string spark_app_id(const api::SparkApplication& app, const std::string& submission_id) {
  return "spark-" + hex_digest(seed(app, submission_id, "app-id"), 32);
}

std::string unique_id(const api::SparkApplication& app, const std::string& submission_id,
                      std::string_view purpose) {
  return hex_digest(seed(app, submission_id, purpose), 16);
}

std::string resource_name_prefix(const std::string& app_name, const std::string& unique) {
  std::string p = sanitize(trim(app_name + "-" + unique));
  if (!p.empty() && p.front() == '-') p.erase(0, 1);
  if (!p.empty() && std::isdigit(static_cast<unsigned char>(p.front()))) p.front() = 'x';
  return p;
}

std::string app_name_label(const std::string& app_name) {
  std::string l = sanitize(trim(app_name));
  if (l.size() > kMaxDnsLabel) l.resize(kMaxDnsLabel);
  if (!l.empty() && l.front() == '-') l.erase(0, 1);
  if (!l.empty() && l.back() == '-') l.pop_back();
  return l;
}

std::string driver_service_name(const std::string& prefix, const std::string& fallback_unique) {
  std::string preferred = prefix + "-driver-svc";
  if (preferred.size() <= kMaxDnsLabel) return preferred;
  return "spark-" + fallback_unique + "-driver-svc";
}

std::string driver_pod_name(const api::SparkApplication& app) {
  const auto& spec = app.spec;
  if (spec.driver.pod_name && !spec.driver.pod_name->empty()) return *spec.driver.pod_name;
  auto it = spec.spark_conf.find("spark.kubernetes.driver.pod.name");
  if (it != spec.spark_conf.end() && !it->second.empty()) return it->second;
  return app.metadata.name + "-driver";
}

std::string kubeflow_name(const std::string& name, const std::string& suffix) {
  std::string preferred = name + "-" + suffix;
  if (preferred.size() <= kMaxDnsLabel) return preferred;
  size_t keep = kMaxDnsLabel - suffix.size() - 10;  // 8 hash digits and two dashes
  std::string hash = digest_hex(EVP_md5(), preferred).substr(0, 8);
  return name.substr(0, std::min(keep, name.size())) + "-" + hash + "-" + suffix;
}

}  // namespace sp::kube
