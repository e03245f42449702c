// The operator's read-only web UI (`sparkplane operator --ui-listen`): the control plane's pages
// over the SparkApplications and ScheduledSparkApplications of the informers' cache, the
// Kubernetes Events about them, and their driver pods' logs read through the API server. Every
// write is refused (405): changes go through the Kubernetes API and its access control. The
// history pages live on the history server; --ui-history-url links each application there.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace sp::controller {
class Store;
}
namespace sp::kube {
struct KubeConfig;
}

namespace sp::cli {

struct OperatorUiOptions {
  std::string host = "0.0.0.0";
  int port = 0;
  std::string history_url;  // the history server's UI ("" for no link)
};

class OperatorUi {
 public:
  // Binds at once (a busy port throws sp::Error); `store` must outlive the UI. Reads logs and
  // events with a client of its own that does not retry: a page waits for no backoff.
  OperatorUi(const kube::KubeConfig& config, controller::Store& store,
             std::function<std::string()> metrics, const OperatorUiOptions& options);
  ~OperatorUi();  // stops
  OperatorUi(const OperatorUi&) = delete;
  OperatorUi& operator=(const OperatorUi&) = delete;

  int port() const;
  void start();  // serves on a background thread
  void stop();   // idempotent

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sp::cli
