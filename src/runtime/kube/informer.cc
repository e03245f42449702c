#include "runtime/kube/informer.h"

#include <spdlog/spdlog.h>

#include "runtime/kube/api_errors.h"
#include "runtime/kube/backoff.h"

namespace sp::kube {
namespace {

std::string resource_version_of(const Json& object) {
  return string_at(object, "metadata.resourceVersion");
}

// "ns/" + value: where an object goes in the label index.
std::string index_key(const std::string& ns, const std::string& value) {
  return std::string(ns).append("/").append(value);
}

}  // namespace

std::string Informer::key_of(const Json& object) {
  const Json* ns = json_at(object, "metadata.namespace");
  const Json* name = json_at(object, "metadata.name");
  const std::string n = name != nullptr && name->is_string() ? name->get<std::string>() : "";
  if (ns != nullptr && ns->is_string() && !ns->get<std::string>().empty()) {
    return ns->get<std::string>() + "/" + n;
  }
  return n;
}

Informer::Informer(KubeClient& client, InformerOptions options, InformerHandlers handlers)
    : client_(client), options_(std::move(options)), handlers_(std::move(handlers)) {}

Informer::~Informer() { stop(); }

void Informer::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void Informer::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

bool Informer::has_synced() const {
  std::lock_guard lock(mu_);
  return synced_;
}

bool Informer::wait_for_sync(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return synced_cv_.wait_for(lock, timeout, [this] { return synced_; });
}

ObjectPtr Informer::get(const std::string& ns, const std::string& name) const {
  EntryPtr e;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(ns.empty() ? name : ns + "/" + name);
    if (it == cache_.end()) return nullptr;
    e = it->second;
  }
  return decode(*e);
}

std::vector<ObjectPtr> Informer::list(const std::string& ns, const LabelSelector& selector) const {
  std::vector<EntryPtr> entries;
  {
    std::lock_guard lock(mu_);
    auto it = ns.empty() ? cache_.begin() : cache_.lower_bound(ns + "/");
    for (; it != cache_.end(); ++it) {
      if (!ns.empty() && it->first.compare(0, ns.size() + 1, ns + "/") != 0) break;
      entries.push_back(it->second);
    }
  }
  std::vector<ObjectPtr> out;
  for (const auto& e : entries) {
    ObjectPtr o = decode(*e);
    const Json* labels = json_at(*o, "metadata.labels");
    if (selector.matches(labels != nullptr ? *labels : Json())) out.push_back(std::move(o));
  }
  return out;
}

std::vector<ObjectPtr> Informer::list_by_label(const std::string& ns,
                                               const std::string& value) const {
  std::vector<EntryPtr> entries;
  {
    std::lock_guard lock(mu_);
    auto it = index_.find(index_key(ns, value));
    if (it != index_.end()) {
      for (const auto key : it->second) entries.push_back(cache_.find(key)->second);
    }
  }
  std::vector<ObjectPtr> out;
  out.reserve(entries.size());
  for (const auto& e : entries) out.push_back(decode(*e));
  return out;
}

std::size_t Informer::size() const {
  std::lock_guard lock(mu_);
  return cache_.size();
}

void Informer::trim(Json& object) const {
  if (auto m = object.find("metadata"); m != object.end() && m->is_object()) {
    m->erase("managedFields");
  }
  if (options_.transform) options_.transform(object);
}

Informer::EntryPtr Informer::make_entry(const Json& object) {
  auto e = std::make_shared<Entry>();
  e->packed = codec_.pack(object);
  e->resource_version = resource_version_of(object);
  if (!options_.index_label.empty() && (!options_.index_if || options_.index_if(object))) {
    const Json* labels = json_at(object, "metadata.labels");
    if (labels != nullptr && labels->is_object()) {
      auto v = labels->find(options_.index_label);
      if (v != labels->end() && v->is_string()) e->index_value = v->get<std::string>();
    }
  }
  return e;
}

ObjectPtr Informer::decode(const Entry& entry) const {
  return std::make_shared<Json>(codec_.unpack(entry.packed));
}

Informer::EntryPtr Informer::put_locked(const std::string& key, EntryPtr entry) {
  auto it = cache_.find(key);
  EntryPtr old = it != cache_.end() ? it->second : nullptr;
  const auto slash = key.find('/');
  const std::string ns = slash == std::string::npos ? std::string() : key.substr(0, slash);
  const std::string old_value = old != nullptr ? old->index_value : std::string();
  const std::string new_value = entry != nullptr ? entry->index_value : std::string();
  if (!old_value.empty() && old_value != new_value) {
    auto ix = index_.find(index_key(ns, old_value));
    if (ix != index_.end()) {
      ix->second.erase(std::string_view(key));
      if (ix->second.empty()) index_.erase(ix);
    }
  }
  if (entry == nullptr) {
    if (it != cache_.end()) cache_.erase(it);
    return old;
  }
  if (it != cache_.end()) {
    it->second = std::move(entry);
  } else {
    it = cache_.emplace(key, std::move(entry)).first;
  }
  if (!new_value.empty()) index_[index_key(ns, new_value)].insert(std::string_view(it->first));
  return old;
}

std::string Informer::resource_version() const {
  std::lock_guard lock(mu_);
  return resource_version_;
}

