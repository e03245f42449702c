// Durations given on the command line: "10m", "30s", "1h30m", "500ms", or a bare number of
// seconds, as kubectl's --timeout takes them.
#pragma once

#include <chrono>
#include <string>

namespace sp::cli {

// Throws CliError(2) naming the flag on a malformed value.
std::chrono::milliseconds parse_duration_flag(const std::string& flag, const std::string& value);

// "3.2s", "1m4s": how long something took, for progress lines.
std::string format_elapsed(std::chrono::milliseconds d);

}  // namespace sp::cli
