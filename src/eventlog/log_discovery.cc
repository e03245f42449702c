// Event-log discovery over an ObjectStore listing (Spark's EventLogFileReader rules).
#include "eventlog/log_discovery.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>

#include "common/error.h"
#include "eventlog/log_name.h"

namespace sp::eventlog {
namespace {

std::string fingerprint_of(const std::vector<storage::ObjectInfo>& files, bool in_progress) {
  std::string text = in_progress ? "inprogress\n" : "complete\n";
  for (const auto& f : files) {
    text += f.key;
    text += '\t';
    text += std::to_string(f.size);
    text += '\t';
    text += f.etag;
    text += '\n';
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(XXH64(text.data(), text.size(), 0)));
  return buf;
}

struct IndexedFile {
  std::int64_t index;
  bool compact;
  storage::ObjectInfo info;
};

EventLog rolling_log(const storage::ObjectStore& store, const storage::ObjectInfo& dir) {
  auto entries = store.list(dir.key);
  std::vector<IndexedFile> events;
  std::optional<AppStatusName> status;
  for (auto& e : entries) {
    if (e.is_prefix) continue;
    std::string_view name = e.name();
    if (auto ev = parse_event_file_name(name)) {
      if (!ev->index) {
        throw Invalid("event file without a numeric index: " + std::string(name));
      }
      events.push_back(IndexedFile{*ev->index, ev->compact, std::move(e)});
    } else if (auto st = parse_app_status_name(name); st && !status) {
      status = st;  // the first in name order, as Spark's files.find
    }
  }
  if (events.empty()) throw Invalid("no event file (events_*) in the rolling log directory");
  if (!status) throw Invalid("no appstatus file in the rolling log directory");

  // Index order, a compact file after the plain file of the same index; then read from the
  // last compact file on (it replaces every event file up to its index).
  std::stable_sort(events.begin(), events.end(), [](const IndexedFile& a, const IndexedFile& b) {
    return a.index != b.index ? a.index < b.index : (!a.compact && b.compact);
  });
  auto last_compact =
      std::find_if(events.rbegin(), events.rend(), [](const IndexedFile& f) { return f.compact; });
  if (last_compact != events.rend()) events.erase(events.begin(), last_compact.base() - 1);
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].index != events.front().index + static_cast<std::int64_t>(i)) {
      std::string have;
      for (const auto& f : events) have += (have.empty() ? "" : ", ") + std::to_string(f.index);
      throw Invalid("missing event file: expected indices " + std::to_string(events.front().index) +
                    ".." + std::to_string(events.back().index) + ", have " + have);
    }
  }

  EventLog log;
  log.key = dir.key;
  log.name = std::string(dir.name());
  log.id = log.name;
  log.rolling = true;
  log.in_progress = status->in_progress;
  for (auto& f : events) {
    auto codec = file_codec(f.info.name());
    if (log.files.empty()) log.codec = codec;
    log.total_size += f.info.size;
    log.files.push_back(std::move(f.info));
  }
  log.last_index = events.back().index;
  log.last_modified_ms = log.files.back().mtime_ms;
  log.fingerprint = fingerprint_of(log.files, log.in_progress);
  return log;
}

}  // namespace

std::optional<Codec> file_codec(std::string_view file_name) {
  std::string ext = codec_extension(file_name);
  if (ext.empty()) return std::nullopt;
  auto codec = codec_from_name(ext);
  if (!codec) {
    throw Invalid("unknown compression codec '" + ext + "' in " + std::string(file_name) +
                  " (expected lz4, lzf, snappy or zstd)");
  }
  return codec;
}

std::optional<EventLog> discover_log(const storage::ObjectStore& store,
                                     const storage::ObjectInfo& entry) {
  std::string_view name = entry.name();
  if (entry.is_prefix) {
    if (!parse_rolling_dir_name(name)) return std::nullopt;
    return rolling_log(store, entry);
  }
  auto parsed = parse_single_log_name(name);
  if (!parsed) return std::nullopt;
  EventLog log;
  log.key = entry.key;
  log.name = std::string(name);
  log.id = parsed->in_progress ? log.name.substr(0, log.name.size() - kInProgressSuffix.size())
                               : log.name;
  log.in_progress = parsed->in_progress;
  log.codec = file_codec(name);
  log.files.push_back(entry);
  log.total_size = entry.size;
  log.last_modified_ms = entry.mtime_ms;
  log.fingerprint = fingerprint_of(log.files, log.in_progress);
  return log;
}

Discovery discover_logs(const storage::ObjectStore& store, std::string_view dir_prefix) {
  Discovery d;
  for (const auto& entry : store.list(dir_prefix)) {
    try {
      if (auto log = discover_log(store, entry)) d.logs.push_back(std::move(*log));
    } catch (const Error& e) {  // Invalid, or an I/O error listing a rolling directory
      d.skipped.push_back(SkippedLog{entry.key, e.what()});
    }
  }
  return d;
}

}  // namespace sp::eventlog
