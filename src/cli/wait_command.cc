// `sparkplane wait sparkapp/NAME|NAME --for=state=COMPLETED|--for=delete [--timeout=10m]`:
// blocks until the application reaches the state, printing each state change to stderr with
// the time elapsed ("RUNNING after 3.2s"). Exit codes: 0 reached; 1 timed out, deleted, or
// ended in another terminal state (the errorMessage is printed); 2 bad flags; 3 not found;
// 4 server unreachable.
#include <iostream>
#include <thread>

#include "api/types.h"
#include "cli/cli.h"
#include "cli/client.h"
#include "cli/duration_flag.h"
#include "cli/printers.h"
#include "common/error.h"

namespace sp::cli {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(500);

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void add_wait_command(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::string target;
    std::string for_;
    std::string timeout = "10m";
  };
  auto a = std::make_shared<Args>();
  auto* cmd =
      app.add_subcommand("wait", "Wait until a SparkApplication reaches a state (or is deleted)");
  cmd->add_option("name", a->target, "NAME or sparkapp/NAME")->required();
  cmd->add_option("--for", a->for_, "state=STATE (e.g. state=COMPLETED, state=RUNNING) or delete")
      ->required();
  cmd->add_option("--timeout", a->timeout, "give up after this long (e.g. 90s, 10m, 1h)")
      ->capture_default_str();
  cmd->footer(
      "Exit codes: 0 the condition was met; 1 timed out, or the application ended in another "
      "terminal state, or was deleted; 2 usage or bad input; 3 not found; 4 cannot reach the "
      "server.");
  cmd->callback([&g, a] {
    auto timeout = parse_duration_flag("--timeout", a->timeout);
    auto [type, name] = parse_type_and_name(a->target, spark_applications());
    bool for_delete = a->for_ == "delete";
    std::string wanted;
    if (!for_delete) {
      const std::string prefix = "state=";
      if (a->for_.rfind(prefix, 0) != 0 || a->for_.size() == prefix.size()) {
        throw CliError(kExitUsage, "invalid --for \"" + a->for_ +
                                       "\": use --for=state=STATE (e.g. state=COMPLETED) or "
                                       "--for=delete");
      }
      wanted = upper(a->for_.substr(prefix.size()));
      if (type == &spark_applications() && wanted != "UNKNOWN" &&
          api::app_state_from_string(wanted) == api::AppState::kUnknown) {
        throw CliError(kExitUsage,
                       "unknown state \"" + wanted +
                           "\": use one of SUBMITTED, RUNNING, SUCCEEDING, COMPLETED, FAILING, "
                           "FAILED, SUBMISSION_FAILED, PENDING_RERUN, SUSPENDED");
      }
    }
    const char* state_path =
        type == &spark_applications() ? "status.applicationState.state" : "status.scheduleState";
    ApiClient client(g);
    const std::string ref = type->qualified() + "/" + name;
    auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
    };
    std::optional<std::string> last_state;
    for (;;) {
      auto obj = client.get(*type, g.namespace_, name);
      if (for_delete) {
        if (!obj) {
          std::cout << ref << " condition met" << std::endl;
          return;
        }
      } else {
        if (!obj) {
          if (!last_state) throw NotFound(type->qualified() + " \"" + name + "\" not found");
          throw CliError(kExitFailed, ref + " was deleted while waiting for state " + wanted);
        }
        std::string state = field(*obj, state_path);
        if (!last_state || *last_state != state) {
          std::cerr << (state.empty() ? "NEW" : state) << " after " << format_elapsed(elapsed())
                    << std::endl;
          last_state = state;
        }
        if (state == wanted) {
          std::cout << ref << " condition met" << std::endl;
          return;
        }
        if (type == &spark_applications() && api::is_terminal(api::app_state_from_string(state))) {
          std::string msg = field(*obj, "status.applicationState.errorMessage");
          throw CliError(kExitFailed, ref + " ended " + state + ", not " + wanted +
                                          (msg.empty() ? "" : ": " + msg));
        }
      }
      if (elapsed() >= timeout) {
        throw CliError(kExitFailed,
                       "timed out after " + a->timeout + " waiting for " + ref +
                           (for_delete ? " to be deleted"
                                       : " to reach " + wanted + " (it is " +
                                             (last_state->empty() ? "NEW" : *last_state) + ")"));
      }
      std::this_thread::sleep_for(kPollInterval);
    }
  });
}

}  // namespace sp::cli
