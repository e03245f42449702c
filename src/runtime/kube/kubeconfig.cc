#include "runtime/kube/kubeconfig.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/yaml.h"
#include "runtime/kube/base64.h"

namespace sp::kube {
namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

// The whole file, or nullopt with errno's text in `why`.
std::optional<std::string> read_file(const std::string& path, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string resolve(const std::string& path, const std::string& base_dir) {
  if (path.empty() || fs::path(path).is_absolute() || base_dir.empty()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

// A scalar as text (YAML may have typed "123" or "true"); "" when absent or not a scalar.
std::string scalar(const Json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null() || it->is_structured()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

bool boolean(const Json& obj, const char* key) {
  if (!obj.is_object()) return false;
  auto it = obj.find(key);
  if (it == obj.end()) return false;
  if (it->is_boolean()) return it->get<bool>();
  return it->is_string() && it->get<std::string>() == "true";
}

class Problems {
 public:
  explicit Problems(std::string source) : source_(std::move(source)) {}
  [[noreturn]] void fail(const std::string& what) const { throw Invalid(source_ + ": " + what); }
  const std::string& source() const { return source_; }

 private:
  std::string source_;
};

// The `inner` object of the entry of `list` named `name` ({name, <inner>: {...}}), or nullptr.
const Json* named_entry(const Json& root, const char* list, const std::string& name,
                        const char* inner) {
  auto it = root.find(list);
  if (it == root.end() || !it->is_array()) return nullptr;
  for (const auto& entry : *it) {
    if (entry.is_object() && scalar(entry, "name") == name) {
      auto in = entry.find(inner);
      static const Json kEmpty = Json::object();
      return in == entry.end() || !in->is_object() ? &kEmpty : &*in;
    }
  }
  return nullptr;
}

// A "<field>-data" (base64) or "<field>" (a file path) pair of fields.
std::string data_or_file(const Json& obj, const std::string& field, const std::string& owner,
                         const std::string& base_dir, const Problems& p) {
  const std::string data = scalar(obj, (field + "-data").c_str());
  if (!data.empty()) {
    auto decoded = base64_decode(data);
    if (!decoded) p.fail(owner + ": " + field + "-data is not valid base64");
    return *decoded;
  }
  const std::string file = scalar(obj, field.c_str());
  if (file.empty()) return "";
  const std::string path = resolve(file, base_dir);
  std::string why;
  auto content = read_file(path, why);
  if (!content) p.fail(owner + ": cannot read " + field + " " + display_path(path) + ": " + why);
  return *content;
}

ExecConfig parse_exec(const Json& exec, const std::string& owner, const std::string& base_dir,
                      const Problems& p) {
  ExecConfig e;
  e.api_version = scalar(exec, "apiVersion");
  e.command = scalar(exec, "command");
  e.install_hint = scalar(exec, "installHint");
  e.provide_cluster_info = boolean(exec, "provideClusterInfo");
  e.interactive_mode = scalar(exec, "interactiveMode");
  e.base_dir = base_dir;
  if (e.command.empty()) p.fail(owner + ": exec has no command");
  if (e.api_version != "client.authentication.k8s.io/v1" &&
      e.api_version != "client.authentication.k8s.io/v1beta1") {
    p.fail(owner + ": exec apiVersion \"" + e.api_version +
           "\" is not supported (client.authentication.k8s.io/v1 or v1beta1)");
  }
  if (auto args = exec.find("args"); args != exec.end() && args->is_array()) {
    for (const auto& a : *args) e.args.push_back(a.is_string() ? a.get<std::string>() : a.dump());
  }
  if (auto vars = exec.find("env"); vars != exec.end() && vars->is_array()) {
    for (const auto& v : *vars) {
      const std::string name = scalar(v, "name");
      if (name.empty()) p.fail(owner + ": exec env entry without a name");
      e.env.emplace_back(name, scalar(v, "value"));
    }
  }
  return e;
}

}  // namespace

std::string display_path(const std::string& path) {
  const std::string home = env("HOME");
  if (!home.empty() && home != "/" && path.size() > home.size() &&
      path.compare(0, home.size(), home) == 0 && path[home.size()] == '/') {
    return "~" + path.substr(home.size());
  }
  return path;
}

std::string KubeConfig::describe() const {
  if (context.empty()) return source + " (server " + server + ", namespace " + ns + ")";
  return "context \"" + context + "\" (user \"" + user_name + "\", server " + server + ") from " +
         source;
}

std::string KubeConfig::identity() const {
  if (context.empty()) return "the service account of the " + source;
  return "user \"" + user_name + "\" of context \"" + context + "\" (" + source + ")";
}

KubeConfig parse_kubeconfig(const std::string& text, const std::string& source,
                            const std::string& base_dir, const std::string& context) {
  const Problems p("kubeconfig " + source);
  auto docs = parse_yaml_documents(text, source);
  const Json root = docs.empty() ? Json::object() : docs.front();
  if (!root.is_object()) p.fail("not a kubeconfig (expected a mapping)");

  KubeConfig c;
  c.source = "kubeconfig " + source;
  c.context = context.empty() ? scalar(root, "current-context") : context;
  if (c.context.empty()) p.fail("no current-context is set (pass --context)");
  const Json* ctx = named_entry(root, "contexts", c.context, "context");
  if (ctx == nullptr) p.fail("context \"" + c.context + "\" not found");

  const std::string cluster_name = scalar(*ctx, "cluster");
  c.user_name = scalar(*ctx, "user");
  if (std::string ns = scalar(*ctx, "namespace"); !ns.empty()) c.ns = ns;
  if (cluster_name.empty()) p.fail("context \"" + c.context + "\" names no cluster");
  const Json* cluster = named_entry(root, "clusters", cluster_name, "cluster");
  if (cluster == nullptr) {
    p.fail("cluster \"" + cluster_name + "\" of context \"" + c.context + "\" not found");
  }
  const std::string cluster_owner = "cluster \"" + cluster_name + "\"";
  c.server = scalar(*cluster, "server");
  if (c.server.empty()) p.fail(cluster_owner + " has no server");
  while (!c.server.empty() && c.server.back() == '/') c.server.pop_back();
  c.ca_pem = data_or_file(*cluster, "certificate-authority", cluster_owner, base_dir, p);
  c.insecure_skip_tls_verify = boolean(*cluster, "insecure-skip-tls-verify");
  c.proxy_url = scalar(*cluster, "proxy-url");

  if (c.user_name.empty()) return c;  // anonymous
  const Json* user = named_entry(root, "users", c.user_name, "user");
  if (user == nullptr) {
    p.fail("user \"" + c.user_name + "\" of context \"" + c.context + "\" not found");
  }
  const std::string owner = "user \"" + c.user_name + "\"";
  c.client_cert_pem = data_or_file(*user, "client-certificate", owner, base_dir, p);
  c.client_key_pem = data_or_file(*user, "client-key", owner, base_dir, p);
  if (c.client_cert_pem.empty() != c.client_key_pem.empty()) {
    p.fail(owner + ": a client certificate needs a client key and the other way round");
  }
  c.token = scalar(*user, "token");
  if (c.token.empty()) c.token_file = resolve(scalar(*user, "tokenFile"), base_dir);
  if (!c.token_file.empty()) {
    std::string why;
    if (!read_file(c.token_file, why)) {
      p.fail(owner + ": cannot read tokenFile " + display_path(c.token_file) + ": " + why);
    }
  }
  if (auto exec = user->find("exec"); exec != user->end() && exec->is_object()) {
    c.exec = parse_exec(*exec, owner, base_dir, p);
  }
  if (auto ap = user->find("auth-provider"); ap != user->end() && ap->is_object()) {
    p.fail(owner + ": auth-provider \"" + scalar(*ap, "name") +
           "\" is not supported; use an exec credential plugin (users[].user.exec)");
  }
  if (!scalar(*user, "username").empty() || !scalar(*user, "password").empty()) {
    p.fail(owner + ": basic authentication (username/password) is not supported");
  }
  return c;
}

KubeConfig load_kubeconfig_file(const std::string& path, const std::string& context) {
  std::string why;
  auto text = read_file(path, why);
  if (!text) throw Error("kubeconfig " + display_path(path) + ": cannot read: " + why);
  const std::string dir = fs::absolute(fs::path(path)).parent_path().string();
  return parse_kubeconfig(*text, display_path(path), dir, context);
}

KubeConfig load_in_cluster_config(const std::string& sa_dir) {
  const std::string host = env("KUBERNETES_SERVICE_HOST");
  const std::string port = env("KUBERNETES_SERVICE_PORT");
  if (host.empty() || port.empty()) {
    throw Error(
        "in-cluster config: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set "
        "(not running in a pod? pass --kubeconfig)");
  }
  KubeConfig c;
  c.source = "in-cluster config";
  c.user_name = "service account";
  c.server =
      "https://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
  c.token_file = (fs::path(sa_dir) / "token").string();
  std::string why;
  if (!read_file(c.token_file, why)) {
    throw Error("in-cluster config: cannot read " + c.token_file + ": " + why);
  }
  const std::string ca_path = (fs::path(sa_dir) / "ca.crt").string();
  auto ca = read_file(ca_path, why);
  if (!ca) throw Error("in-cluster config: cannot read " + ca_path + ": " + why);
  c.ca_pem = *ca;
  if (auto ns = read_file((fs::path(sa_dir) / "namespace").string(), why)) {
    while (!ns->empty() && std::isspace(static_cast<unsigned char>(ns->back()))) ns->pop_back();
    if (!ns->empty()) c.ns = *ns;
  }
  return c;
}

KubeConfig load_kube_config(const KubeconfigOptions& options) {
  if (!options.path.empty()) return load_kubeconfig_file(options.path, options.context);
  if (const std::string list = env("KUBECONFIG"); !list.empty()) {
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ':')) {
      if (!item.empty() && fs::exists(item)) return load_kubeconfig_file(item, options.context);
    }
    throw Error("KUBECONFIG=" + list + ": no such file");
  }
  if (!env("KUBERNETES_SERVICE_HOST").empty() && options.context.empty()) {
    return load_in_cluster_config();
  }
  const std::string home = env("HOME");
  const std::string default_path = home + "/.kube/config";
  if (!home.empty() && fs::exists(default_path)) {
    return load_kubeconfig_file(default_path, options.context);
  }
  throw Error(
      "no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, or run in a pod "
      "(~/.kube/config does not exist)");
}

}  // namespace sp::kube
