// The Kubeflow Spark Operator's application metrics, same names and types, fed by the
// reconciler on each committed state transition.
#pragma once

#include "api/types.h"
#include "common/clock.h"
#include "common/metrics.h"

namespace sp::controller {

class AppMetrics {
 public:
  explicit AppMetrics(MetricsRegistry& registry);

  // Called once per committed change of applicationState (from -> to).
  void on_transition(const api::SparkApplication& app, api::AppState from, api::AppState to,
                     Time now);
  // Called when an app is deleted while in `state`.
  void on_deleted(api::AppState state);

 private:
  Counter& count_;
  Counter& submit_count_;
  Counter& failed_submission_count_;
  Gauge& running_count_;
  Counter& success_count_;
  Counter& failure_count_;
  Summary& success_execution_time_;
  Summary& failure_execution_time_;
  Summary& start_latency_;
  Histogram& start_latency_histogram_;
};

}  // namespace sp::controller
