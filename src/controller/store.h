// Where resources live, seen by the controller: Kubernetes-style objects as JSON documents.
// Implemented by the embedded SQLite store (runtime/local) and the Kubernetes API (runtime/kube).
//
// Semantics follow the Kubernetes API so both implementations behave alike:
// - create() assigns uid, resourceVersion, generation=1 and creationTimestamp;
//   throws sp::Conflict if the name is taken.
// - update() replaces metadata and spec, keeps the stored status; bumps generation when the
//   spec changed. update_status() replaces status only. Both require the caller's
//   metadata.resourceVersion to match the stored one (else sp::Conflict), and return the
//   object as stored (with its new resourceVersion).
// - remove() sets deletionTimestamp while metadata.finalizers is non-empty, else deletes.
// - get/list never throw for absence: nullopt / empty.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"

namespace sp::controller {

// Resource names as in Kubernetes URLs.
inline constexpr const char* kSparkApplications = "sparkapplications";
inline constexpr const char* kScheduledSparkApplications = "scheduledsparkapplications";

struct ObjectRef {
  std::string resource;  // kSparkApplications, ...
  std::string namespace_;
  std::string name;
  std::string uid;
};

// A Kubernetes Event about one object (type "Normal" or "Warning").
struct Event {
  ObjectRef object;
  std::string type;
  std::string reason;
  std::string message;
};

struct Change {
  enum class Type { kAdded, kModified, kDeleted };
  Type type;
  std::string resource;
  std::string namespace_;
  std::string name;
  // The object as last stored (for kDeleted, its final state); valid during the call only.
  const Json* object = nullptr;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual std::optional<Json> get(const std::string& resource, const std::string& ns,
                                  const std::string& name) = 0;
  // ns "" lists every namespace. label_selector: "k=v,k2=v2" equality terms, "" for all.
  virtual std::vector<Json> list(const std::string& resource, const std::string& ns,
                                 const std::string& label_selector = "") = 0;
  virtual Json create(const std::string& resource, const Json& obj) = 0;
  virtual Json update(const std::string& resource, const Json& obj) = 0;
  virtual Json update_status(const std::string& resource, const Json& obj) = 0;
  virtual void remove(const std::string& resource, const std::string& ns,
                      const std::string& name) = 0;

  virtual void record_event(const Event& event) = 0;

  // Called after every committed change, from the writing thread. Keep it short (enqueue).
  virtual void subscribe(std::function<void(const Change&)> on_change) = 0;
};

}  // namespace sp::controller
