// The Kubeflow operator's restart policy: whether a finished or failed run is retried, and
// when (linear backoff: interval x submission attempts since the last attempt).
#pragma once

#include <optional>

#include "api/types.h"
#include "common/clock.h"

namespace sp::controller {

// For SUCCEEDING, FAILING and SUBMISSION_FAILED; false in every other state.
// `spec` must have defaults applied.
bool should_retry(const api::SparkApplicationSpec& spec, const api::SparkApplicationStatus& status);

// Time left until the retry is due (<= 0: due now). nullopt when it cannot be computed
// (no interval, no previous attempt): treated as due by the caller.
std::optional<Duration> time_until_next_retry(const api::SparkApplicationSpec& spec,
                                              const api::SparkApplicationStatus& status, Time now);

}  // namespace sp::controller
