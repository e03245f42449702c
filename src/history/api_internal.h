// Shared pieces of the REST answers: query parameter parsing as Jersey does it, error
// responses, and the per-resource JSON writers the router calls.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "history/app_state.h"
#include "history/json_writer.h"
#include "history/rest_api.h"

namespace sp::history::api {

// Thrown by resource code to answer with an error (caught by the router).
struct HttpError {
  int status;
  std::string message;
};

[[noreturn]] inline void not_found(std::string message) {
  throw HttpError{404, std::move(message)};
}
[[noreturn]] inline void bad_request(std::string message) {
  throw HttpError{400, std::move(message)};
}

// The first value of a parameter (Jersey's single-valued @QueryParam). Jersey treats an
// empty value of a non-String parameter as absent; the helpers below do the same.
std::optional<std::string> first(const QueryParams& q, std::string_view name);
std::vector<std::string> all(const QueryParams& q, std::string_view name);
// Boolean.valueOf semantics; the default when absent.
bool bool_param(const QueryParams& q, std::string_view name, bool def);
// Integer.valueOf; a bad value answers 404 as Jersey does.
int int_param(const QueryParams& q, std::string_view name, int def);
// Enum list parameter (case-insensitive names); a bad value answers 404.
std::vector<std::string> enum_list(const QueryParams& q, std::string_view name,
                                   const std::vector<std::string>& allowed);
// Spark's parseQuantileString; 400 "Bad value for parameter "quantiles"..." when bad.
std::vector<double> quantiles_param(const QueryParams& q, std::string_view def);

// --- writers (one file per resource) ---
void write_job(JsonWriter& w, const JobData& job);
void jobs_list(JsonWriter& w, const AppState& s, const QueryParams& q);
void one_job(JsonWriter& w, const AppState& s, int job_id);

void stage_list(JsonWriter& w, const AppState& s, const QueryParams& q);
void stage_attempts(JsonWriter& w, const AppState& s, int stage_id, const QueryParams& q);
void stage_attempt(JsonWriter& w, const AppState& s, int stage_id, int attempt,
                   const QueryParams& q);
void task_summary(JsonWriter& w, const AppState& s, int stage_id, int attempt,
                  const QueryParams& q);
void task_list(JsonWriter& w, const AppState& s, int stage_id, int attempt, const QueryParams& q);

// Writes one task (v1.TaskData with executor logs, scheduler delay, getting result time).
void write_task(JsonWriter& w, const AppState& s, const StoredTask& t);
// A stage's tasks, optionally filtered by status names, in ascending task id.
std::vector<uint32_t> stage_task_positions(const AppState& s, int stage_id, int attempt);

// Quantile summaries (AppStatusStore.taskSummary); false when no task reported metrics.
bool write_task_metric_distributions(JsonWriter& w, const AppState& s, int stage_id, int attempt,
                                     std::vector<double> quantiles);
void write_executor_metrics_distributions(JsonWriter& w, const AppState& s, int stage_id,
                                          int attempt, const std::vector<double>& quantiles);
void write_peak_metrics(JsonWriter& w, const PeakExecutorMetrics& peak);

void executor_list(JsonWriter& w, const AppState& s, bool active_only);
void misc_process_list(JsonWriter& w, const AppState& s);
void rdd_list(JsonWriter& w, const AppState& s);
void one_rdd(JsonWriter& w, const AppState& s, int rdd_id);
void environment(JsonWriter& w, const AppState& s);
void sql_list(JsonWriter& w, const AppState& s, const QueryParams& q);
void one_sql(JsonWriter& w, const AppState& s, int64_t execution_id, const QueryParams& q);

}  // namespace sp::history::api
