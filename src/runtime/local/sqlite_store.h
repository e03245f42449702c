// The embedded Store: Kubernetes-style objects and Events kept in the SQLite state database.
// Every write is one transaction; subscribers hear of it after the commit.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "controller/store.h"
#include "runtime/local/database.h"

namespace sp::local {

// Implements controller::Store with the semantics of the Kubernetes API (see store.h):
// - create: uid (v4), resourceVersion (a global counter, as a string), generation 1,
//   creationTimestamp; namespace defaults to "default"; metadata.generateName is honoured;
//   status is dropped (the status subresource owns it). Conflict if the name is taken.
// - update: metadata and spec from the caller, status kept; uid, creationTimestamp,
//   deletionTimestamp and generation are the server's; generation + 1 when spec changed.
//   metadata.resourceVersion must equal the stored one (an empty one is refused too).
//   An update that changes nothing writes nothing and notifies no one. An update that
//   empties finalizers of an object with deletionTimestamp deletes it; no finalizer may be
//   added to such an object.
// - remove: sets deletionTimestamp while finalizers remain, else deletes.
// - Events: repeats of (object, type, reason, message) raise count; the newest 100 per
//   object are kept; events of objects that no longer exist expire an hour after their last
//   occurrence (the kube-apiserver's default event TTL).
// Thread-safe: one connection behind a mutex. Subscribers run after the commit, outside it,
// on the writing thread; changes committed by concurrent writers may be heard in either order.
class SqliteStore final : public controller::Store {
 public:
  static constexpr int kMaxEventsPerObject = 100;

  SqliteStore(Database& db, const Clock& clock);

  std::optional<Json> get(const std::string& resource, const std::string& ns,
                          const std::string& name) override;
  std::vector<Json> list(const std::string& resource, const std::string& ns,
                         const std::string& label_selector = "") override;
  Json create(const std::string& resource, const Json& obj) override;
  Json update(const std::string& resource, const Json& obj) override;
  Json update_status(const std::string& resource, const Json& obj) override;
  void remove(const std::string& resource, const std::string& ns, const std::string& name) override;

  void record_event(const controller::Event& event) override;
  // Kubernetes Event objects (apiVersion v1, kind Event) about objects named `name_or_empty`
  // (every object if empty) in namespace `ns` (every namespace if empty), newest last.
  std::vector<Json> list_events(const std::string& ns, const std::string& name_or_empty);

  void subscribe(std::function<void(const controller::Change&)> on_change) override;

 private:
  struct Stored;
  std::optional<Stored> load(const std::string& resource, const std::string& ns,
                             const std::string& name);
  // The stored object an update of (ns, name) at resourceVersion rv applies to: NotFound when
  // absent, Conflict when rv is empty or stale. Call with mu_ held, inside a transaction.
  Stored load_for_update(const std::string& resource, const std::string& ns,
                         const std::string& name, const std::string& rv);
  int64_t next_resource_version();
  void write(const std::string& resource, const Json& body, bool insert);
  void erase(const std::string& resource, const std::string& ns, const std::string& name);
  void notify(const controller::Change& change);

  Database& db_;
  const Clock& clock_;
  std::mutex mu_;                    // guards db_ and last_expiry_
  std::optional<Time> last_expiry_;  // when events of deleted objects were last expired
  std::mutex subscribers_mu_;
  std::vector<std::function<void(const controller::Change&)>> subscribers_;
};

}  // namespace sp::local
