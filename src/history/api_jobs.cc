// /jobs and /jobs/<id> (v1.JobData; newest job first).
#include <algorithm>

#include "history/api_internal.h"

namespace sp::history::api {

void write_job(JsonWriter& w, const JobData& j) {
  w.begin_object();
  w.field("jobId", j.job_id);
  w.field("name", j.name);
  if (j.description) w.field("description", *j.description);
  if (j.submission_time) w.field_date("submissionTime", *j.submission_time);
  if (j.completion_time) w.field_date("completionTime", *j.completion_time);
  w.key("stageIds");
  w.begin_array();
  for (int id : j.stage_ids) w.value(id);
  w.end_array();
  if (j.job_group) w.field("jobGroup", *j.job_group);
  w.key("jobTags");
  w.begin_array();
  for (const std::string& t : j.job_tags) w.value(t);
  w.end_array();
  w.field("status", job_status_name(j.status));
  w.field("numTasks", j.num_tasks);
  w.field("numActiveTasks", j.num_active_tasks);
  w.field("numCompletedTasks", j.num_completed_tasks);
  w.field("numSkippedTasks", j.num_skipped_tasks);
  w.field("numFailedTasks", j.num_failed_tasks);
  w.field("numKilledTasks", j.num_killed_tasks);
  w.field("numCompletedIndices", j.num_completed_indices);
  w.field("numActiveStages", j.num_active_stages);
  w.field("numCompletedStages", j.num_completed_stages);
  w.field("numSkippedStages", j.num_skipped_stages);
  w.field("numFailedStages", j.num_failed_stages);
  w.key("killedTasksSummary");
  w.begin_object();
  for (const auto& [reason, n] : j.killed_tasks_summary) w.field(reason, n);
  w.end_object();
  w.end_object();
}

void jobs_list(JsonWriter& w, const AppState& s, const QueryParams& q) {
  std::vector<std::string> statuses =
      enum_list(q, "status", {"RUNNING", "SUCCEEDED", "FAILED", "UNKNOWN"});
  w.begin_array();
  for (auto it = s.jobs.rbegin(); it != s.jobs.rend(); ++it) {
    const JobData& j = it->second;
    if (!statuses.empty() &&
        std::find(statuses.begin(), statuses.end(), job_status_name(j.status)) == statuses.end()) {
      continue;
    }
    write_job(w, j);
  }
  w.end_array();
}

void one_job(JsonWriter& w, const AppState& s, int job_id) {
  auto it = s.jobs.find(job_id);
  if (it == s.jobs.end()) not_found("unknown job: " + std::to_string(job_id));
  write_job(w, it->second);
}

}  // namespace sp::history::api
