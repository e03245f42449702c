#include "common/time_format.h"

#include <date/date.h>

#include <sstream>

namespace sp {

std::string format_rfc3339(Time t) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", date::floor<std::chrono::seconds>(t));
}

std::optional<Time> parse_rfc3339(const std::string& s) {
  for (const char* f : {"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%Ez"}) {
    std::istringstream in(s);
    date::sys_time<std::chrono::microseconds> tp;
    in >> date::parse(f, tp);
    if (!in.fail()) {
      in.peek();
      if (in.eof()) return std::chrono::time_point_cast<Duration>(tp);
    }
  }
  return std::nullopt;
}

std::string format_age(Duration d) {
  auto total = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (total < 0) total = 0;
  const long long days = total / 86400, hours = total % 86400 / 3600, mins = total % 3600 / 60,
                  secs = total % 60;
  std::string out;
  if (days > 0) return std::to_string(days) + "d" + (hours ? std::to_string(hours) + "h" : "");
  if (hours > 0) return std::to_string(hours) + "h" + (mins ? std::to_string(mins) + "m" : "");
  if (mins > 0) return std::to_string(mins) + "m" + (secs ? std::to_string(secs) + "s" : "");
  return std::to_string(secs) + "s";
}

}  // namespace sp
