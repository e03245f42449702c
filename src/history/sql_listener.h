// Spark's SQLAppStatusListener replayed: SQL executions, their plan graphs, the jobs and stages
// they ran, and the aggregated values of their SQL metrics.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "history/app_state.h"
#include "history/events.h"

namespace sp::history {

class SqlListener {
 public:
  explicit SqlListener(AppState& state) : s_(state) {}

  void on_event(const Event& event);
  // Writes the executions still tracked, with their metrics aggregated so far (as Spark's
  // store does when a replay ends).
  void flush();
  // Takes back what the last flush() did, so that the replay goes on as if it had not flushed.
  void unflush();
  std::size_t memory_bytes() const;

 private:
  struct FlushUndo {
    // Each execution written, with its written mark and whether flush() aggregated its metrics.
    struct Written {
      std::shared_ptr<SqlExecution> execution;
      bool was_written = false;
      bool aggregated = false;
      std::shared_ptr<SqlExecution> replaced;  // the store's previous entry for its id
    };
    std::vector<Written> written;
  };

  std::shared_ptr<SqlExecution> get_or_create(int64_t id);
  void write(const std::shared_ptr<SqlExecution>& e);
  void update(const std::shared_ptr<SqlExecution>& e, bool force);
  void remove_stale_metrics(const SqlExecution& e);
  bool is_sql_stage(int stage_id) const;
  void update_stage_metrics(int stage_id, int attempt, int64_t task_id, int task_index,
                            const std::vector<AccumulableInfo>& updates, bool succeeded);
  std::map<int64_t, std::string> aggregate(const SqlExecution& e) const;

  AppState& s_;
  bool flushing_ = false;  // no retention triggers during the final flush
  FlushUndo undo_;
};

}  // namespace sp::history
