#include "cli/duration_flag.h"

#include <cstdio>

#include "cli/cli.h"

namespace sp::cli {

std::chrono::milliseconds parse_duration_flag(const std::string& flag, const std::string& value) {
  auto bad = [&]() -> CliError {
    return CliError(kExitUsage, "invalid " + flag + " \"" + value +
                                    "\": expected a duration such as 30s, 10m, 1h30m or 500ms");
  };
  if (value.empty()) throw bad();
  if (value.find_first_not_of("0123456789") == std::string::npos) {
    if (value.size() > 9) throw bad();
    return std::chrono::seconds(std::stoll(value));
  }
  double total_ms = 0;
  size_t i = 0;
  while (i < value.size()) {
    size_t start = i;
    while (i < value.size() &&
           (std::isdigit(static_cast<unsigned char>(value[i])) || value[i] == '.'))
      ++i;
    if (i == start || i - start > 12) throw bad();
    double n = std::stod(value.substr(start, i - start));
    size_t ustart = i;
    while (i < value.size() && std::isalpha(static_cast<unsigned char>(value[i]))) ++i;
    std::string unit = value.substr(ustart, i - ustart);
    if (unit == "ms") {
      total_ms += n;
    } else if (unit == "s") {
      total_ms += n * 1000;
    } else if (unit == "m") {
      total_ms += n * 60000;
    } else if (unit == "h") {
      total_ms += n * 3600000;
    } else {
      throw bad();
    }
  }
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

std::string format_elapsed(std::chrono::milliseconds d) {
  double s = static_cast<double>(d.count()) / 1000.0;
  char buf[64];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%lldm%llds", static_cast<long long>(s) / 60,
                  static_cast<long long>(s) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lldh%lldm", static_cast<long long>(s) / 3600,
                  (static_cast<long long>(s) % 3600) / 60);
  }
  return buf;
}

}  // namespace sp::cli
