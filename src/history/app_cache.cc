#include "history/app_cache.h"

#include <spdlog/spdlog.h>

#include "eventlog/log_reader.h"

namespace sp::history {

AppCache::AppCache(const storage::ObjectStore& store, std::size_t max_bytes)
    : store_(store), max_bytes_(max_bytes) {}

void AppCache::bring_up_to_date(LoadedApp& app, const eventlog::EventLog& log) {
  if (app.store && app.fingerprint == log.fingerprint) return;
  auto store = std::make_unique<AppStore>();
  eventlog::EventLogReader reader(store_, log);
  auto status = reader.read_more([&](std::string_view line) {
    store->apply_line(line);
    return true;
  });
  app.error = status.error;
  if (!status.ok())
    spdlog::warn("history: {}: {} (serving what was read before it)", log.name, status.error);
  store->set_last_updated(log.last_modified_ms);
  store->finish();
  app.store = std::move(store);
  app.fingerprint = log.fingerprint;
  app.bytes = app.store->memory_bytes() + sizeof(LoadedApp);
}

std::shared_ptr<LoadedApp> AppCache::get(const eventlog::EventLog& log) {
  std::shared_ptr<LoadedApp> app;
  {
    std::lock_guard lock(mu_);
    auto it = slots_.find(log.key);
    if (it == slots_.end()) {
      ++stats_.misses;
      lru_.push_front(log.key);
      app = std::make_shared<LoadedApp>();
      slots_.emplace(log.key, Slot{app, lru_.begin()});
    } else {
      ++stats_.hits;
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      app = it->second.app;
    }
  }
  {
    std::lock_guard app_lock(app->mu);
    const bool stale = !app->store || app->fingerprint != log.fingerprint;
    bring_up_to_date(*app, log);
    if (stale) {
      std::lock_guard lock(mu_);
      ++stats_.replays;
    }
  }
  std::lock_guard lock(mu_);
  evict_locked();
  return app;
}

void AppCache::evict_locked() {
  std::size_t total = 0;
  for (const auto& [key, slot] : slots_) total += slot.app->bytes;
  // Least recently used first; never the most recent (the one just asked for).
  if (lru_.empty()) return;
  for (auto it = std::prev(lru_.end()); total > max_bytes_ && it != lru_.begin();) {
    auto cur = it--;
    auto slot = slots_.find(*cur);
    if (slot->second.app.use_count() > 1) continue;  // being served right now
    total -= slot->second.app->bytes;
    slots_.erase(slot);
    lru_.erase(cur);
    ++stats_.evictions;
  }
  stats_.apps = slots_.size();
  stats_.bytes = total;
}

void AppCache::erase(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(key);
  if (it == slots_.end()) return;
  lru_.erase(it->second.lru);
  slots_.erase(it);
}

CacheStats AppCache::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace sp::history
