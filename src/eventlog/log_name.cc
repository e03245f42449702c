// Spark's event-log naming rules (EventLogFileWriters.scala, EventLogFileReaders.scala).
#include "eventlog/log_name.h"

#include <limits>
#include <vector>

namespace sp::eventlog {
namespace {

std::string_view strip_suffix(std::string_view s, std::string_view suffix) {
  if (s.ends_with(suffix)) s.remove_suffix(suffix.size());
  return s;
}

// Java's Long.parseLong over ASCII: [+-]?[0-9]+ within int64.
std::optional<std::int64_t> parse_java_long(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  // Accumulate negatively so that INT64_MIN parses.
  std::int64_t value = 0;
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    int digit = c - '0';
    if (value < (kMin + digit) / 10) return std::nullopt;
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == kMin) return std::nullopt;
    value = -value;
  }
  return value;
}

}  // namespace

std::string codec_extension(std::string_view file_name) {
  std::string_view s = strip_suffix(strip_suffix(file_name, kCompactSuffix), kInProgressSuffix);
  // Java's split drops trailing empty strings.
  while (!s.empty() && s.back() == '.') s.remove_suffix(1);
  auto dot = s.rfind('.');
  if (dot == std::string_view::npos) return "";  // one part: no codec
  return std::string(s.substr(dot + 1));
}

std::optional<SingleLogName> parse_single_log_name(std::string_view file_name) {
  if (file_name.empty() || file_name.front() == '.') return std::nullopt;
  SingleLogName n;
  n.in_progress = file_name.ends_with(kInProgressSuffix);
  n.codec_name = codec_extension(file_name);
  std::string_view stem = strip_suffix(strip_suffix(file_name, kCompactSuffix), kInProgressSuffix);
  while (!stem.empty() && stem.back() == '.') stem.remove_suffix(1);
  if (!n.codec_name.empty()) stem.remove_suffix(n.codec_name.size() + 1);
  n.stem = std::string(stem);
  return n;
}

std::optional<std::string> parse_rolling_dir_name(std::string_view dir_name) {
  if (!dir_name.starts_with(kRollingDirPrefix)) return std::nullopt;
  return std::string(dir_name.substr(kRollingDirPrefix.size()));
}

std::optional<EventFileName> parse_event_file_name(std::string_view file_name) {
  if (!file_name.starts_with(kEventFilePrefix)) return std::nullopt;
  EventFileName n;
  std::string_view rest = file_name.substr(kEventFilePrefix.size());
  // Java: rest.split("_")(0): the text before the first "_" (all of it when there is none).
  n.index = parse_java_long(rest.substr(0, rest.find('_')));
  n.codec_name = codec_extension(file_name);
  n.compact = file_name.ends_with(kCompactSuffix);
  return n;
}

std::optional<AppStatusName> parse_app_status_name(std::string_view file_name) {
  if (!file_name.starts_with(kAppStatusPrefix)) return std::nullopt;
  return AppStatusName{file_name.ends_with(kInProgressSuffix)};
}

std::string sanitize_name(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    switch (c) {
      case ' ':
      case ':':
      case '/':
        c = '-';
        break;
      case '.':
      case '$':
      case '{':
      case '}':
      case '\'':
      case '"':
        c = '_';
        break;
      default:
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string log_stem(std::string_view app_id, std::optional<std::string_view> attempt_id) {
  std::string out = sanitize_name(app_id);
  if (attempt_id) {
    out += '_';
    out += sanitize_name(*attempt_id);
  }
  return out;
}

std::string single_log_name(std::string_view stem, std::string_view codec_name, bool in_progress) {
  std::string out(stem);
  if (!codec_name.empty()) {
    out += '.';
    out += codec_name;
  }
  if (in_progress) out += kInProgressSuffix;
  return out;
}

std::string event_file_name(std::int64_t index, std::string_view stem,
                            std::string_view codec_name) {
  std::string out(kEventFilePrefix);
  out += std::to_string(index);
  out += '_';
  out += stem;
  if (!codec_name.empty()) {
    out += '.';
    out += codec_name;
  }
  return out;
}

}  // namespace sp::eventlog
