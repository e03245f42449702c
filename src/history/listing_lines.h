// The few events an application listing needs, read without replaying the whole log, as
// Spark's FsHistoryProvider does: from the start, SparkListenerLogStart, ApplicationStart and
// the first EnvironmentUpdate (stopping once both of the latter are seen); from the last
// `tail_bytes` (spark.history.fs.endEventReparseChunkSize), SparkListenerApplicationEnd.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eventlog/log_discovery.h"
#include "storage/object_store.h"

namespace sp::history {

enum class ListingEvent { kNone, kLogStart, kAppStart, kAppEnd, kEnvironment };

// Which listing event a line is, from its first bytes (Spark writes "Event" first).
ListingEvent listing_event(std::string_view line);

struct ListingLines {
  std::vector<std::string> lines;  // in log order: head events, then the end event if found
  std::string error;               // a corrupt or unreadable log: one line; lines may be partial
  std::uint64_t bytes_read = 0;
};

ListingLines read_listing_lines(const storage::ObjectStore& store, const eventlog::EventLog& log,
                                std::uint64_t tail_bytes = 1u << 20);

}  // namespace sp::history
