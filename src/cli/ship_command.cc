// `sparkplane ship --from DIR --to s3://bucket/prefix`: ships the event logs Spark writes into a
// local directory to object storage as Spark closes them (eventlog/log_shipper.h), every
// --interval until stopped, or once with --once (exit 1 when an upload failed).
#include <signal.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>

#include "cli/cli.h"
#include "cli/duration_flag.h"
#include "cli/s3_flags.h"
#include "cli/stop_signals.h"
#include "common/error.h"
#include "common/log.h"
#include "eventlog/log_shipper.h"
#include "storage/location.h"

namespace sp::cli {
namespace {

struct ShipFlags {
  std::string from, to;
  bool once = false;
  std::string interval = "2s";
  std::string in_progress_every = "30s";
  std::string state_file;
  std::string log_level = "info";
  storage::S3Settings s3;
};

void run_ship(const ShipFlags& f) {
  const sigset_t stop_signals = block_stop_signals();
  init_logging(f.log_level);
  eventlog::ShipOptions o;
  o.state_file = f.state_file;
  o.in_progress_every = std::chrono::duration_cast<std::chrono::milliseconds>(
      parse_duration_flag("--in-progress-every", f.in_progress_every));
  const auto interval = parse_duration_flag("--interval", f.interval);

  auto [to, store] = open_location_flag("--to", f.to, f.s3, /*create_local=*/true);
  std::unique_ptr<eventlog::LogShipper> shipper;
  try {
    const storage::Location from = storage::parse_location(f.from);
    if (from.is_s3()) {
      throw Invalid("must be a local directory: the one Spark writes (spark.eventLog.dir)");
    }
    shipper = std::make_unique<eventlog::LogShipper>(from.path, std::move(store), o);
  } catch (const Error& e) {
    throw CliError(kExitUsage, "--from " + f.from + ": " + e.what());
  }
  spdlog::info("sparkplane ship: {} -> {}", f.from, to.describe());
  for (;;) {
    const eventlog::ShipReport r = shipper->ship_once();
    if (f.once) {
      spdlog::info("sparkplane ship: {} uploaded, {} removed, {} failed", r.uploaded, r.deleted,
                   r.failed);
      if (r.failed > 0) {
        throw CliError(kExitFailed, std::to_string(r.failed) +
                                        " uploads failed (see above); run again to retry them");
      }
      return;
    }
    struct timespec wait {};
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(interval).count();
    wait.tv_sec = static_cast<time_t>(ns / 1000000000);
    wait.tv_nsec = static_cast<long>(ns % 1000000000);
    const int sig = sigtimedwait(&stop_signals, nullptr, &wait);
    if (sig > 0) {
      // One last pass: what Spark closed just before the signal goes too.
      shipper->ship_once();
      spdlog::info("sparkplane ship: stopping on signal {}", sig);
      return;
    }
  }
}

}  // namespace

void add_ship_command(CLI::App& app) {
  auto f = std::make_shared<ShipFlags>();
  auto* cmd = app.add_subcommand(
      "ship",
      "Ship Spark event logs from a local directory to S3 (or another directory) as "
      "Spark closes them");
  cmd->add_option("--from", f->from, "the local directory Spark writes (spark.eventLog.dir)")
      ->required();
  cmd->add_option("--to", f->to, "where they go: s3://bucket/prefix, or a path")->required();
  cmd->add_flag("--once", f->once, "one pass, then exit (1 when an upload failed)");
  cmd->add_option("--interval", f->interval, "time between passes")->capture_default_str();
  cmd->add_option("--in-progress-every", f->in_progress_every,
                  "how often a growing single-file .inprogress log is uploaded again")
      ->capture_default_str();
  cmd->add_option("--state", f->state_file,
                  "what was shipped, to resume after a restart (default "
                  "<from>/.sparkplane-ship.json)");
  cmd->add_option("--log-level", f->log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  add_s3_flags(*cmd, f->s3);
  cmd->callback([f] { run_ship(*f); });
}

}  // namespace sp::cli
