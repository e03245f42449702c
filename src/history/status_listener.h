// Spark's AppStatusListener replayed: applies events to an AppState with the same rules (jobs,
// stages and attempts, tasks, executors, RDD storage, exclusion, resource profiles).
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "history/app_state.h"
#include "history/events.h"

namespace sp::history {

class StatusListener {
 public:
  explicit StatusListener(AppState& state) : s_(state) {}

  // Applies one event; may move from it.
  void on_event(Event& event);
  // Writes every live entity, as Spark's store does when a replay ends.
  void flush();
  // Takes back what the last flush() wrote (the store's entries as they were, the entities'
  // written marks, the tasks), so that the replay goes on exactly as if it had not flushed.
  void unflush();

 private:
  // What flush() replaced: each written key with its previous entry (none: erase it).
  template <typename Map>
  using Saved =
      std::vector<std::pair<typename Map::key_type, std::optional<typename Map::mapped_type>>>;
  struct FlushUndo {
    Saved<decltype(AppState::stages)> stages;
    Saved<decltype(AppState::exec_summaries)> exec_summaries;
    Saved<decltype(AppState::jobs)> jobs;
    Saved<decltype(AppState::executors)> executors;
    Saved<decltype(AppState::rdds)> rdds;
    std::vector<std::pair<bool*, bool>> written_marks;
    std::vector<RddDistribution*> computed;  // distributions whose last_update flush() set
    TaskStore::Mark tasks;
  };

  void on(LogStartEvent& e);
  void on(ApplicationStartEvent& e);
  void on(ApplicationEndEvent& e);
  void on(EnvironmentUpdateEvent& e);
  void on(ResourceProfileAddedEvent& e);
  void on(ExecutorAddedEvent& e);
  void on(ExecutorRemovedEvent& e);
  void on(ExclusionEvent& e);
  void on(BlockManagerAddedEvent& e);
  void on(JobStartEvent& e);
  void on(JobEndEvent& e);
  void on(StageSubmittedEvent& e);
  void on(StageCompletedEvent& e);
  void on(TaskStartEvent& e);
  void on(TaskEndEvent& e);
  void on(StageExecutorMetricsEvent& e);
  void on(ExecutorMetricsUpdateEvent& e);
  void on(BlockUpdatedEvent& e);
  void on(UnpersistRddEvent& e);
  void on(MiscellaneousProcessAddedEvent& e);

  std::shared_ptr<Executor> get_or_create_executor(const std::string& id, int64_t add_time);
  std::shared_ptr<Stage> get_or_create_stage(const StageInfo& info);
  std::shared_ptr<ExecutorStageSummary> exec_summary(Stage& stage, const std::string& exec_id);

  // Writes as Spark's LiveEntity.write: `last` (or a first write) checks the store's
  // retention limits afterwards.
  void write_stage(const std::shared_ptr<Stage>& stage, bool last = false);
  void write_exec_summary(const Stage& stage, const std::string& exec_id);
  void write_job(LiveJob& job, bool last = false);
  void write_executor(const std::shared_ptr<Executor>& exec, bool last = false);
  void write_rdd(const std::shared_ptr<Rdd>& rdd);
  void write_task(const LiveTask& task);
  // The same with the task's info as it ends (the live task's own info is its start's).
  void write_task(const LiveTask& task, const TaskInfo& info);

  void set_exec_excluded(Executor& exec, bool excluded);
  void set_stage_excluded(Stage& stage, const std::vector<std::string>& exec_ids);
  void update_stage_peaks(int stage_id, int attempt, const std::string& exec_id,
                          const ExecutorMetricValues& metrics);
  void update_executor_memory(Executor& exec, const StorageLevel& level, int64_t mem_delta,
                              int64_t disk_delta);
  void update_rdd_block(const BlockUpdatedEvent& e, int rdd_id);
  bool executor_active_for_live_stages(const Executor& exec) const;

  // AppStatusListener's cleanupJobs, cleanupStages, cleanupTasks and cleanupExecutors.
  void cleanup_jobs();
  void cleanup_stages();
  void cleanup_tasks(Stage& stage);
  void cleanup_executors();

  AppState& s_;
  // Spark's store stops running retention triggers before its final flush.
  bool flushing_ = false;
  FlushUndo undo_;
};

}  // namespace sp::history
