#include "runtime/kube/kube_store.h"

#include <charconv>

#include "api/types.h"
#include "common/error.h"
#include "runtime/kube/api_errors.h"
#include "runtime/kube/label_selector.h"

namespace sp::kube {
namespace {

using controller::Change;

struct Kind {
  const char* resource;
  const GroupVersionResource* gvr;
  const char* kind;
};

const Kind kKinds[] = {
    {controller::kSparkApplications, &resources::kSparkApplications, api::kSparkApplicationKind},
    {controller::kScheduledSparkApplications, &resources::kScheduledSparkApplications,
     api::kScheduledSparkApplicationKind},
};

const Kind& kind_of(const std::string& resource) {
  for (const auto& k : kKinds) {
    if (resource == k.resource) return k;
  }
  throw Invalid(std::string("unknown resource \"").append(resource).append("\""));
}

std::string namespace_of(const Json& object) {
  std::string ns = string_at(object, "metadata.namespace");
  return ns.empty() ? "default" : ns;
}

std::string written_key(const std::string& resource, const std::string& ns,
                        const std::string& name) {
  return std::string(resource).append("/").append(ns).append("/").append(name);
}

bool parse_revision(const std::string& text, unsigned long long& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// An object whose deletion is complete: no finalizers hold it.
bool deleted_by(const Json& answer) {
  if (answer.value("kind", "") == "Status") return true;
  const Json* finalizers = json_at(answer, "metadata.finalizers");
  return json_at(answer, "metadata.deletionTimestamp") != nullptr &&
         (finalizers == nullptr || !finalizers->is_array() || finalizers->empty());
}

// A tombstone without a version (the API server answered a Status) waits for the delete.
bool newer_than_tombstone(const std::string& seen, const std::string& tombstone) {
  return !tombstone.empty() && resource_version_newer(seen, tombstone);
}

// What a status write sends: the subresource takes the status alone (the server keeps the
// stored spec and metadata), so only what names the object and its version goes with it.
Json status_write_body(const Json& obj) {
  Json body = {{"apiVersion", obj.value("apiVersion", "")},
               {"kind", obj.value("kind", "")},
               {"metadata", Json::object()}};
  for (const char* key : {"name", "namespace", "uid", "resourceVersion"}) {
    if (const Json* v = json_at(obj, std::string("metadata.").append(key)); v != nullptr) {
      body["metadata"][key] = *v;
    }
  }
  if (auto st = obj.find("status"); st != obj.end()) body["status"] = *st;
  return body;
}

}  // namespace

bool resource_version_newer(const std::string& a, const std::string& b) {
  unsigned long long ra = 0;
  unsigned long long rb = 0;
  if (!parse_revision(a, ra)) return false;
  if (!parse_revision(b, rb)) return true;
  return ra > rb;
}

KubeStore::KubeStore(KubeClient& client, EventRecorder& recorder, KubeStoreOptions options)
    : client_(client), recorder_(recorder), options_(std::move(options)) {
  std::vector<std::string> namespaces = options_.namespaces;
  if (namespaces.empty()) namespaces.emplace_back();  // every namespace
  for (const auto& k : kKinds) {
    const std::string resource = k.resource;
    for (const auto& ns : namespaces) {
      InformerOptions io;
      io.collection = ResourceRef(*k.gvr, ns);
      InformerHandlers h;
      h.on_add = [this, resource](const Json& o) { on_change(Change::Type::kAdded, resource, o); };
      h.on_update = [this, resource](const Json&, const Json& o) {
        on_change(Change::Type::kModified, resource, o);
      };
      h.on_delete = [this, resource](const Json& o) {
        on_change(Change::Type::kDeleted, resource, o);
      };
      watched_.push_back(
          {resource, ns, std::make_unique<Informer>(client_, std::move(io), std::move(h))});
    }
  }
}

KubeStore::~KubeStore() { stop(); }

void KubeStore::start() {
  for (auto& w : watched_) w.informer->start();
}

void KubeStore::stop() {
  for (auto& w : watched_) w.informer->stop();
}

bool KubeStore::has_synced() const {
  for (const auto& w : watched_) {
    if (!w.informer->has_synced()) return false;
  }
  return true;
}

const KubeStore::Watched* KubeStore::watched(const std::string& resource,
                                             const std::string& ns) const {
  const Watched* all = nullptr;
  for (const auto& w : watched_) {
    if (w.resource != resource) continue;
    if (w.ns == ns) return &w;
    if (w.ns.empty()) all = &w;
  }
  return all;
}

void KubeStore::on_change(Change::Type type, const std::string& resource, const Json& object) {
  forget_older(resource, object, type == Change::Type::kDeleted);
  Change change{type, resource, namespace_of(object), string_at(object, "metadata.name"), &object};
  std::vector<std::function<void(const Change&)>> subscribers;
  {
    std::lock_guard lock(subscribers_mu_);
    subscribers = subscribers_;
  }
  for (const auto& fn : subscribers) fn(change);
}

void KubeStore::subscribe(std::function<void(const Change&)> on_change) {
  std::lock_guard lock(subscribers_mu_);
  subscribers_.push_back(std::move(on_change));
}

void KubeStore::remember(const std::string& resource, const Json& written) {
  const std::string key =
      written_key(resource, namespace_of(written), string_at(written, "metadata.name"));
  Written w;
  w.resource_version = string_at(written, "metadata.resourceVersion");
  w.object = deleted_by(written) ? Json(nullptr) : written;
  w.at = std::chrono::steady_clock::now();
  std::lock_guard lock(written_mu_);
  auto it = written_.find(key);
  // Two writers of one object may return out of order: keep the newer.
  if (it != written_.end() &&
      resource_version_newer(it->second.resource_version, w.resource_version)) {
    return;
  }
  written_[key] = std::move(w);
}

void KubeStore::forget_older(const std::string& resource, const Json& seen, bool deleted) {
  const std::string key =
      written_key(resource, namespace_of(seen), string_at(seen, "metadata.name"));
  std::lock_guard lock(written_mu_);
  auto it = written_.find(key);
  if (it == written_.end()) return;
  const Json& mine = it->second.object;
  if (deleted) {
    // Gone: what was written of that object (not of a newer one under the same name) is moot.
    if (mine.is_null() || string_at(mine, "metadata.uid") == string_at(seen, "metadata.uid")) {
      written_.erase(it);
    }
  } else {
    const std::string seen_rv = string_at(seen, "metadata.resourceVersion");
    if (mine.is_null() ? newer_than_tombstone(seen_rv, it->second.resource_version)
                       : !resource_version_newer(it->second.resource_version, seen_rv)) {
      written_.erase(it);
    }
  }
}

std::optional<KubeStore::Written> KubeStore::written_copy(const std::string& key) {
  std::lock_guard lock(written_mu_);
  auto it = written_.find(key);
  if (it == written_.end()) return std::nullopt;
  return it->second;
}

std::optional<Json> KubeStore::freshest(const std::string& key, const Written* written,
                                        ObjectPtr cached) {
  if (written != nullptr) {
    const bool expired = std::chrono::steady_clock::now() - written->at > options_.read_your_writes;
    // A tombstone gives way to a newer object only (a new one under the same name); the
    // deletion itself reaches the cache as a delete (forget_older).
    const std::string cached_rv =
        cached != nullptr ? string_at(*cached, "metadata.resourceVersion") : std::string();
    const bool caught_up =
        cached != nullptr &&
        (written->object.is_null() ? newer_than_tombstone(cached_rv, written->resource_version)
                                   : !resource_version_newer(written->resource_version, cached_rv));
    if (expired || caught_up) {
      std::lock_guard lock(written_mu_);
      auto it = written_.find(key);
      if (it != written_.end() && it->second.resource_version == written->resource_version) {
        written_.erase(it);
      }
    } else if (written->object.is_null()) {
      return std::nullopt;  // deleted here; the cache has not heard yet
    } else {
      return written->object;
    }
  }
  if (cached == nullptr) return std::nullopt;
  return std::move(*cached);  // decoded for this lookup alone
}

std::optional<Json> KubeStore::get(const std::string& resource, const std::string& ns,
                                   const std::string& name) {
  kind_of(resource);
  const Watched* w = watched(resource, ns);
  const std::string key = written_key(resource, ns, name);
  auto written = written_copy(key);
  ObjectPtr cached = w != nullptr ? w->informer->get(ns, name) : nullptr;
  return freshest(key, written ? &*written : nullptr, cached);
}

std::vector<Json> KubeStore::list(const std::string& resource, const std::string& ns,
                                  const std::string& label_selector) {
  kind_of(resource);
  const LabelSelector selector = LabelSelector::parse(label_selector);
  std::map<std::string, Json> found;  // "namespace/name" -> object, in that order
  // The writes first, then the cache (see written_copy).
  std::map<std::string, Written> written;  // "namespace/name" -> write
  {
    std::lock_guard lock(written_mu_);
    const std::string prefix = std::string(resource).append("/");
    for (auto it = written_.lower_bound(prefix);
         it != written_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      written.emplace(it->first.substr(prefix.size()), it->second);
    }
  }
  std::map<std::string, ObjectPtr> cached;
  for (const auto& w : watched_) {
    if (w.resource != resource || (!ns.empty() && !w.ns.empty() && w.ns != ns)) continue;
    for (auto& o : w.informer->list(ns, LabelSelector())) {
      cached.emplace(Informer::key_of(*o), std::move(o));
    }
  }
  for (const auto& [key, w] : written) cached.emplace(key, nullptr);  // written only
  for (const auto& [key, object] : cached) {
    const auto slash = key.find('/');
    if (!ns.empty() && key.compare(0, slash, ns) != 0) continue;
    auto wit = written.find(key);
    auto fresh = freshest(std::string(resource).append("/").append(key),
                          wit != written.end() ? &wit->second : nullptr, object);
    if (!fresh) continue;
    const Json* labels = json_at(*fresh, "metadata.labels");
    if (selector.matches(labels != nullptr ? *labels : Json()))
      found.emplace(key, std::move(*fresh));
  }
  std::vector<Json> out;
  out.reserve(found.size());
  for (auto& [key, object] : found) out.push_back(std::move(object));
  return out;
}

Json KubeStore::create(const std::string& resource, const Json& obj) {
  const Kind& k = kind_of(resource);
  Json body = obj;
  const std::string ns = namespace_of(body);
  body["metadata"]["namespace"] = ns;
  body.erase("status");
  Json created = client_.create(ResourceRef(*k.gvr, ns), body, Projection());
  remember(resource, created);
  return created;
}

Json KubeStore::update(const std::string& resource, const Json& obj) {
  const Kind& k = kind_of(resource);
  const ResourceRef ref(*k.gvr, namespace_of(obj), string_at(obj, "metadata.name"));
  if (string_at(obj, "metadata.resourceVersion").empty()) {
    throw Conflict(ref.str().append(": an update needs metadata.resourceVersion"));
  }
  Json stored = client_.update(ref, obj, Projection());
  remember(resource, stored);
  return stored;
}

Json KubeStore::update_status(const std::string& resource, const Json& obj) {
  const Kind& k = kind_of(resource);
  const ResourceRef ref(*k.gvr, namespace_of(obj), string_at(obj, "metadata.name"));
  if (string_at(obj, "metadata.resourceVersion").empty()) {
    throw Conflict(ref.str().append(": a status update needs metadata.resourceVersion"));
  }
  Json body = status_write_body(obj);
  // Holding the object at the version written over, this store knows all of the answer but its
  // new metadata: read back only that.
  std::optional<Json> base = get(resource, ref.ns, ref.name);
  Json stored;
  if (base &&
      string_at(*base, "metadata.resourceVersion") == string_at(obj, "metadata.resourceVersion")) {
    Json answer = client_.update_status(ref, body, Projection::metadata());
    if (!answer.contains("metadata")) {
      throw Error(ref.str().append(": the status write's answer has no metadata"));
    }
    stored = std::move(*base);
    stored["metadata"] = std::move(answer["metadata"]);
    if (body.contains("status")) {
      stored["status"] = std::move(body["status"]);
    } else {
      stored.erase("status");
    }
  } else {
    stored = client_.update_status(ref, body, Projection());
  }
  remember(resource, stored);
  return stored;
}

void KubeStore::remove(const std::string& resource, const std::string& ns,
                       const std::string& name) {
  const Kind& k = kind_of(resource);
  Json answer = client_.remove(ResourceRef(*k.gvr, ns, name));
  const Json* finalizers = json_at(answer, "metadata.finalizers");
  if (answer.value("kind", "") != "Status" && finalizers != nullptr && finalizers->is_array() &&
      !finalizers->empty()) {
    remember(resource, answer);  // held by finalizers: now with a deletionTimestamp
    return;
  }
  Json tombstone = {{"kind", "Status"},
                    {"metadata",
                     {{"namespace", ns},
                      {"name", name},
                      {"resourceVersion", string_at(answer, "metadata.resourceVersion")}}}};
  remember(resource, tombstone);
}

void KubeStore::record_event(const controller::Event& event) {
  const Kind& k = kind_of(event.object.resource);
  ObjectReference ref;
  ref.api_version = api::kApiVersion;
  ref.kind = k.kind;
  ref.ns = event.object.namespace_;
  ref.name = event.object.name;
  ref.uid = event.object.uid;
  recorder_.record(ref, event.type == "Warning" ? EventType::Warning : EventType::Normal,
                   event.reason, event.message);
}

}  // namespace sp::kube
