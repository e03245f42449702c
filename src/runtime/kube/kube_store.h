// controller::Store over the Kubernetes API: SparkApplications and ScheduledSparkApplications
// as custom resources (sparkoperator.k8s.io/v1beta2). Reads come from informers' caches (one
// per resource and namespace watched), whose changes reach subscribe()'s callbacks; writes go
// to the API server, whose semantics are the Store contract's (store.h): create() answers
// AlreadyExists (a sp::Conflict) for a taken name, update() and update_status() use
// metadata.resourceVersion for optimistic concurrency (a stale one: sp::Conflict; an empty one
// is refused the same way), remove() leaves the object with a deletionTimestamp while it has
// finalizers. Events go through an EventRecorder.
//
// Read your writes: an informer's cache lags behind a write by the watch's delay, and a
// reconcile that runs again at once must not act on the state before its own write (it could
// delete the driver it has just created). So each object a write returns is kept for a few
// seconds and get()/list() answer it until the cache holds that version or a newer one
// (resourceVersions compared as the etcd revisions they are).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "controller/store.h"
#include "runtime/kube/event_recorder.h"
#include "runtime/kube/informer.h"
#include "runtime/kube/kube_client.h"

namespace sp::kube {

struct KubeStoreOptions {
  // Namespaces watched; empty: every namespace (one informer per resource).
  std::vector<std::string> namespaces;
  // How long a written object is preferred to an informer's older copy.
  std::chrono::milliseconds read_your_writes{5000};
};

class KubeStore final : public controller::Store {
 public:
  // `client` and `recorder` must outlive the store.
  KubeStore(KubeClient& client, EventRecorder& recorder, KubeStoreOptions options = {});
  ~KubeStore() override;
  KubeStore(const KubeStore&) = delete;
  KubeStore& operator=(const KubeStore&) = delete;

  // Starts (stops) the informers.
  void start();
  void stop();
  bool has_synced() const;

  std::optional<Json> get(const std::string& resource, const std::string& ns,
                          const std::string& name) override;
  std::vector<Json> list(const std::string& resource, const std::string& ns,
                         const std::string& label_selector = "") override;
  Json create(const std::string& resource, const Json& obj) override;
  Json update(const std::string& resource, const Json& obj) override;
  Json update_status(const std::string& resource, const Json& obj) override;
  void remove(const std::string& resource, const std::string& ns, const std::string& name) override;

  void record_event(const controller::Event& event) override;
  void subscribe(std::function<void(const controller::Change&)> on_change) override;

 private:
  // An object as this process last wrote it (or a tombstone: object null).
  struct Written {
    Json object;
    std::string resource_version;
    std::chrono::steady_clock::time_point at;
  };

  struct Watched {
    std::string resource;
    std::string ns;  // "" : every namespace
    std::unique_ptr<Informer> informer;
  };

  const Watched* watched(const std::string& resource, const std::string& ns) const;
  // What was written here of the object under `key` lately (a copy). Taken before the cache
  // is read: the informer updates its cache before it forgets a write it has caught up with,
  // so a cache read after this copy is never older than a write the copy misses.
  std::optional<Written> written_copy(const std::string& key);
  // The newer of the cache's object and the one written here (nullopt: absent); forgets the
  // written one once the cache has it or it expired.
  std::optional<Json> freshest(const std::string& key, const Written* written, ObjectPtr cached);
  void remember(const std::string& resource, const Json& written);
  void forget_older(const std::string& resource, const Json& seen, bool deleted);
  void on_change(controller::Change::Type type, const std::string& resource, const Json& object);

  KubeClient& client_;
  EventRecorder& recorder_;
  KubeStoreOptions options_;
  std::vector<Watched> watched_;

  std::mutex written_mu_;
  std::map<std::string, Written> written_;  // "<resource>/<namespace>/<name>"

  std::mutex subscribers_mu_;
  std::vector<std::function<void(const controller::Change&)>> subscribers_;
};

// resourceVersion `a` is newer than `b` (both etcd revisions; a non-number is never newer).
bool resource_version_newer(const std::string& a, const std::string& b);

}  // namespace sp::kube
