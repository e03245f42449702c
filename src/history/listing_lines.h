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

// An EnvironmentUpdate line cut down to what the listing uses: the Spark properties that hold
// ACLs (spark.ui.view.acls, spark.admin.acls and their .groups), as Spark's AppListingListener
// reads them. Environments carry the whole classpath (often 100 KB and more); the listing of
// thousands of apps should not build it. The line as is when it cannot be parsed.
std::string listing_environment(std::string_view env_line);

struct ListingLines {
  std::vector<std::string> lines;  // in log order: head events, then the end event if found
  std::string error;               // a corrupt or unreadable log: one line; lines may be partial
  std::uint64_t bytes_read = 0;
};

ListingLines read_listing_lines(const storage::ObjectStore& store, const eventlog::EventLog& log,
                                std::uint64_t tail_bytes = 1u << 20);

}  // namespace sp::history
