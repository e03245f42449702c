// The history server's Prometheus metrics, read from the service when scraped: the listing
// (logs, applications, in progress, unreadable), the scans, and the replayed-application
// cache. Request counts and latencies are counted by mount_history (HttpOptions::metrics).
#pragma once

#include <string>

#include "history/history_service.h"

namespace sp::history {

// The text exposition (version 0.0.4) of the sparkplane_history_* gauges and counters.
std::string render_history_metrics(const HistoryService& service);

}  // namespace sp::history
