#include "cli/operator_ui.h"

#include <algorithm>

#include "common/error.h"
#include "common/http_client.h"
#include "common/json.h"
#include "common/log.h"
#include "controller/store.h"
#include "runtime/kube/api_errors.h"
#include "runtime/kube/driver_observation.h"
#include "runtime/kube/kube_client.h"
#include "runtime/kube/resource.h"
#include "runtime/local/api_server.h"
#include "ui/ui_http.h"

namespace sp::cli {
namespace {

// Driver logs as the API server has them: the current driver pod's container log. Kubernetes
// merges stdout and stderr into one stream, served as stdout (stderr is empty), and keeps no log
// of a deleted pod, so only the latest attempt has one. The pod log API has no byte offset: a
// read fetches the first offset + max_bytes bytes and drops the first offset.
class PodLogSource final : public local::LogSource {
 public:
  PodLogSource(kube::KubeClient& client, controller::Store& store)
      : client_(client), store_(store) {}

  std::vector<local::LogAttempt> attempts(const std::string& ns, const std::string& name) override {
    auto app = store_.get(controller::kSparkApplications, ns, name);
    if (!app) return {};
    const std::string pod = string_at(*app, "status.driverInfo.podName");
    if (pod.empty()) return {};
    const Json* n = json_at(*app, "status.executionAttempts");
    local::LogAttempt a;
    a.number = std::max(1, n != nullptr && n->is_number_integer() ? n->get<int>() : 1);
    a.stdout_path = "/api/v1/namespaces/" + url_encode(ns) + "/pods/" + url_encode(pod) + "/log";
    return {a};
  }

  std::string read(const local::LogAttempt& attempt, local::LogStream stream, uint64_t offset,
                   size_t max_bytes) override {
    if (stream != local::LogStream::kStdout || attempt.stdout_path.empty()) return "";
    const std::string path = attempt.stdout_path + "?container=" + kube::kDriverContainerName +
                             "&limitBytes=" + std::to_string(offset + max_bytes);
    std::string body;
    try {
      body = client_.request("GET", path);
    } catch (const NotFound&) {
      return "";  // not yet created, or deleted with its log
    } catch (const kube::Gone&) {
      return "";
    } catch (const Error& e) {
      throw Unavailable(std::string("the API server could not give the driver's log: ") + e.what());
    }
    return offset >= body.size() ? "" : body.substr(offset, max_bytes);
  }

 private:
  kube::KubeClient& client_;
  controller::Store& store_;
};

// The Kubernetes Events about one application (or every event of the namespace), oldest first.
std::vector<Json> list_events(kube::KubeClient& client, const std::string& ns,
                              const std::string& name) {
  kube::ListOptions lo;
  if (!name.empty()) lo.field_selector = "involvedObject.name=" + name;
  lo.limit = 500;
  Json list;
  try {
    list = client.list(kube::ResourceRef(kube::resources::kEvents, ns), lo);
  } catch (const Error& e) {
    throw Unavailable(std::string("the API server could not list events: ") + e.what());
  }
  std::vector<Json> out;
  if (const Json* items = json_at(list, "items"); items != nullptr && items->is_array()) {
    out.assign(items->begin(), items->end());
  }
  auto when = [](const Json& e) {
    std::string t = string_at(e, "lastTimestamp");
    return t.empty() ? string_at(e, "eventTime") : t;
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Json& a, const Json& b) { return when(a) < when(b); });
  return out;
}

}  // namespace

struct OperatorUi::Impl {
  Impl(const kube::KubeConfig& config, controller::Store& store,
       std::function<std::string()> metrics, const OperatorUiOptions& o)
      : client(config, client_options()),
        logs(client, store),
        api(
            store,
            [this](const std::string& ns, const std::string& name) {
              return list_events(client, ns, name);
            },
            logs, std::move(metrics), read_only()) {
    port = api.bind(o.host, o.port);
    ui::UiOptions uo;
    uo.control_plane = true;
    uo.history = false;
    uo.history_url = o.history_url;
    ui::mount_ui(api.http(), uo);
  }
  static kube::ClientOptions client_options() {
    kube::ClientOptions o;
    o.max_attempts = 1;
    o.timeout = std::chrono::seconds(10);
    o.user_agent = "sparkplane-ui";
    return o;
  }
  static local::ApiServer::Options read_only() {
    local::ApiServer::Options o;
    o.read_only = true;
    o.threads = 8;
    return o;
  }

  kube::KubeClient client;
  PodLogSource logs;
  local::ApiServer api;
  int port = 0;
};

OperatorUi::OperatorUi(const kube::KubeConfig& config, controller::Store& store,
                       std::function<std::string()> metrics, const OperatorUiOptions& options)
    : impl_(std::make_unique<Impl>(config, store, std::move(metrics), options)) {}

OperatorUi::~OperatorUi() { stop(); }

int OperatorUi::port() const { return impl_->port; }
void OperatorUi::start() { impl_->api.start(); }
void OperatorUi::stop() { impl_->api.stop(); }

}  // namespace sp::cli
