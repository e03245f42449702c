// A Kubernetes API client over libcurl: get, list, create, update, update_status, patch and
// remove on any resource (ResourceRef), returning the API server's JSON; Status errors become
// the project's exceptions (see api_errors.h); 429 and 5xx answers are retried with backoff,
// honoring Retry-After; a 401 fetches fresh credentials (exec plugin, token file) once.
// Thread-safe: requests from several threads run in parallel on a pool of kept-alive
// connections. Watches are in watch.h, on top of stream().
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/http_client.h"  // sp::Unreachable
#include "common/json.h"
#include "runtime/kube/api_errors.h"
#include "runtime/kube/credentials.h"
#include "runtime/kube/curl_connection.h"
#include "runtime/kube/kubeconfig.h"
#include "runtime/kube/object_projection.h"
#include "runtime/kube/resource.h"

namespace sp::kube {

enum class PatchType {
  Merge,           // application/merge-patch+json (RFC 7386)
  StrategicMerge,  // application/strategic-merge-patch+json (built-in types only)
  Json,            // application/json-patch+json (RFC 6902: [{"op":...}])
};

struct DeleteOptions {
  std::string propagation_policy;  // "Background", "Foreground", "Orphan"; "" server default
  std::optional<long> grace_period_seconds;
  std::string precondition_uid;
  std::string precondition_resource_version;
};

struct ClientOptions {
  std::chrono::milliseconds timeout{30000};  // per request (watches: see watch.h)
  int max_attempts = 5;                      // for 429 / 5xx answers
  std::chrono::milliseconds retry_initial{250};
  std::chrono::milliseconds retry_max{8000};
  std::string user_agent = "sparkplane";
};

class KubeClient {
 public:
  // `clock` (decides when exec credentials expire) must outlive the client.
  explicit KubeClient(KubeConfig config, ClientOptions options = {},
                      const Clock& clock = system_clock());
  ~KubeClient();
  KubeClient(const KubeClient&) = delete;
  KubeClient& operator=(const KubeClient&) = delete;

  const KubeConfig& config() const { return config_; }
  // The namespace of the kubeconfig context (or the pod's): where to work when none is given.
  const std::string& default_namespace() const { return config_.ns; }

  // GET /version ({"major", "minor", "gitVersion", ...}): a cheap check that the server answers.
  Json server_version();

  // The object (ref.name set). Throws sp::NotFound.
  Json get(const ResourceRef& ref);
  // The object, or nullopt when it does not exist.
  std::optional<Json> find(const ResourceRef& ref);
  // One page of the collection ({"items": [...], "metadata": {"resourceVersion", "continue"}});
  // items get the apiVersion and kind that built-in lists leave out.
  Json list(const ResourceRef& collection, const ListOptions& options = {},
            std::stop_token stop = {});
  // Every page (options.limit per page, 500 when 0), as one list whose metadata.resourceVersion
  // is the consistent snapshot's. Throws Gone when a continue token expires.
  Json list_all(const ResourceRef& collection, ListOptions options = {}, std::stop_token stop = {});
  // POST to the collection of `ref` (its name, if any, is ignored: the object's counts).
  // Throws AlreadyExists (a sp::Conflict) when the name is taken.
  Json create(const ResourceRef& ref, const Json& object);
  // PUT: optimistic concurrency through object.metadata.resourceVersion (sp::Conflict when stale).
  Json update(const ResourceRef& ref, const Json& object);
  // PUT to the status subresource (CRDs with `subresources: {status: {}}`, pods...).
  Json update_status(const ResourceRef& ref, const Json& object);
  // The same three, parsing only the `answer` fields of the API server's answer (a created pod's
  // uid needs its metadata, not a tree of its spec): object_projection.h.
  Json create(const ResourceRef& ref, const Json& object, const Projection& answer);
  Json update(const ResourceRef& ref, const Json& object, const Projection& answer);
  Json update_status(const ResourceRef& ref, const Json& object, const Projection& answer);
  Json patch(const ResourceRef& ref, const Json& patch, PatchType type = PatchType::Merge);
  // DELETE; returns the API server's answer (the object being deleted, or a Status).
  Json remove(const ResourceRef& ref, const DeleteOptions& options = {});

  // One request with the retries, credentials and error mapping above; the 2xx body.
  // `path` is absolute ("/api/v1/...?..."). Throws sp::Error("... cancelled") when `stop` fires.
  std::string request(std::string_view method, const std::string& path, std::string_view body = {},
                      std::string_view content_type = "application/json",
                      std::stop_token stop = {});

  // A streaming GET (watches): `on_data` gets the 2xx body as it arrives and may return false
  // to end it. A non-2xx answer is thrown as for request() (no retries). Returns false when
  // `stop` ended it, true when the server closed it or on_data stopped. `timeout` 0: none.
  bool stream(const std::string& path, const std::function<bool(std::string_view)>& on_data,
              std::chrono::milliseconds timeout, std::stop_token stop = {});

  // How many exec plugin runs fetched credentials (tests).
  int exec_runs() const { return credentials_.exec_runs(); }
  // How many connections to the API server were opened (tests: keep-alive works).
  long connections_opened() const { return connections_opened_.load(); }

  static const Clock& system_clock();

 private:
  class PooledConnection;  // taken from the pool, given back on destruction
  std::unique_ptr<CurlConnection> take_connection();
  void give_back(std::unique_ptr<CurlConnection> c);
  HttpResult send(const HttpCall& call, std::stop_token stop);
  std::string perform(HttpCall call, std::stop_token stop);  // request()'s retries
  // A write whose answer is parsed through `answer`.
  Json write(std::string_view method, const std::string& path, const Json& object,
             const Projection& answer);
  [[noreturn]] void fail(const HttpResult& r, std::string_view method,
                         const std::string& path) const;

  KubeConfig config_;
  ClientOptions options_;
  const Clock& clock_;
  CredentialSource credentials_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<CurlConnection>> idle_;
  std::atomic<long> connections_opened_{0};
};

}  // namespace sp::kube
