// The listing kept on local disk between runs (as Spark's spark.history.store.path keeps its
// listing database): for each log, its fingerprint and what summarizing it found. A restarted
// server lists logs whose fingerprint has not changed from here, without reading them again:
// with logs in S3, a restart costs a few LIST requests instead of a GET per application.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "history/app_summary.h"

namespace sp::history {

struct CachedListing {
  std::string fingerprint;
  std::optional<AttemptSummary> summary;
  std::string error;
};

using ListingCache = std::map<std::string, CachedListing>;  // by log key

// What `file` holds for `location` (the log directory it was made for); empty when the file is
// absent, unreadable (a warning, nothing lost: logs are read again), of another version or
// made for another location.
ListingCache load_listing_cache(const std::filesystem::path& file, const std::string& location);

// Writes it whole (a temporary file renamed over it). Throws sp::Error when it cannot.
void save_listing_cache(const std::filesystem::path& file, const std::string& location,
                        const ListingCache& cache);

}  // namespace sp::history
