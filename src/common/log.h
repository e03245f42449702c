// Process-wide logging (spdlog to stderr). Never log credentials or tokens.
#pragma once

#include <spdlog/spdlog.h>

#include <string>

namespace sp {

// level: trace, debug, info, warn, error, off.
void init_logging(const std::string& level);

}  // namespace sp
