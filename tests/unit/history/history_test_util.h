// Test helpers for the history model: replay a folder of event logs (plain files and rolling
// directories) into AppStores, route /api/v1 URLs to them, and diff JSON answers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "history/app_store.h"
#include "history/rest_api.h"

namespace sp::history::testing {

struct LoadedLogs {
  std::vector<std::unique_ptr<AppStore>> stores;
  std::vector<AttemptSummary> summaries;  // one per store, same order
  std::vector<std::string> paths;
};

// Replays every log under `dir`: regular files as single logs, `eventlog_v2_*` directories
// as rolling logs (events_<n>_* in index order). Hidden files are skipped.
LoadedLogs load_log_dir(const std::string& dir, const RetentionLimits& limits = {});

// Replays one log file (or rolling directory) into a finished store.
std::unique_ptr<AppStore> load_log(const std::string& path, const RetentionLimits& limits = {});

// The lines of one log file (or of a rolling directory's files in order), as load_log feeds
// them, and its modification time (epoch ms) as load_log sets it.
std::vector<std::string> log_lines(const std::string& path);
int64_t log_mtime_ms(const std::string& path);

// Answers a URL relative to /api/v1/ ("applications?status=completed", "applications/x/jobs").
Response route(const LoadedLogs& logs, const std::string& url);

// The URLs of a file of recorded answers (tests/unit/history/data/*.tsv, see
// recorded_answers_test.cc) and the retention limits they were recorded with.
struct RecordedUrls {
  RetentionLimits limits;
  std::vector<std::string> urls;
};
RecordedUrls read_recorded_urls(const std::string& tsv_path);

// The first of `urls` that `a` and `b` answer differently (status, content type or body), with
// both answers; nullopt when they agree on all.
std::optional<std::string> first_difference(const LoadedLogs& a, const LoadedLogs& b,
                                            const std::vector<std::string>& urls);

// Sets lastUpdated to "" and lastUpdatedEpoch to 0 everywhere (the conformance rule).
void clear_last_updated(nlohmann::json& j);

// The JSON path of the first difference (object key order ignored, numbers by value), or
// nullopt when equal.
std::optional<std::string> json_diff(const nlohmann::json& got, const nlohmann::json& want,
                                     const std::string& path = "$");

std::string read_file(const std::string& path);

}  // namespace sp::history::testing
