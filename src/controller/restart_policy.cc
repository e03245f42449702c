#include "controller/restart_policy.h"

#include "common/time_format.h"

namespace sp::controller {

using api::AppState;

bool should_retry(const api::SparkApplicationSpec& spec,
                  const api::SparkApplicationStatus& status) {
  const auto& policy = spec.restart_policy;
  switch (status.app_state.state) {
    case AppState::kSucceeding:
      return policy.type == "Always";
    case AppState::kFailing:
      if (policy.type == "Always") return true;
      if (policy.type == "OnFailure") {
        return policy.on_failure_retries && status.execution_attempts <= *policy.on_failure_retries;
      }
      return false;
    case AppState::kSubmissionFailed:
      if (policy.type == "Always") return true;
      if (policy.type == "OnFailure") {
        return policy.on_submission_failure_retries &&
               status.submission_attempts <= *policy.on_submission_failure_retries;
      }
      return false;
    default:
      return false;
  }
}

std::optional<Duration> time_until_next_retry(const api::SparkApplicationSpec& spec,
                                              const api::SparkApplicationStatus& status, Time now) {
  const auto& policy = spec.restart_policy;
  std::optional<int64_t> interval = status.app_state.state == AppState::kSubmissionFailed
                                        ? policy.on_submission_failure_retry_interval
                                        : policy.on_failure_retry_interval;
  auto last = parse_rfc3339(status.last_submission_attempt_time);
  if (!interval || !last || status.submission_attempts <= 0) return std::nullopt;
  Duration wait = std::chrono::seconds(*interval * status.submission_attempts);
  return wait - (now - *last);
}

}  // namespace sp::controller
