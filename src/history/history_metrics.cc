#include "history/history_metrics.h"

#include "common/metrics.h"

namespace sp::history {

std::string render_history_metrics(const HistoryService& service) {
  const ListingCounts l = service.listing_counts();
  const ScanTotals s = service.scan_totals();
  const CacheStats c = service.cache_stats();
  auto d = [](auto v) { return static_cast<double>(v); };
  std::string out;
  append_sample(out, "sparkplane_history_logs", "gauge", "Event logs in the listing.", d(l.logs));
  append_sample(out, "sparkplane_history_applications", "gauge", "Applications in the listing.",
                d(l.apps));
  append_sample(out, "sparkplane_history_attempts_in_progress", "gauge",
                "Application attempts whose log has no end event yet.", d(l.in_progress));
  append_sample(out, "sparkplane_history_logs_unreadable", "gauge",
                "Event logs that could not be read (corrupt, truncated or refused).",
                d(l.unreadable));
  append_sample(out, "sparkplane_history_scans_total", "counter", "Scans of the log directory.",
                d(s.scans));
  append_sample(out, "sparkplane_history_scan_failures_total", "counter",
                "Scans that could not list the log directory.", d(s.list_failures));
  append_sample(out, "sparkplane_history_logs_read_total", "counter",
                "New or changed event logs read by scans.", d(s.logs_summarized));
  append_sample(out, "sparkplane_history_logs_restored_total", "counter",
                "Unchanged event logs listed from the listing cache without reading.",
                d(s.logs_restored));
  append_sample(out, "sparkplane_history_last_scan_duration_seconds", "gauge",
                "How long the last scan took.", s.last_duration_seconds);
  append_sample(out, "sparkplane_history_last_scan_timestamp_seconds", "gauge",
                "When the last scan ended (Unix time; 0 before the first).",
                s.last_end_unix_seconds);
  append_sample(out, "sparkplane_history_cache_applications", "gauge",
                "Replayed applications held in memory.", d(c.apps));
  append_sample(out, "sparkplane_history_cache_bytes", "gauge",
                "Memory held by replayed applications (estimate).", d(c.bytes));
  append_sample(out, "sparkplane_history_cache_hits_total", "counter",
                "Requests answered from a replayed application.", d(c.hits));
  append_sample(out, "sparkplane_history_cache_misses_total", "counter",
                "Requests that needed a replay or a read-on.", d(c.misses));
  append_sample(out, "sparkplane_history_cache_evictions_total", "counter",
                "Replayed applications dropped to stay within the cache size.", d(c.evictions));
  append_sample(out, "sparkplane_history_replays_total", "counter",
                "Event logs replayed from their start.", d(c.replays));
  append_sample(out, "sparkplane_history_reads_on_total", "counter",
                "Replays that went on with what a growing log gained.", d(c.reads_on));
  append_sample(out, "sparkplane_history_replay_bytes_read_total", "counter",
                "Bytes of event logs read by replays.", d(c.bytes_read));
  return out;
}

}  // namespace sp::history
