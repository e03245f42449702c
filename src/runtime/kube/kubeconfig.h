// Where to reach the Kubernetes API server and as whom: a kubeconfig file (the path of
// --kubeconfig, else the first file of $KUBECONFIG, else ~/.kube/config) or the in-cluster
// config of a pod (KUBERNETES_SERVICE_HOST/PORT and the service account's token, ca.crt and
// namespace), as client-go and controller-runtime find them. Files a kubeconfig names are read
// at load time, except a tokenFile, which is re-read when it changes (see credentials.h).
// Errors are one line: 'kubeconfig ~/.kube/config: context "x" not found'.
// KubeConfig holds secrets (token, client key): never log it; describe() is safe to print.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"

namespace sp::kube {

// An exec credential plugin (users[].user.exec): a command that prints an ExecCredential,
// as `aws eks get-token` or `kubelogin` do.
struct ExecConfig {
  std::string api_version;  // client.authentication.k8s.io/v1 or /v1beta1
  std::string command;      // resolved against base_dir when relative with a '/'
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // added to this process's environment
  std::string install_hint;
  bool provide_cluster_info = false;
  std::string interactive_mode;  // Never, IfAvailable, Always (this client has no terminal)
  std::string base_dir;          // the kubeconfig's directory
};

struct KubeConfig {
  std::string source;     // 'kubeconfig ~/.kube/config' or 'in-cluster config': for messages
  std::string context;    // the context used ("" in cluster)
  std::string user_name;  // the kubeconfig user (or "system:serviceaccount" in cluster)
  std::string server;     // "https://host:port", no trailing slash
  std::string ca_pem;     // the cluster's CA bundle; empty: the system's
  bool insecure_skip_tls_verify = false;
  std::string proxy_url;        // clusters[].cluster.proxy-url
  std::string client_cert_pem;  // secret-bearing from here on
  std::string client_key_pem;
  std::string token;
  std::string token_file;  // read for every request when changed (projected tokens rotate)
  std::optional<ExecConfig> exec;
  std::string ns = "default";  // the context's namespace, or the service account's

  // 'context "kind-x" (user "admin", server https://...) from kubeconfig ~/.kube/config': no
  // secrets.
  std::string describe() const;
  // 'user "admin" of context "kind-x" (kubeconfig ~/.kube/config)': who is asking, for errors.
  std::string identity() const;
};

struct KubeconfigOptions {
  std::string path;     // --kubeconfig; empty: $KUBECONFIG, in-cluster, ~/.kube/config
  std::string context;  // --context; empty: current-context
};

// The service account directory mounted into pods.
inline constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

// The configuration client-go's loading rules (and controller-runtime's) would pick:
// options.path, else the first existing file of $KUBECONFIG, else the in-cluster config when
// KUBERNETES_SERVICE_HOST is set, else ~/.kube/config. Throws sp::Invalid / sp::Error.
KubeConfig load_kube_config(const KubeconfigOptions& options = {});

// One kubeconfig file; relative paths in it are resolved against its directory.
KubeConfig load_kubeconfig_file(const std::string& path, const std::string& context = "");

// A kubeconfig's text. `source` names it in messages; `base_dir` resolves relative paths.
KubeConfig parse_kubeconfig(const std::string& text, const std::string& source,
                            const std::string& base_dir, const std::string& context = "");

// The in-cluster config: server from KUBERNETES_SERVICE_HOST/PORT, the token (file), CA and
// namespace from `sa_dir`.
KubeConfig load_in_cluster_config(const std::string& sa_dir = kServiceAccountDir);

// "~/.kube/config" for a path under $HOME: for messages.
std::string display_path(const std::string& path);

}  // namespace sp::kube
