// Parsing and dispatch of `sparkplane`, and the mapping of failures to exit codes (cli.h).
#include <iostream>
#include <string_view>

#include "cli/cli.h"
#include "common/error.h"
#include "common/http_client.h"

namespace sp::cli {
namespace {

// Prints each line of a (possibly multi-line) message as its own "error: " line.
void print_error(const std::string& message) {
  size_t i = 0;
  while (i <= message.size()) {
    size_t j = message.find('\n', i);
    if (j == std::string::npos) j = message.size();
    if (j > i) std::cerr << "error: " << message.substr(i, j - i) << "\n";
    i = j + 1;
  }
}

}  // namespace

void add_all_commands(CLI::App& app, GlobalOptions& g) {
  app.add_option("--server", g.server, "sparkplane API address")
      ->envname("SPARKPLANE_SERVER")
      ->capture_default_str();
  app.add_option("-n,--namespace", g.namespace_, "namespace of the resources")
      ->capture_default_str();
  add_apply_command(app, g);
  add_get_command(app, g);
  add_describe_command(app, g);
  add_logs_command(app, g);
  add_delete_command(app, g);
  add_wait_command(app, g);
  add_eventlog_command(app);
  add_render_driver_command(app, g);
  // Registered by the lead engineer's files.
  add_up_command(app, g);
  add_history_server_command(app);
  add_ship_command(app);
  add_operator_command(app, g);
  add_run_driver_command(app);
  add_version_command(app);
}

int run_cli(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "run-driver") return run_driver_command(argc, argv);

  CLI::App app{
      "sparkplane: run Apache Spark applications declared as SparkApplication "
      "resources, with their history",
      "sparkplane"};
  app.footer(kExitCodesHelp);
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions g;
  add_all_commands(app, g);
  try {
    app.parse(argc, argv);
    return kExitOk;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    print_error(std::string(e.what()) + " (see sparkplane --help)");
    return kExitUsage;
  } catch (const CliError& e) {
    print_error(e.what());
    return e.code();
  } catch (const Unreachable& e) {
    print_error(e.what());
    return kExitUnreachable;
  } catch (const NotFound& e) {
    print_error(e.what());
    return kExitNotFound;
  } catch (const Invalid& e) {
    print_error(e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitFailed;
  }
}

}  // namespace sp::cli
