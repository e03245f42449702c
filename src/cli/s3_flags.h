// The S3 flags every command taking a location shares: --s3-endpoint, --s3-region,
// --s3-path-style, --s3-ca-file. Unset ones come from the environment (storage/location.h).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "storage/location.h"

namespace sp::cli {

void add_s3_flags(CLI::App& cmd, storage::S3Settings& s3);

struct OpenedLocation {
  storage::Location where;
  std::shared_ptr<storage::ObjectStore> store;
};

// The store a location flag names, with the S3 settings of the flags and the environment. An
// s3:// location is listed once now, so an unreachable endpoint, refused credentials or a missing
// bucket fail at start. Errors are a usage CliError: "<flag> <value>: <why>".
OpenedLocation open_location_flag(const std::string& flag, const std::string& value,
                                  const storage::S3Settings& s3, bool create_local);

}  // namespace sp::cli
