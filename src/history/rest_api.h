// Spark History Server REST answers (/api/v1): the application listing, one application, and
// everything under /applications/<appId>[/<attemptId>]/, JSON as Spark serializes it. Paths are
// split by parse_api_path (api_path.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "history/app_store.h"
#include "history/app_summary.h"

namespace sp::history {

// Decoded query parameters; a name may repeat (status=a&status=b).
using QueryParams = std::multimap<std::string, std::string>;

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

// GET /api/v1/applications?status=&minDate=&maxDate=&minEndDate=&maxEndDate=&limit=
// `all_attempts`: every attempt of every application found (any order; those without an app
// id are skipped). Attempts are grouped by app id and ordered as Spark's FsHistoryProvider.
// Sets *http_status (200, 400 for a bad date, 404 for a bad status or limit) and returns
// the body (an error text when not 200).
std::string application_list_json(const std::vector<AttemptSummary>& all_attempts,
                                  const QueryParams& q, int* http_status);

// GET /api/v1/applications/<appId> (no attempt id) or /api/v1/applications/<appId>/<attemptId>
// (the attempt object). 404 "unknown app: <id>" / "unknown app <id>, attempt <n>".
Response application_json(const std::vector<AttemptSummary>& all_attempts, std::string_view app_id,
                          const std::optional<std::string>& attempt_id = std::nullopt);

// The 404 Spark gives for a resource under an application attempt it cannot load.
Response app_not_found(std::string_view app_id, const std::optional<std::string>& attempt_id);

// GET /api/v1/applications/<appId>[/<attemptId>]/<subpath> for a finished AppStore of that
// attempt: jobs, jobs/<id>, stages[/<id>[/<attempt>[/taskSummary|/taskList]]], executors,
// allexecutors, allmiscellaneousprocess, storage/rdd[/<id>], environment, sql[/<id>].
// The application object itself ("" subpath) is application_json's.
Response serve_app(const AppStore& store, std::string_view subpath, const QueryParams& q);

}  // namespace sp::history
