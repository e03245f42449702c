// Applications replayed in full, kept in memory up to a byte budget (not a count: one big app
// can weigh more than a thousand small ones) and evicted least recently used. A request for an
// app not in the cache replays it; concurrent requests for the same app wait for one replay.
// An in-progress log that changed is replayed again when next asked for (as Spark does).
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "eventlog/log_discovery.h"
#include "history/app_store.h"
#include "storage/object_store.h"

namespace sp::history {

// One replayed application. Hold `mu` while reading `store`.
struct LoadedApp {
  std::mutex mu;
  std::unique_ptr<AppStore> store;  // finished; null until the first replay
  std::string fingerprint;          // of the log as last replayed
  std::string error;                // a corrupt spot: the app is served up to it
  std::size_t bytes = 0;            // memory estimate, for the budget
};

struct CacheStats {
  std::size_t apps = 0, bytes = 0, hits = 0, misses = 0, evictions = 0, replays = 0;
};

class AppCache {
 public:
  AppCache(const storage::ObjectStore& store, std::size_t max_bytes);

  // The app of `log`, replayed or read on to the log's current state. Never null.
  std::shared_ptr<LoadedApp> get(const eventlog::EventLog& log);
  // Drops a log's app (its log vanished or was cleaned).
  void erase(const std::string& key);
  CacheStats stats() const;

 private:
  struct Slot {
    std::shared_ptr<LoadedApp> app;
    std::list<std::string>::iterator lru;
  };
  void bring_up_to_date(LoadedApp& app, const eventlog::EventLog& log);
  void evict_locked();

  const storage::ObjectStore& store_;
  std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::map<std::string, Slot> slots_;
  std::list<std::string> lru_;  // most recent first
  CacheStats stats_;
};

}  // namespace sp::history
