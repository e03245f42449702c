// The driver shim, run as `sparkplane run-driver --dir <attempt dir> -- <argv...>` in its own
// session: it records its pid, runs the driver with logs in the attempt dir, forwards
// SIGTERM/SIGINT to its process group, and records the exit code, so a driver outlives
// `sparkplane up` and can be re-attached from the files alone.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sp::local {

// Files of an attempt directory.
inline constexpr const char* kPidFile = "pid";    // "<shim pid> <start time>\n"
inline constexpr const char* kExitFile = "exit";  // "<code>\n" (128+signal when killed)
inline constexpr const char* kStdoutFile = "stdout.log";
inline constexpr const char* kStderrFile = "stderr.log";
inline constexpr const char* kShimLogFile = "shim.log";  // the shim's own output
inline constexpr const char* kCmdFile = "cmd.json";
inline constexpr const char* kStartedFile = "started";
// Written by the shim when it starts spark-submit: "<epoch seconds.micros> <pid>\n".
inline constexpr const char* kLaunchedFile = "launched";

// Set in the driver's environment to the attempt dir: marks the processes of a driver, so that
// those left behind by a shim that died can still be found and stopped.
inline constexpr const char* kDriverDirEnv = "SPARKPLANE_DRIVER_DIR";

struct PidRecord {
  pid_t pid = 0;
  unsigned long long start_time = 0;
};
std::string format_pid_record(const PidRecord& r);
std::optional<PidRecord> parse_pid_record(const std::string& text);
std::optional<int> parse_exit_record(const std::string& text);

// Runs argv (searched in PATH) with `env` (and SPARKPLANE_DRIVER_DIR=<dir>) added to the
// environment; returns the exit code written to <dir>/exit. Becomes a session leader first
// when it is not already the leader of its process group.
int run_driver_shim(const std::string& dir, const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& env);

// Entry point for the command line: args are "--dir <dir> -- <argv...>" (what follows the
// subcommand name). Returns the process exit code; 2 with a message on stderr for bad usage.
int run_driver_main(const std::vector<std::string>& args);

}  // namespace sp::local
