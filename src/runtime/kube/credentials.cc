#include "runtime/kube/credentials.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace sp::kube {

CredentialSource::CredentialSource(const KubeConfig& config, const Clock& clock)
    : config_(config), clock_(clock) {}

Credentials CredentialSource::get() {
  Credentials c;
  c.client_cert_pem = config_.client_cert_pem;
  c.client_key_pem = config_.client_key_pem;
  c.bearer_token = config_.token;
  std::lock_guard lock(mu_);
  if (c.bearer_token.empty() && !config_.token_file.empty()) {
    struct stat st {};
    if (::stat(config_.token_file.c_str(), &st) != 0) {
      throw Error(config_.source + ": cannot read token file " + display_path(config_.token_file) +
                  ": " + std::strerror(errno));
    }
    const long long mtime_ns =
        static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    if (mtime_ns != file_mtime_ns_ || st.st_size != file_size_ || st.st_ino != file_inode_) {
      std::ifstream in(config_.token_file, std::ios::binary);
      if (!in) {
        throw Error(config_.source + ": cannot read token file " +
                    display_path(config_.token_file) + ": " + std::strerror(errno));
      }
      std::ostringstream ss;
      ss << in.rdbuf();
      std::string token = ss.str();
      while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
        token.pop_back();
      }
      file_token_ = std::move(token);
      file_mtime_ns_ = mtime_ns;
      file_size_ = st.st_size;
      file_inode_ = st.st_ino;
    }
    c.bearer_token = file_token_;
  }
  if (config_.exec && c.bearer_token.empty()) {
    const bool expired =
        exec_cached_ && exec_cached_->expiration && clock_.now() >= *exec_cached_->expiration;
    if (!exec_cached_ || expired) {
      ExecClusterInfo cluster{config_.server, config_.ca_pem, config_.insecure_skip_tls_verify};
      exec_cached_.reset();
      ++exec_runs_;
      exec_cached_ = run_exec_plugin(*config_.exec, cluster);
    }
    if (!exec_cached_->token.empty()) c.bearer_token = exec_cached_->token;
    if (!exec_cached_->client_certificate_pem.empty()) {
      c.client_cert_pem = exec_cached_->client_certificate_pem;
      c.client_key_pem = exec_cached_->client_key_pem;
    }
  }
  return c;
}

bool CredentialSource::invalidate() {
  std::lock_guard lock(mu_);
  exec_cached_.reset();
  file_mtime_ns_ = -1;
  return config_.token.empty() && (config_.exec.has_value() || !config_.token_file.empty());
}

int CredentialSource::exec_runs() const {
  std::lock_guard lock(mu_);
  return exec_runs_;
}

}  // namespace sp::kube
