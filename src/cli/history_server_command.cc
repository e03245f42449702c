// `sparkplane history-server`: Spark's History Server REST API over a log directory, as a
// replacement for org.apache.spark.deploy.history.HistoryServer.
#include <httplib.h>
#include <signal.h>

#include <filesystem>
#include <iostream>

#include "cli/cli.h"
#include "cli/duration_flag.h"
#include "cli/s3_flags.h"
#include "cli/stop_signals.h"
#include "cli/ui_flags.h"
#include "common/error.h"
#include "common/http_server.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/process_metrics.h"
#include "common/quantity.h"
#include "history/history_http.h"
#include "history/history_metrics.h"
#include "history/history_service.h"
#include "storage/location.h"
#include "ui/ui_http.h"

namespace sp::cli {
namespace {

namespace fs = std::filesystem;

struct HistoryFlags {
  std::string log_dir = "/tmp/spark-events";  // Spark's default spark.history.fs.logDirectory
  std::string listen = "127.0.0.1:18080";
  std::string update_interval = "10s";
  std::string cache_size = "1Gi";
  std::string end_event_chunk = "1Mi";
  bool acls = false;
  std::string admin_acls, admin_acl_groups;
  std::string user_header, groups_header;
  bool cleaner = false;
  std::string cleaner_max_age = "168h", cleaner_interval = "24h";
  std::size_t cleaner_max_num = static_cast<std::size_t>(INT32_MAX);
  int threads = 64;  // httplib holds a thread per keep-alive connection
  storage::S3Settings s3;
  std::string store_path;
  std::string ui_base_path;
  std::string log_level = "info";
};

std::int64_t bytes_flag(const std::string& flag, const std::string& value) {
  auto n = try_parse_memory_bytes(value, 1);
  if (!n || *n <= 0)
    throw CliError(kExitUsage, flag + " " + value + ": expected a size such as 512Mi or 2G");
  return *n;
}

void run_history_server(const HistoryFlags& f) {
  const sigset_t stop_signals = block_stop_signals();
  init_logging(f.log_level);

  history::HistoryOptions o;
  o.update_interval = parse_duration_flag("--update-interval", f.update_interval);
  o.cache_bytes = static_cast<std::size_t>(bytes_flag("--cache-size", f.cache_size));
  o.end_event_chunk =
      static_cast<std::uint64_t>(bytes_flag("--end-event-chunk", f.end_event_chunk));
  o.acls.enabled = f.acls;
  o.acls.admins = history::split_acl_list(f.admin_acls);
  o.acls.admin_groups = history::split_acl_list(f.admin_acl_groups);
  o.cleaner = f.cleaner;
  o.cleaner_policy.max_age = parse_duration_flag("--cleaner-max-age", f.cleaner_max_age);
  o.cleaner_policy.max_num = f.cleaner_max_num;
  o.cleaner_interval = parse_duration_flag("--cleaner-interval", f.cleaner_interval);
  if (f.acls && f.user_header.empty())
    spdlog::warn("--acls without --user-header: every request is refused (no user is known)");

  auto [where, store] = open_location_flag("--log-dir", f.log_dir, f.s3, /*create_local=*/false);
  o.remove = [store = store](const std::string& key) { store->remove_tree(key); };
  if (!f.store_path.empty()) {
    std::error_code ec;
    fs::create_directories(f.store_path, ec);
    if (ec)
      throw CliError(kExitUsage, "--store-path " + f.store_path + ": " + ec.message() +
                                     " (a writable local directory)");
    o.listing_cache = fs::path(f.store_path) / "listing-v1.json";
  }
  auto [host, port] = parse_listen_address(f.listen);

  history::HistoryService service(store, "", o);
  httplib::Server http;
  configure_http_server(http, f.threads);
  const std::string base_path = ui_base_path_flag(f.ui_base_path);
  MetricsRegistry metrics;
  history::mount_history(http, service, {f.user_header, f.groups_header, base_path, &metrics});
  ui::UiOptions uo;
  uo.base_path = base_path;
  ui::mount_ui(http, uo);
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  http.Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        metrics.render() + history::render_history_metrics(service) + render_process_metrics(),
        "text/plain; version=0.0.4; charset=utf-8");
  });
  const int bound = bind_http_server(http, host, port);
  service.start();
  std::thread server([&http] { http.listen_after_bind(); });
  spdlog::info("sparkplane history-server: serving http://{}:{}/api/v1 over {}", host, bound,
               where.describe());
  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info("sparkplane history-server: stopping on signal {}", sig);
  http.stop();
  server.join();
  service.stop();
}

}  // namespace

void add_history_server_command(CLI::App& app) {
  auto f = std::make_shared<HistoryFlags>();
  auto* cmd = app.add_subcommand(
      "history-server", "Serve Spark's history REST API (/api/v1) over a directory of event logs");
  cmd->add_option("--log-dir", f->log_dir,
                  "event log directory: a path, file:///path or s3://bucket/prefix (s3a:// too)")
      ->capture_default_str();
  add_s3_flags(*cmd, f->s3);
  cmd->add_option("--listen", f->listen, "address to serve on")->capture_default_str();
  cmd->add_option("--update-interval", f->update_interval,
                  "how often the directory is scanned for new and changed logs")
      ->capture_default_str();
  cmd->add_option("--cache-size", f->cache_size, "memory for replayed applications")
      ->capture_default_str();
  cmd->add_option("--end-event-chunk", f->end_event_chunk,
                  "bytes read from a log's end to find its end event when listing")
      ->capture_default_str();
  cmd->add_flag("--acls", f->acls, "check view ACLs (spark.history.ui.acls.enable)");
  cmd->add_option("--admin-acls", f->admin_acls, "users who may view every app (comma-separated)");
  cmd->add_option("--admin-acl-groups", f->admin_acl_groups, "groups who may view every app");
  cmd->add_option("--user-header", f->user_header,
                  "trusted header naming the user, set by your proxy (e.g. X-Forwarded-User)");
  cmd->add_option("--groups-header", f->groups_header,
                  "trusted header listing the user's groups (e.g. X-Forwarded-Groups)");
  cmd->add_flag("--cleaner", f->cleaner, "delete old logs (spark.history.fs.cleaner.enabled)");
  cmd->add_option("--cleaner-max-age", f->cleaner_max_age, "delete logs older than this")
      ->capture_default_str();
  cmd->add_option("--cleaner-max-num", f->cleaner_max_num, "keep at most this many logs");
  cmd->add_option("--cleaner-interval", f->cleaner_interval, "how often the cleaner runs")
      ->capture_default_str();
  cmd->add_option("--store-path", f->store_path,
                  "local directory where the listing is kept between runs, so that a restart "
                  "reads only new and changed logs (spark.history.store.path)");
  add_ui_base_path_flag(*cmd, f->ui_base_path);
  cmd->add_option("--threads", f->threads, "HTTP worker threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--log-level", f->log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  cmd->callback([f] { run_history_server(*f); });
}

}  // namespace sp::cli
