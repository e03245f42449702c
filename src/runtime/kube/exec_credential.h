// Exec credential plugins (client.authentication.k8s.io v1 and v1beta1): runs the command a
// kubeconfig's users[].user.exec names, with its args and env and KUBERNETES_EXEC_INFO, and
// reads the ExecCredential it prints: a bearer token and/or a client certificate and key, and
// when they expire. What `aws eks get-token`, `gke-gcloud-auth-plugin` or `kubelogin` do.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "runtime/kube/kubeconfig.h"

namespace sp::kube {

struct ExecCredential {
  std::string token;                   // secret
  std::string client_certificate_pem;  // with client_key_pem, or both empty
  std::string client_key_pem;          // secret
  std::optional<Time> expiration;      // nullopt: valid until the server refuses it (401)
};

// Parses the plugin's standard output. `api_version` is the one the kubeconfig asked for; the
// output must match it. Throws sp::Error naming `command` and what is wrong (never the token).
ExecCredential parse_exec_credential(std::string_view output, const std::string& api_version,
                                     const std::string& command);

// The cluster a plugin is told about when provideClusterInfo is set.
struct ExecClusterInfo {
  std::string server;
  std::string ca_pem;
  bool insecure_skip_tls_verify = false;
};

// Runs the plugin (stdin from /dev/null, stdout read, stderr kept for the error message) and
// parses its output. Throws sp::Error when it cannot start ("... not found: <installHint>"),
// fails, prints no valid credential, or runs longer than `timeout` (then it is killed).
ExecCredential run_exec_plugin(const ExecConfig& exec, const ExecClusterInfo& cluster,
                               std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace sp::kube
