// Which event logs the history cleaner deletes, with Spark's semantics
// (spark.history.fs.cleaner.maxAge / maxNum): first every attempt last updated before
// now - maxAge, and logs that never yielded an application once they are that old; then, while
// more than maxNum logs remain, the completed attempts of the applications with the oldest
// attempts, one application at a time. In-progress attempts are only removed by age.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::history {

struct CleanerPolicy {
  std::chrono::milliseconds max_age = std::chrono::hours(24 * 7);
  std::size_t max_num = static_cast<std::size_t>(INT32_MAX);
};

struct CleanerLog {
  std::string key;                    // the log's key in the store
  std::optional<std::string> app_id;  // nullopt: no application could be read from it
  bool completed = false;
  std::int64_t last_updated_ms = 0;  // the attempt's lastUpdated (file mtime)
};

// The keys to delete, in order.
std::vector<std::string> logs_to_clean(const std::vector<CleanerLog>& logs, std::int64_t now_ms,
                                       const CleanerPolicy& policy);

}  // namespace sp::history
