// The history server without its HTTP layer: keeps the listing of a log directory fresh with
// incremental scans, replays applications on demand into a cache bounded by memory, follows
// in-progress logs from where they stopped, applies ACLs and the cleaner, and answers
// /api/v1 paths. Both `sparkplane history-server` and `sparkplane up` serve it (history_http.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "eventlog/log_discovery.h"
#include "history/acl.h"
#include "history/app_cache.h"
#include "history/cleaner.h"
#include "history/listing_cache.h"
#include "history/rest_api.h"
#include "storage/object_store.h"

namespace sp::history {

struct HistoryOptions {
  std::chrono::milliseconds update_interval{10'000};  // spark.history.fs.update.interval
  std::size_t cache_bytes = std::size_t{1} << 30;     // replayed apps kept in memory
  std::uint64_t end_event_chunk = 1u << 20;           // spark.history.fs.endEventReparseChunkSize
  AclConfig acls;
  bool cleaner = false;  // spark.history.fs.cleaner.enabled
  CleanerPolicy cleaner_policy;
  std::chrono::milliseconds cleaner_interval = std::chrono::hours(24);
  // Deletes one log (a file or a rolling directory) by key; the cleaner does nothing without.
  std::function<void(const std::string& key)> remove;
  unsigned scan_threads = 0;  // 0: one per core (16 for a remote store)
  // Where the listing is kept between runs (spark.history.store.path's role); "" : nowhere.
  std::filesystem::path listing_cache;
  std::string spark_version = "4.1.1";  // answered by /version
};

// One answer: status, content type, body.
struct Answer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct ScanStats {
  std::size_t logs = 0, summarized = 0, unchanged = 0, failed = 0, removed = 0;
  std::size_t restored = 0;  // listed from the listing cache of an earlier run, not read
  std::uint64_t bytes_read = 0;
};

// What the listing holds now (for /metrics).
struct ListingCounts {
  std::size_t logs = 0;         // event logs found
  std::size_t apps = 0;         // distinct application ids
  std::size_t in_progress = 0;  // attempts without an end event
  std::size_t unreadable = 0;   // logs that could not be read (problems())
};

// Since the service started (for /metrics).
struct ScanTotals {
  std::uint64_t scans = 0;
  std::uint64_t list_failures = 0;    // scans that could not list the log directory
  std::uint64_t logs_summarized = 0;  // logs read (new or changed)
  std::uint64_t logs_restored = 0;    // listed from the listing cache without reading
  double last_duration_seconds = 0;   // of the last scan
  double last_end_unix_seconds = 0;   // when it ended; 0: none yet
};

class HistoryService {
 public:
  HistoryService(std::shared_ptr<const storage::ObjectStore> store, std::string dir_prefix,
                 HistoryOptions options);
  ~HistoryService();
  HistoryService(const HistoryService&) = delete;
  HistoryService& operator=(const HistoryService&) = delete;

  // One incremental scan now: new and changed logs are summarized, vanished ones dropped.
  ScanStats scan();
  // Scans every update_interval (and cleans, when enabled) on a thread until stop().
  void start();
  void stop();

  // `api_path` is what follows "/api/v1/"; the query as decoded parameters.
  Answer answer(const std::string& api_path, const QueryParams& query, const Viewer& viewer);

  // The event log files of an application (or one attempt) as a zip, streamed into `sink`;
  // an Answer with the error status when there is nothing to stream (404, 403).
  std::optional<Answer> check_logs(const std::string& app_id,
                                   const std::optional<std::string>& attempt_id,
                                   const Viewer& viewer);
  bool stream_logs(const std::string& app_id, const std::optional<std::string>& attempt_id,
                   const std::function<bool(std::string_view)>& sink);

  CacheStats cache_stats() const { return cache_.stats(); }
  ListingCounts listing_counts() const;
  ScanTotals scan_totals() const;

  // Logs that could not be read, each with its one-line reason (listed, and in the log).
  std::vector<std::pair<std::string, std::string>> problems() const;

 private:
  struct Indexed {
    eventlog::EventLog log;
    std::optional<AttemptSummary> summary;
    std::string error;
  };
  std::vector<const Indexed*> attempts_of(const std::string& app_id) const;
  const Indexed* find(const std::string& app_id, const std::optional<std::string>& attempt) const;
  Indexed summarize(const eventlog::EventLog& log) const;
  void clean();
  void loop();
  // Saves the listing cache when it changed (at most every kSaveListingEvery, unless `now`).
  void save_listing(bool now);

  std::shared_ptr<const storage::ObjectStore> store_;
  std::string dir_;
  HistoryOptions opt_;
  AppCache cache_;

  mutable std::shared_mutex mu_;          // guards index_
  std::map<std::string, Indexed> index_;  // by log key
  std::mutex scan_mu_;                    // one scan at a time
  // Guarded by scan_mu_: the earlier run's listing (entries are used once, by the first scan
  // that finds their log unchanged), and when it was last saved.
  ListingCache restored_;
  bool listing_dirty_ = false;
  std::optional<std::chrono::steady_clock::time_point> listing_saved_;
  static constexpr std::chrono::seconds kSaveListingEvery{30};
  mutable std::mutex totals_mu_;
  ScanTotals totals_;  // guarded by totals_mu_
  // Counts a finished scan into totals_.
  void count_scan(const ScanStats& stats, bool listed, std::chrono::steady_clock::time_point began);

  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sp::history
