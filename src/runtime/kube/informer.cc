#include "runtime/kube/informer.h"

#include <spdlog/spdlog.h>

#include "runtime/kube/api_errors.h"
#include "runtime/kube/backoff.h"

namespace sp::kube {
namespace {

std::string resource_version_of(const Json& object) {
  const Json* rv = json_at(object, "metadata.resourceVersion");
  return rv != nullptr && rv->is_string() ? rv->get<std::string>() : std::string();
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
  std::lock_guard lock(mu_);
  auto it = cache_.find(ns.empty() ? name : ns + "/" + name);
  return it == cache_.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> Informer::list(const std::string& ns, const LabelSelector& selector) const {
  std::vector<ObjectPtr> out;
  std::lock_guard lock(mu_);
  auto it = ns.empty() ? cache_.begin() : cache_.lower_bound(ns + "/");
  for (; it != cache_.end(); ++it) {
    if (!ns.empty() && it->first.compare(0, ns.size() + 1, ns + "/") != 0) break;
    const Json* labels = json_at(*it->second, "metadata.labels");
    if (selector.matches(labels != nullptr ? *labels : Json())) out.push_back(it->second);
  }
  return out;
}

std::size_t Informer::size() const {
  std::lock_guard lock(mu_);
  return cache_.size();
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

  std::map<std::string, ObjectPtr> fresh;
  std::vector<std::pair<ObjectPtr, ObjectPtr>> changes;  // (old or null, new), in key order
  std::vector<ObjectPtr> deleted;
  if (auto items = list.find("items"); items != list.end() && items->is_array()) {
    for (auto& item : *items) {
      const std::string key = key_of(item);
      fresh[key] = std::make_shared<const Json>(std::move(item));
    }
  }
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, obj] : fresh) {
      auto old = cache_.find(key);
      if (old == cache_.end()) {
        changes.emplace_back(nullptr, obj);
      } else if (resource_version_of(*old->second) != resource_version_of(*obj)) {
        changes.emplace_back(old->second, obj);
      }
    }
    for (const auto& [key, obj] : cache_) {
      if (!fresh.contains(key)) deleted.push_back(obj);
    }
    cache_ = std::move(fresh);
    resource_version_ = rv;
  }
  for (const auto& [old_obj, new_obj] : changes) {
    if (old_obj == nullptr) {
      if (handlers_.on_add) notify([&] { handlers_.on_add(*new_obj); }, "add");
    } else if (handlers_.on_update) {
      notify([&] { handlers_.on_update(*old_obj, *new_obj); }, "update");
    }
  }
  for (const auto& obj : deleted) {
    if (handlers_.on_delete) notify([&] { handlers_.on_delete(*obj); }, "delete");
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
      stop);
  return delivered;
}

void Informer::apply(WatchEvent& event) {
  const std::string rv = resource_version_of(event.object);
  if (event.type == WatchEventType::Bookmark) {
    std::lock_guard lock(mu_);
    if (!rv.empty()) resource_version_ = rv;
    return;
  }
  const std::string key = key_of(event.object);
  auto obj = std::make_shared<const Json>(std::move(event.object));
  ObjectPtr old;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) old = it->second;
    if (event.type == WatchEventType::Deleted) {
      if (it != cache_.end()) cache_.erase(it);
    } else {
      cache_[key] = obj;
    }
    if (!rv.empty()) resource_version_ = rv;
  }
  if (event.type == WatchEventType::Deleted) {
    if (handlers_.on_delete) notify([&] { handlers_.on_delete(*obj); }, "delete");
  } else if (old != nullptr) {
    if (handlers_.on_update) notify([&] { handlers_.on_update(*old, *obj); }, "update");
  } else if (handlers_.on_add) {
    notify([&] { handlers_.on_add(*obj); }, "add");
  }
}

}  // namespace sp::kube
