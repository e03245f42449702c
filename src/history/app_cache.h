// Applications replayed in full, kept in memory up to a byte budget (not a count: one big app
// can weigh more than a thousand small ones) and evicted least recently used. A request for an
// app not in the cache replays it; concurrent requests for the same app wait for one replay.
// An in-progress log that grew is read on from where its replay stopped when next asked for
// (the replay goes on and is flushed again, as Spark's live UI keeps its store up to date); a
// log whose files were rewritten or compacted away is replayed from its start.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "eventlog/log_discovery.h"
#include "eventlog/log_reader.h"
#include "history/app_store.h"
#include "storage/object_store.h"

namespace sp::history {

// One replayed application. Hold `mu` while reading `store`.
struct LoadedApp {
  std::mutex mu;
  std::unique_ptr<AppStore> store;  // flushed; null until the first replay
  // Where the replay stands in the log, to read on when it grows; null when there is nothing
  // more to read (a completed log read to its end, a corrupt spot).
  std::unique_ptr<eventlog::EventLogReader> reader;
  std::string fingerprint;  // of the log as last read; none after an I/O error (read on)
  std::string error;        // a corrupt spot: the app is served up to it
  std::size_t bytes = 0;    // memory estimate, for the budget
};

struct CacheStats {
  std::size_t apps = 0, bytes = 0, hits = 0, misses = 0, evictions = 0;
  std::size_t replays = 0;       // logs replayed from their start
  std::size_t reads_on = 0;      // replays that went on where they stood, with what a log gained
  std::uint64_t bytes_read = 0;  // from the object store, by both
};

class AppCache {
 public:
  AppCache(const storage::ObjectStore& store, std::size_t max_bytes);

  // The app of `log`, replayed or read on to the log's current state. Never null. Apps are
  // kept by log id, the same for an in-progress log and the completed log it becomes.
  std::shared_ptr<LoadedApp> get(const eventlog::EventLog& log);
  // Drops the app of a log id (its log vanished or was cleaned).
  void erase(const std::string& log_id);
  CacheStats stats() const;

 private:
  struct Slot {
    std::shared_ptr<LoadedApp> app;
    std::list<std::string>::iterator lru;
  };
  enum class Update { kNone, kReplayed, kReadOn };
  // Returns what was done and adds the bytes read from the store to `bytes_read`.
  Update bring_up_to_date(LoadedApp& app, const eventlog::EventLog& log, std::uint64_t& bytes_read);
  void evict_locked();

  const storage::ObjectStore& store_;
  std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::map<std::string, Slot> slots_;  // by log id
  std::list<std::string> lru_;         // most recent first
  CacheStats stats_;
};

}  // namespace sp::history
