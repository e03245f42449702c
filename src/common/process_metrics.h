// The process_* metrics Prometheus clients conventionally expose (CPU seconds, resident and
// virtual memory, open files, start time), read from /proc/self when scraped.
#pragma once

#include <string>

namespace sp {

// Text exposition (version 0.0.4); "" where /proc is not there.
std::string render_process_metrics();

}  // namespace sp
