// An informer, with client-go's semantics: a reflector lists a collection (in pages), then
// watches it from the list's resourceVersion, keeping a thread-safe cache (namespace/name ->
// object) and calling on_add / on_update / on_delete in the order of the changes, on the
// informer's own thread. A watch that ends is resumed from the last resourceVersion seen
// (bookmarks move it on); a 410 Gone (the version is too old, e.g. after an API server
// restart) lists again, and objects that vanished in between are delivered to on_delete;
// errors (API server down) are retried with backoff (0.8 s doubling to 30 s).
//
// The cache is lean, for an operator holding tens of thousands of objects: each object is
// trimmed first (metadata.managedFields always, then options.transform, as client-go's
// SetTransform) and kept packed (object_codec.h: MessagePack, zstd against a dictionary), a
// small fraction of a parsed tree's size; get() and list() decode what they return. An optional
// label index answers list_by_label() without a scan.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/json.h"
#include "runtime/kube/kube_client.h"
#include "runtime/kube/label_selector.h"
#include "runtime/kube/object_codec.h"
#include "runtime/kube/object_projection.h"
#include "runtime/kube/resource.h"
#include "runtime/kube/watch.h"

namespace sp::kube {

// Each lookup decodes its own copy of the packed object, owned by the caller alone (who may
// move from it).
using ObjectPtr = std::shared_ptr<Json>;

struct InformerOptions {
  ResourceRef collection;      // gvr and namespace ("" : every namespace)
  std::string label_selector;  // applied by the server, to the list and the watch
  std::string field_selector;
  std::int64_t page_size = 500;  // list pagination
  // Each watch asks the server to end it after a random 5 to 10 minutes (as client-go), then
  // the informer watches again from where it was.
  std::chrono::seconds watch_timeout{300};
  std::chrono::milliseconds backoff_initial{800};
  std::chrono::milliseconds backoff_max{30000};
  // Applied to every object before it is cached or handed to the handlers: drop what no
  // reader looks at. (metadata.managedFields is dropped before it.)
  std::function<void(Json&)> transform;
  // The top-level fields of the objects a watch delivers that are parsed at all (the rest is
  // never built; object_projection.h); every field when empty. The transform must not need
  // the others. Listed objects are parsed whole, then transformed.
  Projection fields;
  // A label whose value, with the namespace, indexes the cache for list_by_label(); only
  // objects index_if() accepts are indexed (every one when it is unset).
  std::string index_label;
  std::function<bool(const Json&)> index_if;
};

// Called on the informer's thread; a handler must not stop the informer. Exceptions thrown by
// a handler are logged and do not stop the informer.
struct InformerHandlers {
  std::function<void(const Json& object)> on_add;
  std::function<void(const Json& old_object, const Json& new_object)> on_update;
  // For a delete seen in a relist, `object` is the last state the cache had.
  std::function<void(const Json& object)> on_delete;
};

class Informer {
 public:
  // `client` must outlive the informer.
  Informer(KubeClient& client, InformerOptions options, InformerHandlers handlers = {});
  ~Informer();  // stops
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  // Spawns the thread. After a stop(), start() lists again and compares with the cache it kept:
  // what changed meanwhile reaches the handlers (deletes included).
  void start();
  void stop();  // ends the watch at once and joins; idempotent

  // True once the first list is in the cache and its on_add calls were made.
  bool has_synced() const;
  bool wait_for_sync(std::chrono::milliseconds timeout) const;

  // Cache lookups (ns "" for cluster-scoped objects).
  ObjectPtr get(const std::string& ns, const std::string& name) const;
  // Objects of namespace `ns` ("" : all) whose labels match, in namespace/name order.
  std::vector<ObjectPtr> list(const std::string& ns = "",
                              const LabelSelector& selector = LabelSelector()) const;
  // Objects of namespace `ns` whose label options.index_label has `value`, in name order.
  std::vector<ObjectPtr> list_by_label(const std::string& ns, const std::string& value) const;
  std::size_t size() const;

  // The resourceVersion the next watch starts from.
  std::string resource_version() const;
  // How many times the collection was listed (1 after the start; more after Gone).
  int list_count() const { return lists_.load(); }
  // How many watch requests were made.
  int watch_count() const { return watches_.load(); }

  // "namespace/name", or "name" for cluster-scoped objects.
  static std::string key_of(const Json& object);

 private:
  void run(std::stop_token stop);
  void list_and_replace(std::stop_token stop);
  bool watch_once(std::stop_token stop);  // true when the watch delivered something
  void apply(WatchEvent& event);
  void notify(const std::function<void()>& call, const char* what);

  // A cached object: packed by codec_, and what lookups need without decoding it.
  struct Entry {
    std::string packed;
    std::string resource_version;
    std::string index_value;  // options_.index_label's value ("" : not indexed)
  };
  using EntryPtr = std::shared_ptr<const Entry>;
  EntryPtr make_entry(const Json& object);  // of a trimmed object
  void trim(Json& object) const;
  ObjectPtr decode(const Entry& entry) const;
  // Replaces (entry non-null) or erases the cached object under `key`, index included;
  // returns what was there. Needs mu_.
  EntryPtr put_locked(const std::string& key, EntryPtr entry);

  KubeClient& client_;
  InformerOptions options_;
  InformerHandlers handlers_;

  ObjectCodec codec_;
  mutable std::mutex mu_;
  mutable std::condition_variable synced_cv_;
  std::map<std::string, EntryPtr, std::less<>> cache_;  // key_of(object) -> entry
  // "ns/value" -> keys, viewing cache_'s (its nodes do not move).
  std::map<std::string, std::set<std::string_view>> index_;
  std::string resource_version_;
  bool synced_ = false;

  std::atomic<int> lists_{0};
  std::atomic<int> watches_{0};
  std::jthread thread_;
};

}  // namespace sp::kube
