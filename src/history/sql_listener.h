// Spark's SQLAppStatusListener replayed: SQL executions, their plan graphs, the jobs and stages
// they ran, and the aggregated values of their SQL metrics.
#pragma once

#include <cstddef>

#include "history/app_state.h"
#include "history/events.h"

namespace sp::history {

class SqlListener {
 public:
  explicit SqlListener(AppState& state) : s_(state) {}

  void on_event(const Event& event);
  // Aggregates the metrics of executions that never ended, as the UI would on request.
  void flush();
  std::size_t memory_bytes() const;

 private:
  AppState& s_;
};

}  // namespace sp::history
