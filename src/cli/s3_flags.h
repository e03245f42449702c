// The S3 flags every command taking a location shares: --s3-endpoint, --s3-region,
// --s3-path-style, --s3-ca-file. Unset ones come from the environment (storage/location.h).
#pragma once

#include <CLI/CLI.hpp>

#include "storage/location.h"

namespace sp::cli {

void add_s3_flags(CLI::App& cmd, storage::S3Settings& s3);

}  // namespace sp::cli
