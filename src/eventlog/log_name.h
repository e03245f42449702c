// Spark's event-log names, parsed exactly as Spark's EventLogFileReader and writers do:
//   single file   <name>[.<codec>][.inprogress]            <name> = sanitized
//   "<appId>[_<attemptId>]" rolling dir   eventlog_v2_<name>/
//     event file  events_<index>_<name>[.<codec>][.compact]
//     status      appstatus_<name>[.inprogress]
// Like Spark, the name is only the log's identity: app and attempt ids are not parsed out of it
// ("local-1430917381535_1" may be app "local-1430917381535" attempt "1" or not); they come from
// the SparkListenerApplicationStart event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp::eventlog {

inline constexpr std::string_view kInProgressSuffix = ".inprogress";
inline constexpr std::string_view kCompactSuffix = ".compact";
inline constexpr std::string_view kRollingDirPrefix = "eventlog_v2_";
inline constexpr std::string_view kEventFilePrefix = "events_";
inline constexpr std::string_view kAppStatusPrefix = "appstatus_";

// Spark's codecName(path): strip ".compact" then ".inprogress", split on "." (dropping trailing
// empty parts, as Java's String.split) and take the last part when there are two or more.
// "" when the name carries no codec. The name is not checked against the known codecs.
std::string codec_extension(std::string_view file_name);

// A single-file log: "<stem>[.<codec>][.inprogress]".
struct SingleLogName {
  std::string stem;        // the name without ".inprogress" and ".<codec>"
  std::string codec_name;  // as written ("zstd"), "" when uncompressed
  bool in_progress = false;
};
// nullopt for names Spark does not read as logs: empty, or hidden (starting with ".").
std::optional<SingleLogName> parse_single_log_name(std::string_view file_name);

// "eventlog_v2_<stem>" -> stem; nullopt without the prefix. (Spark requires a directory.)
std::optional<std::string> parse_rolling_dir_name(std::string_view dir_name);

// "events_<index>_<stem>[.<codec>][.compact]".
struct EventFileName {
  // Spark's getEventLogFileIndex: the text between "events_" and the next "_", as Java's
  // Long.parseLong (optional sign, ASCII digits, 64-bit). nullopt when it does not parse, which
  // makes Spark skip the whole log.
  std::optional<std::int64_t> index;
  std::string codec_name;  // "" when uncompressed
  bool compact = false;    // ends with ".compact": replaces all event files with index <= its own
};
// nullopt when the name does not start with "events_" (not an event file).
std::optional<EventFileName> parse_event_file_name(std::string_view file_name);

// "appstatus_<stem>[.inprogress]".
struct AppStatusName {
  bool in_progress = false;
};
// nullopt when the name does not start with "appstatus_".
std::optional<AppStatusName> parse_app_status_name(std::string_view file_name);

// Spark's Utils.sanitizeDirName: " ", ":" and "/" become "-"; ".", "$", "{", "}", "'" and '"'
// become "_"; ASCII letters are lowercased.
std::string sanitize_name(std::string_view s);

// Spark's EventLogFileWriter.nameForAppAndAttempt: sanitize(appId)[_sanitize(attemptId)].
std::string log_stem(std::string_view app_id, std::optional<std::string_view> attempt_id);

// The names Spark writes, for tests and tools: "<stem>[.<codec>][.inprogress]" and
// "events_<index>_<stem>[.<codec>]".
std::string single_log_name(std::string_view stem, std::string_view codec_name, bool in_progress);
std::string event_file_name(std::int64_t index, std::string_view stem, std::string_view codec_name);

}  // namespace sp::eventlog
