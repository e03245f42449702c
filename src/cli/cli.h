// The `sparkplane` command line: global options, exit codes, and one registration function per
// verb (each verb lives in its own <verb>_command.cc and adds itself to the CLI11 App).
//
// Exit codes of every verb:
//   0  success (for `wait`: the condition was met)
//   1  the operation failed, or the condition was not met (wait timed out, app ended otherwise)
//   2  usage error or bad input (bad flags, a manifest that does not parse or validate)
//   3  a named resource was not found
//   4  the sparkplane server cannot be reached
// Errors are printed as exactly one line per problem on stderr: `error: <what> ...`.
#pragma once

#include <CLI/CLI.hpp>
#include <stdexcept>
#include <string>

namespace sp::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotFound = 3;
inline constexpr int kExitUnreachable = 4;

// Shown at the end of `sparkplane --help`.
inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 ok, 1 operation failed or condition not met, 2 usage or bad input, "
    "3 not found, 4 cannot reach the server.";

struct GlobalOptions {
  // --server, or $SPARKPLANE_SERVER.
  std::string server = "http://127.0.0.1:18080";
  // -n/--namespace.
  std::string namespace_ = "default";
};

// A failure with its exit code; main() prints "error: <what>" and exits with `code`.
class CliError : public std::runtime_error {
 public:
  CliError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// Client verbs (this folder).
void add_apply_command(CLI::App& app, GlobalOptions& g);
void add_get_command(CLI::App& app, GlobalOptions& g);
void add_describe_command(CLI::App& app, GlobalOptions& g);
void add_logs_command(CLI::App& app, GlobalOptions& g);
void add_delete_command(CLI::App& app, GlobalOptions& g);
void add_wait_command(CLI::App& app, GlobalOptions& g);
// `sparkplane eventlog cat|ls`: decode and list Spark event logs (eventlog_command.cc).
void add_eventlog_command(CLI::App& app);
// `sparkplane render-driver` (hidden): a SparkApplication's driver objects as JSON
// (render_driver_command.cc).
void add_render_driver_command(CLI::App& app, GlobalOptions& g);

// ---- registered by the lead engineer's files (up_command.cc, ...) ----------------------------
// `sparkplane up`: store + controller + local runtime + API server in one process.
void add_up_command(CLI::App& app, GlobalOptions& g);
// `sparkplane history-server`: Spark's history REST API over a log directory.
void add_history_server_command(CLI::App& app);
void add_ship_command(CLI::App& app);
// `sparkplane operator`: the controller against a Kubernetes API server (operator_command.cc).
void add_operator_command(CLI::App& app, GlobalOptions& g);
// `sparkplane run-driver`, listed in --help; main() dispatches it before flag parsing to
// run_driver_command (run_driver_command.cc).
void add_run_driver_command(CLI::App& app);
// `sparkplane version`.
void add_version_command(CLI::App& app);
int run_driver_command(int argc, char** argv);

// Adds every verb above to `app` and the global flags --server and -n/--namespace.
void add_all_commands(CLI::App& app, GlobalOptions& g);
// Runs the CLI: parses, dispatches, maps exceptions to the exit codes above.
int run_cli(int argc, char** argv);

}  // namespace sp::cli
