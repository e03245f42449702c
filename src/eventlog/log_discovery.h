// Finding the event logs in a log directory of an ObjectStore, as Spark's FsHistoryProvider
// does: single files (not hidden) and rolling directories "eventlog_v2_*" with at least one
// event file and an appstatus file; for a rolling log the files to read in order, after the
// last compact file. Anything else is ignored; logs Spark would fail on are reported as skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventlog/codec.h"
#include "storage/object_store.h"

namespace sp::eventlog {

struct EventLog {
  // The file's key, or the rolling directory's prefix key (ending with "/").
  std::string key;
  // The entry's name as Spark shows it (its logPath): "app-1.lz4.inprogress", "eventlog_v2_app-1".
  std::string name;
  // The name without ".inprogress": stays the same when an in-progress log completes.
  std::string id;
  bool rolling = false;
  bool in_progress = false;
  // The codec of the first file to read (Spark's compressionCodec); nullopt when uncompressed.
  std::optional<Codec> codec;
  // The files to read, in order (one for a single-file log).
  std::vector<storage::ObjectInfo> files;
  // The index of the last event file of a rolling log (Spark's lastIndex).
  std::optional<std::int64_t> last_index;
  std::uint64_t total_size = 0;       // sum of the files' sizes
  std::int64_t last_modified_ms = 0;  // the last file's mtime (Spark's modificationTime)
  // Changes whenever any file of the log changes (name, size, etag) or its status does.
  std::string fingerprint;
};

struct SkippedLog {
  std::string key;
  std::string reason;  // why it cannot be read, e.g. "missing event file 3 (have 1, 2, 4)"
};

struct Discovery {
  std::vector<EventLog> logs;  // in key order
  std::vector<SkippedLog> skipped;
};

// The logs directly under `dir_prefix` ("" for the store's root).
Discovery discover_logs(const storage::ObjectStore& store, std::string_view dir_prefix);

// One entry of a listing (a file, or a prefix for a directory): nullopt when it is not an
// event log (a hidden file, a directory not named eventlog_v2_*). Throws sp::Invalid with the
// reason when it looks like a log Spark could not read: a rolling directory without event
// files or without an appstatus file (also briefly true while an app starts), an event file
// without a numeric index, a gap in the indices, an unknown codec extension.
std::optional<EventLog> discover_log(const storage::ObjectStore& store,
                                     const storage::ObjectInfo& entry);

// The codec a file of a log is written with, from its name; throws sp::Invalid for an
// extension that is not a known codec.
std::optional<Codec> file_codec(std::string_view file_name);

}  // namespace sp::eventlog