void Informer::notify(const std::function<void()>& call, const char* what) {
  try {
    call();
  } catch (const std::exception& e) {
    spdlog::error("informer {}: {} handler failed: {}", options_.collection.str(), what, e.what());
  }
}

void Informer::run(std::stop_token stop) {
  Backoff backoff(options_.backoff_initial, options_.backoff_max);
  bool need_list = true;
  int gone_in_a_row = 0;
  while (!stop.stop_requested()) {
    try {
      if (need_list) {
        list_and_replace(stop);
        need_list = false;
      }
      const auto started = std::chrono::steady_clock::now();
      const bool delivered = watch_once(stop);
      if (delivered) gone_in_a_row = 0;
      if (delivered || std::chrono::steady_clock::now() - started > std::chrono::seconds(10)) {
        backoff.reset();
      } else if (!sleep_for(backoff.next(), stop)) {
        break;  // a watch that ended at once, empty: do not spin
      }
    } catch (const Gone& e) {
      if (stop.stop_requested()) break;
      spdlog::info("informer {}: {}; listing again", options_.collection.str(), e.what());
      need_list = true;
      if (++gone_in_a_row > 1 && !sleep_for(backoff.next(), stop)) break;
    } catch (const std::exception& e) {
      if (stop.stop_requested()) break;
      const auto delay = backoff.next();
      spdlog::warn("informer {}: {}; retrying in {} ms", options_.collection.str(), e.what(),
                   delay.count());
      if (!sleep_for(delay, stop)) break;
    }
  }
}

void Informer::list_and_replace(std::stop_token stop) {
  ListOptions o;
  o.label_selector = options_.label_selector;
  o.field_selector = options_.field_selector;
  o.limit = options_.page_size;
  Json list = client_.list_all(options_.collection, o, stop);
  ++lists_;
  const std::string rv = resource_version_of(list);

  // (old entry or null, new object), in key order; then what vanished.
  std::vector<std::pair<EntryPtr, ObjectPtr>> changes;
  std::vector<EntryPtr> deleted;
  std::map<std::string, std::pair<EntryPtr, ObjectPtr>> fresh;
  if (auto items = list.find("items"); items != list.end() && items->is_array()) {
    for (auto& item : *items) {
      trim(item);
      const std::string key = key_of(item);
      EntryPtr e = make_entry(item);
      fresh[key] = {std::move(e), std::make_shared<Json>(std::move(item))};
    }
  }
  list = Json();
  {
    std::lock_guard lock(mu_);
    std::vector<std::string> gone;
    for (const auto& [key, entry] : cache_) {
      if (!fresh.contains(key)) gone.push_back(key);
    }
    for (const auto& key : gone) deleted.push_back(put_locked(key, nullptr));
    for (auto& [key, item] : fresh) {
      EntryPtr old = put_locked(key, item.first);
      if (old == nullptr || old->resource_version != item.first->resource_version) {
        changes.emplace_back(std::move(old), std::move(item.second));
      }
    }
    resource_version_ = rv;
  }
  fresh.clear();
  for (const auto& [old_entry, new_obj] : changes) {
    if (old_entry == nullptr) {
      if (handlers_.on_add) notify([&] { handlers_.on_add(*new_obj); }, "add");
    } else if (handlers_.on_update) {
      notify([&] { handlers_.on_update(*decode(*old_entry), *new_obj); }, "update");
    }
  }
  for (const auto& e : deleted) {
    if (handlers_.on_delete) notify([&] { handlers_.on_delete(*decode(*e)); }, "delete");
  }
  {
    std::lock_guard lock(mu_);
    synced_ = true;
  }
  synced_cv_.notify_all();
}

bool Informer::watch_once(std::stop_token stop) {
  ListOptions o;
  o.label_selector = options_.label_selector;
  o.field_selector = options_.field_selector;
  o.resource_version = resource_version();
  o.allow_watch_bookmarks = true;
  const auto timeout =
      jittered(std::chrono::duration_cast<std::chrono::milliseconds>(options_.watch_timeout), 1.0);
  o.timeout_seconds = static_cast<int>(std::max<long long>(1, timeout.count() / 1000));
  ++watches_;
  bool delivered = false;
  watch(
      client_, options_.collection, o,
      [&](WatchEvent& e) {
        delivered = true;
        apply(e);
        return true;
      },
      stop, options_.fields);
  return delivered;
}

void Informer::apply(WatchEvent& event) {
  const std::string rv = resource_version_of(event.object);
  if (event.type == WatchEventType::Bookmark) {
    std::lock_guard lock(mu_);
    if (!rv.empty()) resource_version_ = rv;
    return;
  }
  trim(event.object);
  const std::string key = key_of(event.object);
  const bool deleted = event.type == WatchEventType::Deleted;
  EntryPtr entry = deleted ? nullptr : make_entry(event.object);
  EntryPtr old;
  {
    std::lock_guard lock(mu_);
    old = put_locked(key, std::move(entry));
    if (!rv.empty()) resource_version_ = rv;
  }
  const Json& obj = event.object;
  if (deleted) {
    if (handlers_.on_delete) notify([&] { handlers_.on_delete(obj); }, "delete");
  } else if (old != nullptr) {
    if (handlers_.on_update) notify([&] { handlers_.on_update(*decode(*old), obj); }, "update");
  } else if (handlers_.on_add) {
    notify([&] { handlers_.on_add(obj); }, "add");
  }
}

}  // namespace sp::kube
