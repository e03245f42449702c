#include "history/app_cache.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "history/parallel_replay.h"

namespace sp::history {

AppCache::AppCache(const storage::ObjectStore& store, std::size_t max_bytes)
    : store_(store), max_bytes_(max_bytes) {}

AppCache::Update AppCache::bring_up_to_date(LoadedApp& app, const eventlog::EventLog& log,
                                            std::uint64_t& bytes_read) {
  if (app.store && app.fingerprint == log.fingerprint) return Update::kNone;
  Update how = Update::kReadOn;
  if (!app.store || !app.reader || !app.reader->refresh(log)) {
    how = Update::kReplayed;
    app.store = std::make_unique<AppStore>();
    app.reader = std::make_unique<eventlog::EventLogReader>(store_, log);
  }
  eventlog::ReadStatus status;
  try {
    status = replay(*app.reader, *app.store);
  } catch (...) {  // e.g. out of memory: nothing half done is kept
    app.store.reset();
    app.reader.reset();
    app.fingerprint.clear();
    throw;
  }
  bytes_read += status.bytes_read;
  app.error = status.error;
  if (!status.ok())
    spdlog::warn("history: {}: {} (serving what was read before it)", log.name, status.error);
  app.store->set_last_updated(log.last_modified_ms);
  app.store->flush();
  // After an I/O error (e.g. the file was renamed as it completed) the next request reads on.
  app.fingerprint = status.ok() || status.corrupt ? log.fingerprint : std::string();
  // Nothing more will come: free the reader's buffers. (A log changed after all is replayed.)
  if (status.corrupt || (app.reader->finished() && !log.in_progress)) app.reader.reset();
  app.bytes = app.store->memory_bytes() + sizeof(LoadedApp);
  if (app.reader) {  // its buffers: about the last read, at most two of the largest reads
    app.bytes += static_cast<std::size_t>(std::min<std::uint64_t>(
        app.reader->total_bytes_read(), 2 * eventlog::ReaderOptions().read_size));
  }
  return how;
}

std::shared_ptr<LoadedApp> AppCache::get(const eventlog::EventLog& log) {
  std::shared_ptr<LoadedApp> app;
  {
    std::lock_guard lock(mu_);
    auto it = slots_.find(log.id);
    if (it == slots_.end()) {
      ++stats_.misses;
      lru_.push_front(log.id);
      app = std::make_shared<LoadedApp>();
      slots_.emplace(log.id, Slot{app, lru_.begin()});
    } else {
      ++stats_.hits;
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      app = it->second.app;
    }
  }
  {
    std::lock_guard app_lock(app->mu);
    std::uint64_t bytes_read = 0;
    const Update how = bring_up_to_date(*app, log, bytes_read);
    if (how != Update::kNone) {
      std::lock_guard lock(mu_);
      ++(how == Update::kReplayed ? stats_.replays : stats_.reads_on);
      stats_.bytes_read += bytes_read;
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

void AppCache::erase(const std::string& log_id) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(log_id);
  if (it == slots_.end()) return;
  lru_.erase(it->second.lru);
  slots_.erase(it);
}

CacheStats AppCache::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace sp::history
