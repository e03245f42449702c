// The credentials a request carries right now: the kubeconfig's static token or client
// certificate, the token file's current content (re-read when the file changes, as client-go
// does for projected service account tokens), or an exec plugin's output, kept until it
// expires and fetched again when the API server answers 401. Thread-safe: one plugin run at a
// time, the others wait for its result.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "runtime/kube/exec_credential.h"
#include "runtime/kube/kubeconfig.h"

namespace sp::kube {

struct Credentials {
  std::string bearer_token;  // empty: none
  std::string client_cert_pem;
  std::string client_key_pem;
};

class CredentialSource {
 public:
  // `config` and `clock` must outlive this object.
  CredentialSource(const KubeConfig& config, const Clock& clock);

  // Throws sp::Error when the token file cannot be read or the exec plugin fails.
  Credentials get();

  // After a 401: forgets the plugin's output and the token file's state. True when a retry may
  // carry other credentials (there is a plugin or a token file).
  bool invalidate();

  // How many times the exec plugin ran (for tests and metrics).
  int exec_runs() const;

 private:
  const KubeConfig& config_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::optional<ExecCredential> exec_cached_;
  int exec_runs_ = 0;
  // The token file as last read, and the stat fields that tell a change.
  std::string file_token_;
  long long file_mtime_ns_ = -1;
  long long file_size_ = -1;
  unsigned long long file_inode_ = 0;
};

}  // namespace sp::kube
