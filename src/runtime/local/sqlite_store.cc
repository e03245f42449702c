#include "runtime/local/sqlite_store.h"

#include <tuple>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "common/error.h"
#include "common/time_format.h"
#include "common/uuid.h"
#include "runtime/local/label_selector.h"

namespace sp::local {

using controller::Change;

struct SqliteStore::Stored {
  std::string uid;
  int64_t resource_version = 0;
  int64_t generation = 0;
  std::string creation_time;
  std::string deletion_time;  // empty when not being deleted
  Json body;
};

namespace {

constexpr auto kOrphanEventTtl = std::chrono::hours(1);

const char* const kModified =
    "the object has been modified; please apply your changes to the latest version and try "
    "again";

// metadata.<key> as a string: "" when absent or null; other JSON types as their text.
std::string meta_string(const Json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) return {};
  auto it = m->find(key);
  if (it == m->end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

bool has_finalizers(const Json& body) {
  const Json* f = json_at(body, "metadata.finalizers");
  return f != nullptr && f->is_array() && !f->empty();
}

// Structural equality that ignores the order of object keys (Json keeps insertion order).
bool same_json(const Json& a, const Json& b) {
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !same_json(*it, *other)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!same_json(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

Json member_or_null(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? Json() : *it;
}

std::string quoted(const std::string& resource, const std::string& name) {
  return resource + " \"" + name + "\"";
}

// Lowercase consonants and digits, as Kubernetes uses for generateName suffixes.
std::string random_suffix() {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  const std::string u = uuid_v4();
  std::string out;
  for (size_t i = 0; out.size() < 5 && i < u.size(); ++i) {
    if (u[i] == '-') continue;
    const int hex = u[i] <= '9' ? u[i] - '0' : u[i] - 'a' + 10;
    out.push_back(kAlphabet[(hex * 7 + static_cast<int>(i)) % (sizeof(kAlphabet) - 1)]);
  }
  return out;
}

std::string kind_of(const std::string& resource) {
  if (resource == controller::kSparkApplications) return "SparkApplication";
  if (resource == controller::kScheduledSparkApplications) return "ScheduledSparkApplication";
  return resource;
}

int64_t unix_seconds(Time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Json parse_body(const std::string& text, const std::string& what) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    throw Error("state database: " + what + " has an unreadable body: " + e.what());
  }
}

// The namespace, name and resourceVersion an update names; throws Invalid when absent.
std::tuple<std::string, std::string, std::string> update_target(const std::string& resource,
                                                                const Json& obj) {
  if (!obj.is_object()) throw Invalid(resource + ": the object must be a JSON object");
  std::string name = meta_string(obj, "name");
  if (name.empty()) throw Invalid(resource + ": metadata.name: Required value");
  std::string ns = meta_string(obj, "namespace");
  if (ns.empty()) ns = "default";
  return {ns, name, meta_string(obj, "resourceVersion")};
}

}  // namespace

SqliteStore::SqliteStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

std::optional<SqliteStore::Stored> SqliteStore::load(const std::string& resource,
                                                     const std::string& ns,
                                                     const std::string& name) {
  auto st = db_.prepare(
      "SELECT uid, resource_version, generation, creation_time, deletion_time, body "
      "FROM objects WHERE resource = ?1 AND namespace = ?2 AND name = ?3");
  st.bind(1, resource).bind(2, ns).bind(3, name);
  if (!st.step()) return std::nullopt;
  Stored s;
  s.uid = st.text(0);
  s.resource_version = st.integer(1);
  s.generation = st.integer(2);
  s.creation_time = st.text(3);
  s.deletion_time = st.is_null(4) ? "" : st.text(4);
  s.body = parse_body(st.text(5), quoted(resource, ns + "/" + name));
  return s;
}

int64_t SqliteStore::next_resource_version() {
  auto st = db_.prepare(
      "UPDATE counters SET value = value + 1 WHERE name = 'resource_version' RETURNING value");
  if (!st.step()) throw Error("state database " + db_.path().string() + ": no counter row");
  const int64_t rv = st.integer(0);
  st.run();
  return rv;
}

void SqliteStore::write(const std::string& resource, const Json& body, bool insert) {
  const Json& m = body["metadata"];
  auto st =
      db_.prepare(insert ? "INSERT INTO objects (resource, namespace, name, uid, resource_version, "
                           "generation, creation_time, deletion_time, body) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                         : "UPDATE objects SET uid = ?4, resource_version = ?5, generation = ?6, "
                           "creation_time = ?7, deletion_time = ?8, body = ?9 "
                           "WHERE resource = ?1 AND namespace = ?2 AND name = ?3");
  st.bind(1, resource)
      .bind(2, m["namespace"].get<std::string>())
      .bind(3, m["name"].get<std::string>())
      .bind(4, m["uid"].get<std::string>())
      .bind(5, static_cast<int64_t>(std::stoll(m["resourceVersion"].get<std::string>())))
      .bind(6, m["generation"].get<int64_t>())
      .bind(7, m["creationTimestamp"].get<std::string>());
  if (m.contains("deletionTimestamp")) {
    st.bind(8, m["deletionTimestamp"].get<std::string>());
  } else {
    st.bind_null(8);
  }
  st.bind(9, body.dump());
  st.run();
}

void SqliteStore::erase(const std::string& resource, const std::string& ns,
                        const std::string& name) {
  auto st = db_.prepare("DELETE FROM objects WHERE resource = ?1 AND namespace = ?2 AND name = ?3");
  st.bind(1, resource).bind(2, ns).bind(3, name);
  st.run();
}

std::optional<Json> SqliteStore::get(const std::string& resource, const std::string& ns,
                                     const std::string& name) {
  std::lock_guard lock(mu_);
  auto st =
      db_.prepare("SELECT body FROM objects WHERE resource = ?1 AND namespace = ?2 AND name = ?3");
  st.bind(1, resource).bind(2, ns).bind(3, name);
  if (!st.step()) return std::nullopt;
  return parse_body(st.text(0), quoted(resource, ns + "/" + name));
}

std::vector<Json> SqliteStore::list(const std::string& resource, const std::string& ns,
                                    const std::string& label_selector) {
  const auto requirements = parse_label_selector(label_selector);
  std::lock_guard lock(mu_);
  auto st = db_.prepare(
      "SELECT namespace, name, body FROM objects WHERE resource = ?1 "
      "AND (?2 = '' OR namespace = ?2) ORDER BY namespace, name");
  st.bind(1, resource).bind(2, ns);
  std::vector<Json> out;
  while (st.step()) {
    Json body = parse_body(st.text(2), quoted(resource, st.text(0) + "/" + st.text(1)));
    const Json* labels = json_at(body, "metadata.labels");
    if (labels_match(requirements, labels ? *labels : Json())) out.push_back(std::move(body));
  }
  return out;
}

Json SqliteStore::create(const std::string& resource, const Json& obj) {
  if (!obj.is_object()) throw Invalid(resource + ": the object must be a JSON object");
  const std::string given_name = meta_string(obj, "name");
  const std::string generate_name = meta_string(obj, "generateName");
  if (given_name.empty() && generate_name.empty()) {
    throw Invalid(resource + ": metadata.name: Required value: name or generateName is required");
  }
  std::string ns = meta_string(obj, "namespace");
  if (ns.empty()) ns = "default";

  Json body = obj;
  body.erase("status");  // owned by the status subresource, as in Kubernetes
  {
    std::lock_guard lock(mu_);
    Transaction tx(db_);
    std::string name = given_name;
    for (int attempt = 0; name.empty() || load(resource, ns, name); ++attempt) {
      if (!given_name.empty()) throw Conflict(quoted(resource, name) + " already exists");
      if (attempt == 8) {
        throw Conflict(quoted(resource, generate_name) +
                       ": no unused name found for generateName; try again");
      }
      name = generate_name + random_suffix();
    }
    Json& m = body["metadata"];
    if (!m.is_object()) m = Json::object();
    m["name"] = name;
    m["namespace"] = ns;
    m["uid"] = uuid_v4();
    m["resourceVersion"] = std::to_string(next_resource_version());
    m["generation"] = 1;
    m["creationTimestamp"] = format_rfc3339(clock_.now());
    m.erase("deletionTimestamp");
    m.erase("deletionGracePeriodSeconds");
    write(resource, body, /*insert=*/true);
    tx.commit();
  }
  notify({Change::Type::kAdded, resource, ns, body["metadata"]["name"].get<std::string>()});
  return body;
}

SqliteStore::Stored SqliteStore::load_for_update(const std::string& resource, const std::string& ns,
                                                 const std::string& name, const std::string& rv) {
  auto stored = load(resource, ns, name);
  if (!stored) throw NotFound(quoted(resource, name) + " not found");
  if (rv.empty()) {
    throw Conflict(quoted(resource, name) +
                   ": metadata.resourceVersion must be specified for an update");
  }
  if (rv != std::to_string(stored->resource_version)) {
    throw Conflict("Operation cannot be fulfilled on " + quoted(resource, name) + ": " + kModified);
  }
  return std::move(*stored);
}

Json SqliteStore::update(const std::string& resource, const Json& obj) {
  const auto [ns, name, rv] = update_target(resource, obj);

  Json body = obj;
  Change::Type change;
  {
    std::lock_guard lock(mu_);
    Transaction tx(db_);
    std::optional<Stored> stored = load_for_update(resource, ns, name, rv);
    const Json& old_meta = stored->body["metadata"];
    if (!stored->deletion_time.empty()) {
      const Json old_f = member_or_null(old_meta, "finalizers");
      const Json* new_f = json_at(body, "metadata.finalizers");
      if (new_f != nullptr && new_f->is_array()) {
        for (const auto& f : *new_f) {
          const bool known =
              old_f.is_array() && std::find(old_f.begin(), old_f.end(), f) != old_f.end();
          if (!known) {
            throw Invalid(quoted(resource, name) +
                          ": metadata.finalizers: Forbidden: no new finalizers can be added if "
                          "the object is being deleted");
          }
        }
      }
    }

    // The server's fields come from the stored object; status is never taken from the caller.
    if (stored->body.contains("status")) {
      body["status"] = stored->body["status"];
    } else {
      body.erase("status");
    }
    const bool spec_changed =
        !same_json(member_or_null(body, "spec"), member_or_null(stored->body, "spec"));
    Json& m = body["metadata"];
    m["name"] = name;
    m["namespace"] = ns;
    m["uid"] = stored->uid;
    m["resourceVersion"] = std::to_string(stored->resource_version);
    m["generation"] = stored->generation + (spec_changed ? 1 : 0);
    m["creationTimestamp"] = stored->creation_time;
    if (stored->deletion_time.empty()) {
      m.erase("deletionTimestamp");
      m.erase("deletionGracePeriodSeconds");
    } else {
      m["deletionTimestamp"] = stored->deletion_time;
      if (old_meta.contains("deletionGracePeriodSeconds")) {
        m["deletionGracePeriodSeconds"] = old_meta["deletionGracePeriodSeconds"];
      }
    }
    if (same_json(body, stored->body)) return stored->body;  // nothing to write

    m["resourceVersion"] = std::to_string(next_resource_version());
    if (!stored->deletion_time.empty() && !has_finalizers(body)) {
      erase(resource, ns, name);  // the last finalizer is gone: deletion completes
      change = Change::Type::kDeleted;
    } else {
      write(resource, body, /*insert=*/false);
      change = Change::Type::kModified;
    }
    tx.commit();
  }
  notify({change, resource, ns, name, &body});
  return body;
}

Json SqliteStore::update_status(const std::string& resource, const Json& obj) {
  const auto [ns, name, rv] = update_target(resource, obj);

  Json body;
  {
    std::lock_guard lock(mu_);
    Transaction tx(db_);
    std::optional<Stored> stored = load_for_update(resource, ns, name, rv);
    body = stored->body;
    if (obj.contains("status")) {
      body["status"] = obj["status"];
    } else {
      body.erase("status");
    }
    if (same_json(body, stored->body)) return stored->body;
    body["metadata"]["resourceVersion"] = std::to_string(next_resource_version());
    write(resource, body, /*insert=*/false);
    tx.commit();
  }
  notify({Change::Type::kModified, resource, ns, name, &body});
  return body;
}

void SqliteStore::remove(const std::string& resource, const std::string& ns,
                         const std::string& name) {
  Change::Type change;
  std::optional<Stored> stored;
  {
    std::lock_guard lock(mu_);
    Transaction tx(db_);
    stored = load(resource, ns, name);
    if (!stored) throw NotFound(quoted(resource, name) + " not found");
    if (has_finalizers(stored->body)) {
      if (!stored->deletion_time.empty()) return;  // already being deleted
      Json& m = stored->body["metadata"];
      m["deletionTimestamp"] = format_rfc3339(clock_.now());
      m["deletionGracePeriodSeconds"] = 0;
      m["resourceVersion"] = std::to_string(next_resource_version());
      write(resource, stored->body, /*insert=*/false);
      change = Change::Type::kModified;
    } else {
      erase(resource, ns, name);
      change = Change::Type::kDeleted;
    }
    tx.commit();
  }
  notify({change, resource, ns, name, &stored->body});
}

void SqliteStore::record_event(const controller::Event& event) {
  const controller::ObjectRef& o = event.object;
  const Time now = clock_.now();
  const std::string now_text = format_rfc3339(now);
  std::lock_guard lock(mu_);
  Transaction tx(db_);
  std::string object_uid = o.uid;
  if (object_uid.empty()) {
    if (auto stored = load(o.resource, o.namespace_, o.name)) object_uid = stored->uid;
  }
  const int64_t rv = next_resource_version();

  // ?1..?4 name the object in every statement below.
  auto bind_object = [&](Statement& st) {
    st.bind(1, o.namespace_).bind(2, o.name).bind(3, o.resource).bind(4, object_uid);
  };
  constexpr const char* kSameObject =
      "namespace = ?1 AND object_name = ?2 AND resource = ?3 AND object_uid = ?4";

  auto bump = db_.prepare(std::string("UPDATE events SET count = count + 1, last_time = ?8, "
                                      "last_unix = ?9, resource_version = ?10 WHERE ") +
                          kSameObject + " AND type = ?5 AND reason = ?6 AND message = ?7");
  bind_object(bump);
  bump.bind(5, event.type).bind(6, event.reason).bind(7, event.message);
  bump.bind(8, now_text).bind(9, unix_seconds(now)).bind(10, rv);
  bump.run();
  if (db_.changes() == 0) {
    char suffix[24];
    std::snprintf(suffix, sizeof(suffix), ".%016llx", static_cast<unsigned long long>(rv));
    auto insert = db_.prepare(
        "INSERT INTO events (namespace, object_name, resource, object_uid, type, reason, "
        "message, name, uid, count, first_time, last_time, last_unix, resource_version) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10, ?11, ?12)");
    bind_object(insert);
    insert.bind(5, event.type).bind(6, event.reason).bind(7, event.message);
    insert.bind(8, o.name + suffix).bind(9, uuid_v4());
    insert.bind(10, now_text).bind(11, unix_seconds(now)).bind(12, rv);
    insert.run();

    auto trim = db_.prepare(std::string("DELETE FROM events WHERE ") + kSameObject +
                            " AND id NOT IN (SELECT id FROM events WHERE " + kSameObject +
                            " ORDER BY resource_version DESC LIMIT ?5)");
    bind_object(trim);
    trim.bind(5, kMaxEventsPerObject);
    trim.run();
  }

  // Expiry scans old events, so it runs at most once a minute.
  const bool expire_now =
      !last_expiry_ || now - *last_expiry_ >= std::chrono::minutes(1) || now < *last_expiry_;
  if (expire_now) {
    auto expire = db_.prepare(
        "DELETE FROM events WHERE last_unix < ?1 AND NOT EXISTS "
        "(SELECT 1 FROM objects WHERE objects.uid = events.object_uid)");
    expire.bind(1, unix_seconds(now - kOrphanEventTtl));
    expire.run();
  }
  tx.commit();
  if (expire_now) last_expiry_ = now;
}

std::vector<Json> SqliteStore::list_events(const std::string& ns,
                                           const std::string& name_or_empty) {
  std::lock_guard lock(mu_);
  auto st = db_.prepare(
      "SELECT namespace, object_name, resource, object_uid, type, reason, message, name, uid, "
      "count, first_time, last_time, resource_version FROM events "
      "WHERE (?1 = '' OR namespace = ?1) AND (?2 = '' OR object_name = ?2) "
      "ORDER BY resource_version");
  st.bind(1, ns).bind(2, name_or_empty);
  std::vector<Json> out;
  while (st.step()) {
    const std::string resource = st.text(2);
    Json involved = Json::object();
    if (resource == controller::kSparkApplications ||
        resource == controller::kScheduledSparkApplications) {
      involved["apiVersion"] = "sparkoperator.k8s.io/v1beta2";
    }
    involved["kind"] = kind_of(resource);
    involved["namespace"] = st.text(0);
    involved["name"] = st.text(1);
    if (!st.text(3).empty()) involved["uid"] = st.text(3);

    Json e = Json::object();
    e["apiVersion"] = "v1";
    e["kind"] = "Event";
    e["metadata"] = {{"name", st.text(7)},
                     {"namespace", st.text(0)},
                     {"uid", st.text(8)},
                     {"resourceVersion", std::to_string(st.integer(12))},
                     {"creationTimestamp", st.text(10)}};
    e["involvedObject"] = std::move(involved);
    e["reason"] = st.text(5);
    e["message"] = st.text(6);
    e["source"] = {{"component", "sparkplane"}};
    e["firstTimestamp"] = st.text(10);
    e["lastTimestamp"] = st.text(11);
    e["count"] = st.integer(9);
    e["type"] = st.text(4);
    e["reportingComponent"] = "sparkplane";
    out.push_back(std::move(e));
  }
  return out;
}

void SqliteStore::subscribe(std::function<void(const Change&)> on_change) {
  std::lock_guard lock(subscribers_mu_);
  subscribers_.push_back(std::move(on_change));
}

void SqliteStore::notify(const Change& change) {
  std::vector<std::function<void(const Change&)>> subscribers;
  {
    std::lock_guard lock(subscribers_mu_);
    subscribers = subscribers_;
  }
  for (const auto& fn : subscribers) fn(change);
}

}  // namespace sp::local
