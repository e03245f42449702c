// `sparkplane up`: the embedded control plane in one process: the SQLite store, the controller,
// the local spark-submit runtime, the Kubernetes-style API and the history API, on one port.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/cli.h"
#include "cli/s3_flags.h"
#include "cli/stop_signals.h"
#include "cli/ui_flags.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/process_metrics.h"
#include "controller/manager.h"
#include "eventlog/log_shipper.h"
#include "eventlog/ship_loop.h"
#include "history/history_http.h"
#include "history/history_metrics.h"
#include "history/history_service.h"
#include "runtime/local/api_server.h"
#include "runtime/local/database.h"
#include "runtime/local/local_runtime.h"
#include "runtime/local/owner_gc.h"
#include "runtime/local/spark_env.h"
#include "runtime/local/sqlite_store.h"
#include "storage/local_store.h"
#include "storage/location.h"
#include "ui/ui_http.h"

namespace sp::cli {
namespace {

namespace fs = std::filesystem;

struct UpOptions {
  std::string listen = "127.0.0.1:18080";
  std::string state_dir;
  std::string event_log_dir;
  std::string log_level = "info";
  int workers = 4;
  storage::S3Settings s3;
  std::string ui_base_path;
};

local::ApiServer::Options api_options(const std::string& base_path) {
  local::ApiServer::Options o;
  o.base_path = base_path;
  return o;
}

// The driver logs the API serves are the local runtime's attempt files.
class RuntimeLogs final : public local::LogSource {
 public:
  explicit RuntimeLogs(const local::LocalRuntime& runtime) : runtime_(runtime) {}
  std::vector<local::LogAttempt> attempts(const std::string& ns, const std::string& name) override {
    std::vector<local::LogAttempt> out;
    for (const auto& a : runtime_.attempts(ns, name)) {
      out.push_back({a.number, a.stdout_path, a.stderr_path});
    }
    return out;
  }

 private:
  const local::LocalRuntime& runtime_;
};

std::string default_state_dir() {
  if (const char* home = std::getenv("SPARKPLANE_HOME"); home && *home) return home;
  return ".sparkplane";
}

void run_up(const UpOptions& o) {
  // Signals are taken by sigwait below: block them before any thread starts.
  const sigset_t stop_signals = block_stop_signals();

  init_logging(o.log_level);
  const fs::path state = fs::absolute(o.state_dir.empty() ? default_state_dir() : o.state_dir);
  auto [host, port] = local::parse_listen_address(o.listen);
  const std::string base_path = ui_base_path_flag(o.ui_base_path);

  local::Database db(state);  // takes the state dir's lock; a clear error if it is held
  // Spark writes its logs into a local directory. With an s3:// --event-log-dir that directory
  // is a staging area shipped to the bucket as Spark closes files, and the history API reads the
  // bucket: stock Spark, no Hadoop S3A.
  const std::string log_dir =
      o.event_log_dir.empty() ? (state / "spark-events").string() : o.event_log_dir;
  auto [where, history_store] =
      open_location_flag("--event-log-dir", log_dir, o.s3, /*create_local=*/true);
  // A local --event-log-dir was made by open_location_flag; the staging dir is made here.
  const fs::path events = where.is_s3() ? state / "event-log-staging" : where.path;
  std::unique_ptr<eventlog::LogShipper> shipper;
  std::unique_ptr<eventlog::ShipLoop> ship_loop;
  if (where.is_s3()) {
    std::error_code ec;
    fs::create_directories(events, ec);
    if (ec)
      throw Error("cannot create the event log staging directory " + events.string() + ": " +
                  ec.message() + " (check --state-dir)");
    eventlog::ShipOptions so;
    so.state_file = state / "ship-state.json";
    so.in_progress_every = std::chrono::seconds(10);
    shipper = std::make_unique<eventlog::LogShipper>(events, history_store, so);
    ship_loop = std::make_unique<eventlog::ShipLoop>(*shipper, std::chrono::seconds(2));
  }

  std::string spark_problem;
  if (!local::find_spark_env(local::process_env(), &spark_problem)) {
    spdlog::warn("{}; applications will fail to submit until this is fixed", spark_problem);
  }

  SystemClock clock;
  local::SqliteStore store(db, clock);
  MetricsRegistry metrics;
  local::LocalRuntimeOptions ro;
  ro.state_dir = state.string();
  ro.event_log_dir = events.string();
  ro.working_dir = fs::current_path().string();
  local::LocalRuntime runtime(ro);
  RuntimeLogs logs(runtime);
  // Spark's history REST API (/api/v1) over the applications' event logs, on the same port.
  history::HistoryOptions ho;
  ho.update_interval = std::chrono::seconds(2);
  ho.listing_cache = state / "history-listing.json";
  history::HistoryService history(history_store, "", ho);
  local::ApiServer server(
      store,
      [&store](const std::string& ns, const std::string& name) {
        return store.list_events(ns, name);
      },
      logs,
      [&metrics, &history] {
        return metrics.render() + history::render_history_metrics(history) +
               render_process_metrics();
      },
      api_options(base_path));
  const int bound = server.bind(host, port);  // before any work starts: a busy port changes nothing

  history::HttpOptions hh;
  hh.metrics = &metrics;
  hh.base_path = base_path;
  history::mount_history(server.http(), history, hh);
  ui::UiOptions uo;
  uo.control_plane = true;
  uo.base_path = base_path;
  ui::mount_ui(server.http(), uo);
  history.start();
  if (ship_loop) ship_loop->start();

  local::OwnerGarbageCollector gc(store);
  gc.start();
  controller::ManagerOptions mo;
  mo.workers = o.workers;
  controller::Manager manager(store, runtime, clock, metrics, mo);
  manager.start();
  server.start();
  spdlog::info("sparkplane up: serving http://{}:{} (state {}, event logs {})", host, bound,
               state.string(),
               where.is_s3() ? where.describe() + " via " + events.string() : events.string());

  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info(
      "sparkplane up: stopping on signal {}; running drivers keep running and are "
      "re-attached at the next start",
      sig);
  server.stop();
  history.stop();
  manager.stop();
  gc.stop();
  if (ship_loop) ship_loop->stop();  // ships what the last drivers closed
}

}  // namespace

void add_up_command(CLI::App& app, GlobalOptions& /*g*/) {
  auto opts = std::make_shared<UpOptions>();
  auto* cmd = app.add_subcommand(
      "up", "Run the embedded control plane: store, controller, local Spark runtime and API");
  cmd->add_option("--listen", opts->listen, "address to serve the API on")->capture_default_str();
  cmd->add_option("--state-dir", opts->state_dir,
                  "where state, driver logs and event logs live (default $SPARKPLANE_HOME or "
                  "./.sparkplane)");
  cmd->add_option("--event-log-dir", opts->event_log_dir,
                  "Spark event log directory: a path, or s3://bucket/prefix (shipped there from "
                  "<state-dir>/event-log-staging) (default <state-dir>/spark-events)");
  add_s3_flags(*cmd, opts->s3);
  add_ui_base_path_flag(*cmd, opts->ui_base_path);
  cmd->add_option("--log-level", opts->log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  cmd->add_option("--workers", opts->workers, "reconcile workers")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->callback([opts] { run_up(*opts); });
}

void add_run_driver_command(CLI::App& app) {
  app.add_subcommand("run-driver",
                     "(internal) supervise one driver process: run-driver --dir DIR -- ARGV...")
      ->group("")
      ->allow_extras();
}

void add_version_command(CLI::App& app) {
  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "sparkplane " << SPARKPLANE_VERSION << "\n";
  });
}

}  // namespace sp::cli
