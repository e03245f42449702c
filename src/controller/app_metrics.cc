#include "controller/app_metrics.h"

#include "common/time_format.h"

namespace sp::controller {
namespace {

using api::AppState;

double seconds_between(const std::string& from, Time to) {
  auto t = parse_rfc3339(from);
  if (!t) return 0;
  return std::chrono::duration<double>(to - *t).count();
}

}  // namespace

AppMetrics::AppMetrics(MetricsRegistry& r)
    : count_(r.counter("spark_application_count",
                       "Total number of SparkApplications handled by the controller")),
      submit_count_(r.counter("spark_application_submit_count",
                              "Total number of submitted SparkApplications")),
      failed_submission_count_(r.counter("spark_application_failed_submission_count",
                                         "Total number of SparkApplications that failed to "
                                         "submit")),
      running_count_(
          r.gauge("spark_application_running_count", "Number of running SparkApplications")),
      success_count_(r.counter("spark_application_success_count",
                               "Total number of successful SparkApplications")),
      failure_count_(
          r.counter("spark_application_failure_count", "Total number of failed SparkApplications")),
      success_execution_time_(r.summary("spark_application_success_execution_time_seconds",
                                        "Execution time of successful SparkApplications")),
      failure_execution_time_(r.summary("spark_application_failure_execution_time_seconds",
                                        "Execution time of failed SparkApplications")),
      start_latency_(r.summary("spark_application_start_latency_seconds",
                               "Time from SparkApplication creation to its driver running")),
      start_latency_histogram_(
          r.histogram("spark_application_start_latency_seconds_histogram",
                      "Time from SparkApplication creation to its driver running",
                      {30, 60, 90, 120, 150, 180, 210, 240, 270, 300})) {}

void AppMetrics::on_transition(const api::SparkApplication& app, AppState from, AppState to,
                               Time now) {
  if (from == to) return;
  if (from == AppState::kRunning) running_count_.add(-1);
  switch (to) {
    case AppState::kSubmitted:
      submit_count_.inc();
      break;
    case AppState::kSubmissionFailed:
      failed_submission_count_.inc();
      break;
    case AppState::kRunning:
      running_count_.add(1);
      if (app.status.execution_attempts == 1) {
        double latency = seconds_between(app.metadata.creation_timestamp, now);
        start_latency_.observe(latency);
        start_latency_histogram_.observe(latency);
      }
      break;
    case AppState::kCompleted:
      success_count_.inc();
      success_execution_time_.observe(
          seconds_between(app.status.last_submission_attempt_time, now));
      break;
    case AppState::kFailed:
      failure_count_.inc();
      failure_execution_time_.observe(
          seconds_between(app.status.last_submission_attempt_time, now));
      break;
    default:
      break;
  }
  if (from == AppState::kNew) count_.inc();
}

void AppMetrics::on_deleted(AppState state) {
  if (state == AppState::kRunning) running_count_.add(-1);
}

}  // namespace sp::controller
