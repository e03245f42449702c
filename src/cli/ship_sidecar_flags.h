// The flags of the operator's event-log ship sidecar (--ship-image, --event-log-dir and the S3
// flags), shared by `operator` and `render-driver` so a render shows what the operator creates.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "runtime/kube/driver_resources.h"
#include "storage/location.h"

namespace sp::cli {

struct ShipSidecarFlags {
  std::string image;
  std::string event_log_dir;
  storage::S3Settings s3;
};

void add_ship_sidecar_flags(CLI::App& cmd, ShipSidecarFlags& f);

// The sidecar's settings from the flags only: the operator's own environment is not the
// sidecar's, so unset ones are left to the application's env and the ship image's defaults.
// Throws a usage CliError for --event-log-dir without --ship-image or not s3://.
kube::EventLogShipOptions ship_sidecar_options(const ShipSidecarFlags& f);

}  // namespace sp::cli
