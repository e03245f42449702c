// One application attempt replayed from its event log: feed the log's lines in order, call
// flush(), then answer REST requests (rest_api.h) or read the listing summary. The replay can
// go on after a flush (an in-progress log that grew): feed the new lines and flush again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "history/app_summary.h"

namespace sp::history {

struct AppState;
struct ParsedLine;

struct AppStoreStats {
  uint64_t lines = 0;            // lines given to apply_line (blank lines included)
  uint64_t events = 0;           // lines parsed into events, known or not
  uint64_t ignored_events = 0;   // events of types the model does not use
  uint64_t malformed_lines = 0;  // not JSON, no "Event", or a known event with bad fields
  std::string first_error;       // what was wrong with the first malformed line
};

// How much of an application the store keeps, as the History Server's spark.ui.retainedJobs,
// spark.ui.retainedStages, spark.ui.retainedTasks, spark.ui.retainedDeadExecutors and
// spark.sql.ui.retainedExecutions (Spark's defaults).
struct RetentionLimits {
  int jobs = 1000;
  int stages = 1000;
  int tasks_per_stage = 100000;
  int dead_executors = 100;
  int sql_executions = 1000;
};

class AppStore {
 public:
  explicit AppStore(const RetentionLimits& limits = RetentionLimits());
  ~AppStore();
  AppStore(const AppStore&) = delete;
  AppStore& operator=(const AppStore&) = delete;

  // Applies one event-log line (without its newline). A malformed line is counted in stats()
  // and skipped; never throws.
  void apply_line(std::string_view json_line);
  // apply_line in two halves, for parsing on other threads (parallel_replay.h): a line parsed
  // by any EventParser (EventParser::parse_line), applied here in log order. Moves from it.
  void apply_parsed(ParsedLine& line);

  // The log's modification time (epoch ms): the listing's lastUpdated and, as in Spark, the
  // "now" used for the duration of tasks still running when the log ends. Call before flush().
  void set_last_updated(int64_t epoch_ms);

  // Writes what is still live (running jobs, stages, tasks, executors, SQL executions) as
  // Spark's store does when a replay ends, and builds the indices the answers use; serve_app()
  // needs it. Not final: the next applied line first takes back what the flush wrote, so the
  // replay goes on as if it had not happened, and the answers after the next flush are those
  // of one replay of every line. Nothing to do when nothing was applied since the last flush.
  // An application without ApplicationEnd stays incomplete (completed=false).
  void flush();
  // Whether flush() was called after the last line applied.
  bool flushed() const;
  // flush() under its former name (from when a replay could not go on after it).
  void finish() { flush(); }

  // The listing data. Works from a partial replay of only LogStart, ApplicationStart,
  // ApplicationEnd and EnvironmentUpdate lines, with or without flush().
  AttemptSummary summary() const;

  const AppStoreStats& stats() const;
  // Approximate heap bytes held by this store.
  std::size_t memory_bytes() const;

  // Internal state, for the REST answers.
  const AppState& state() const;

 private:
  struct Impl;
  void unflush();
  std::unique_ptr<Impl> impl_;
};

}  // namespace sp::history
