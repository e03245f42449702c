#include "cli/ship_sidecar_flags.h"

#include "cli/cli.h"
#include "cli/s3_flags.h"
#include "common/error.h"

namespace sp::cli {

void add_ship_sidecar_flags(CLI::App& cmd, ShipSidecarFlags& f) {
  cmd.add_option("--ship-image", f.image,
                 "sparkplane image of an event-log ship sidecar for drivers whose "
                 "spark.eventLog.dir is s3:// or s3a:// (default: no sidecar)");
  cmd.add_option("--event-log-dir", f.event_log_dir,
                 "s3://bucket/prefix for apps that enable event logs but name no "
                 "spark.eventLog.dir (needs --ship-image)");
  // Passed to the sidecar (as AWS_ENDPOINT_URL_S3, AWS_REGION, AWS_CA_BUNDLE env and
  // --s3-path-style); the operator itself opens no bucket.
  add_s3_flags(cmd, f.s3);
}

kube::EventLogShipOptions ship_sidecar_options(const ShipSidecarFlags& f) {
  kube::EventLogShipOptions o;
  if (!f.event_log_dir.empty()) {
    if (f.image.empty()) {
      throw CliError(kExitUsage,
                     "--event-log-dir " + f.event_log_dir +
                         ": needs --ship-image (the sidecar that uploads the event logs)");
    }
    bool s3 = false;
    try {
      s3 = storage::parse_location(f.event_log_dir).is_s3();
    } catch (const Error& e) {
      throw CliError(kExitUsage, "--event-log-dir " + f.event_log_dir + ": " + e.what());
    }
    if (!s3) {
      throw CliError(kExitUsage, "--event-log-dir " + f.event_log_dir +
                                     ": expected s3://bucket/prefix (a local directory of the "
                                     "operator means nothing to a driver pod)");
    }
  }
  o.image = f.image;
  o.default_dir = f.event_log_dir;
  o.s3_endpoint = f.s3.endpoint;
  o.s3_region = f.s3.region;
  o.s3_ca_file = f.s3.ca_file;
  o.s3_path_style = f.s3.path_style.value_or(false);
  return o;
}

}  // namespace sp::cli
