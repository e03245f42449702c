#include "history/status_listener.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace sp::history {

namespace {

constexpr const char* kDriverId = "driver";

int64_t add_delta(int64_t old, int64_t delta) { return std::max<int64_t>(0, old + delta); }

int64_t task_duration(const TaskInfo& info) {
  return info.finished() ? info.finish_time - info.launch_time : 0;
}

std::optional<int> parse_int(const std::string& s) {
  int v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// TaskMetrics.fromAccumulatorInfos: internal metric accumulators to task metrics.
TaskMetrics metrics_from_accumulables(const std::vector<AccumulableInfo>& infos) {
  static const std::pair<const char*, TaskMetric> kNames[] = {
      {"internal.metrics.executorDeserializeTime", kExecutorDeserializeTime},
      {"internal.metrics.executorDeserializeCpuTime", kExecutorDeserializeCpuTime},
      {"internal.metrics.executorRunTime", kExecutorRunTime},
      {"internal.metrics.executorCpuTime", kExecutorCpuTime},
      {"internal.metrics.resultSize", kResultSize},
      {"internal.metrics.jvmGCTime", kJvmGcTime},
      {"internal.metrics.resultSerializationTime", kResultSerializationTime},
      {"internal.metrics.memoryBytesSpilled", kMemoryBytesSpilled},
      {"internal.metrics.diskBytesSpilled", kDiskBytesSpilled},
      {"internal.metrics.peakExecutionMemory", kPeakExecutionMemory},
      {"internal.metrics.shuffle.read.remoteBlocksFetched", kShuffleRemoteBlocksFetched},
      {"internal.metrics.shuffle.read.localBlocksFetched", kShuffleLocalBlocksFetched},
      {"internal.metrics.shuffle.read.remoteBytesRead", kShuffleRemoteBytesRead},
      {"internal.metrics.shuffle.read.remoteBytesReadToDisk", kShuffleRemoteBytesReadToDisk},
      {"internal.metrics.shuffle.read.localBytesRead", kShuffleLocalBytesRead},
      {"internal.metrics.shuffle.read.fetchWaitTime", kShuffleFetchWaitTime},
      {"internal.metrics.shuffle.read.recordsRead", kShuffleRecordsRead},
      {"internal.metrics.shuffle.read.remoteReqsDuration", kShuffleRemoteReqsDuration},
      {"internal.metrics.shuffle.push.read.corruptMergedBlockChunks",
       kPushCorruptMergedBlockChunks},
      {"internal.metrics.shuffle.push.read.mergedFetchFallbackCount",
       kPushMergedFetchFallbackCount},
      {"internal.metrics.shuffle.push.read.remoteMergedBlocksFetched",
       kPushRemoteMergedBlocksFetched},
      {"internal.metrics.shuffle.push.read.localMergedBlocksFetched",
       kPushLocalMergedBlocksFetched},
      {"internal.metrics.shuffle.push.read.remoteMergedChunksFetched",
       kPushRemoteMergedChunksFetched},
      {"internal.metrics.shuffle.push.read.localMergedChunksFetched",
       kPushLocalMergedChunksFetched},
      {"internal.metrics.shuffle.push.read.remoteMergedBytesRead", kPushRemoteMergedBytesRead},
      {"internal.metrics.shuffle.push.read.localMergedBytesRead", kPushLocalMergedBytesRead},
      {"internal.metrics.shuffle.push.read.remoteMergedReqsDuration",
       kPushRemoteMergedReqsDuration},
      {"internal.metrics.shuffle.write.bytesWritten", kShuffleBytesWritten},
      {"internal.metrics.shuffle.write.recordsWritten", kShuffleRecordsWritten},
      {"internal.metrics.shuffle.write.writeTime", kShuffleWriteTime},
      {"internal.metrics.input.bytesRead", kInputBytesRead},
      {"internal.metrics.input.recordsRead", kInputRecordsRead},
      {"internal.metrics.output.bytesWritten", kOutputBytesWritten},
      {"internal.metrics.output.recordsWritten", kOutputRecordsWritten},
  };
  TaskMetrics m = filled_metrics(0);
  for (const AccumulableInfo& a : infos) {
    if (!a.name || !a.update) continue;
    for (const auto& [name, metric] : kNames) {
      if (*a.name == name) {
        int64_t v = 0;
        auto r = std::from_chars(a.update->data(), a.update->data() + a.update->size(), v);
        if (r.ec == std::errc()) m[metric] = v;
        break;
      }
    }
  }
  return m;
}

// LiveTask.updateMetrics: stores the new metrics and returns the change since the last report.
TaskMetrics update_task_metrics(LiveTask& task, const TaskMetrics& m) {
  TaskMetrics old = task.metrics;
  task.metrics = m;
  if (old[kExecutorDeserializeTime] >= 0) {
    TaskMetrics delta = m;
    add_metrics(delta, old, -1);
    return delta;
  }
  return m;
}

// Spark's BlockId parsing for the kinds the listener tracks.
enum class BlockKind { kRdd, kStream, kBroadcast, kOther };

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

BlockKind parse_block_id(const std::string& id, int& rdd_id) {
  std::string_view s(id);
  if (s.rfind("rdd_", 0) == 0) {
    std::string_view rest = s.substr(4);
    size_t us = rest.find('_');
    if (us != std::string_view::npos && all_digits(rest.substr(0, us)) &&
        all_digits(rest.substr(us + 1))) {
      int v = 0;
      auto r = std::from_chars(rest.data(), rest.data() + us, v);
      if (r.ec != std::errc()) return BlockKind::kOther;
      rdd_id = v;
      return BlockKind::kRdd;
    }
    return BlockKind::kOther;
  }
  if (s.rfind("broadcast_", 0) == 0) {
    std::string_view rest = s.substr(10);
    size_t i = 0;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    if (i == 0) return BlockKind::kOther;
    for (size_t j = i; j < rest.size(); ++j) {
      char c = rest[j];
      bool ok =
          c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!ok) return BlockKind::kOther;
    }
    return BlockKind::kBroadcast;
  }
  if (s.rfind("input-", 0) == 0) return BlockKind::kStream;
  return BlockKind::kOther;
}

}  // namespace

void StatusListener::on_event(Event& event) {
  std::visit(
      [this](auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, LogStartEvent> ||
                      std::is_same_v<T, ApplicationStartEvent> ||
                      std::is_same_v<T, ApplicationEndEvent> ||
                      std::is_same_v<T, EnvironmentUpdateEvent> ||
                      std::is_same_v<T, ResourceProfileAddedEvent> ||
                      std::is_same_v<T, ExecutorAddedEvent> ||
                      std::is_same_v<T, ExecutorRemovedEvent> ||
                      std::is_same_v<T, ExclusionEvent> ||
                      std::is_same_v<T, BlockManagerAddedEvent> ||
                      std::is_same_v<T, JobStartEvent> || std::is_same_v<T, JobEndEvent> ||
                      std::is_same_v<T, StageSubmittedEvent> ||
                      std::is_same_v<T, StageCompletedEvent> || std::is_same_v<T, TaskStartEvent> ||
                      std::is_same_v<T, TaskEndEvent> ||
                      std::is_same_v<T, StageExecutorMetricsEvent> ||
                      std::is_same_v<T, ExecutorMetricsUpdateEvent> ||
                      std::is_same_v<T, BlockUpdatedEvent> ||
                      std::is_same_v<T, UnpersistRddEvent> ||
                      std::is_same_v<T, MiscellaneousProcessAddedEvent>) {
          on(e);
        }
      },
      event);
}

// ---- writes -------------------------------------------------------------------------------

void StatusListener::write_stage(const std::shared_ptr<Stage>& stage, bool last) {
  bool check = last || !stage->written;
  stage->written = true;
  s_.stages[{stage->info.stage_id, stage->info.attempt_id}] = stage;
  if (check && !flushing_) cleanup_stages();
}

void StatusListener::write_exec_summary(const Stage& stage, const std::string& exec_id) {
  auto it = stage.executor_summaries.find(exec_id);
  if (it == stage.executor_summaries.end()) return;
  s_.exec_summaries[{stage.info.stage_id, stage.info.attempt_id, exec_id}] = it->second;
}

void StatusListener::write_job(LiveJob& job, bool last) {
  bool check = last || !job.written;
  job.written = true;
  s_.jobs[job.data.job_id] = job.snapshot();
  if (check && !flushing_) cleanup_jobs();
}

void StatusListener::write_executor(const std::shared_ptr<Executor>& exec, bool last) {
  bool check = last || !exec->written;
  exec->written = true;
  s_.executors[exec->id] = exec;
  if (check && !flushing_) cleanup_executors();
}

namespace {

// AppStatusListener.calculateNumberToRemove: at least a tenth of the limit.
int64_t number_to_remove(int64_t size, int64_t retained) {
  return size > retained ? std::max(retained / 10, size - retained) : 0;
}

}  // namespace

void StatusListener::cleanup_jobs() {
  int64_t n = number_to_remove(static_cast<int64_t>(s_.jobs.size()), s_.limits.retained_jobs);
  if (n <= 0) return;
  // The "completionTime" index from 0: finished jobs, oldest first, by id on ties.
  std::vector<std::pair<int64_t, int>> candidates;
  for (const auto& [id, j] : s_.jobs) {
    if (!j.completion_time || *j.completion_time < 0) continue;
    if (j.status == JobStatus::kRunning || j.status == JobStatus::kUnknown) continue;
    candidates.emplace_back(*j.completion_time, id);
  }
  std::sort(candidates.begin(), candidates.end());
  for (int64_t i = 0; i < n && i < static_cast<int64_t>(candidates.size()); ++i) {
    s_.jobs.erase(candidates[static_cast<size_t>(i)].second);
  }
}

void StatusListener::cleanup_stages() {
  int64_t n = number_to_remove(static_cast<int64_t>(s_.stages.size()), s_.limits.retained_stages);
  if (n <= 0) return;
  // The "completionTime" index: skipped stages (-1) first, then by completion, by key on ties.
  std::vector<std::pair<int64_t, StageKey>> candidates;
  for (const auto& [key, st] : s_.stages) {
    if (st->status == StageStatus::kActive || st->status == StageStatus::kPending) continue;
    candidates.emplace_back(st->info.completion_time.value_or(-1), key);
  }
  std::sort(candidates.begin(), candidates.end());
  for (int64_t i = 0; i < n && i < static_cast<int64_t>(candidates.size()); ++i) {
    StageKey key = candidates[static_cast<size_t>(i)].second;
    s_.stages.erase(key);
    s_.speculation.erase(key);
    auto lo = s_.exec_summaries.lower_bound({key.first, key.second, std::string()});
    while (lo != s_.exec_summaries.end() && std::get<0>(lo->first) == key.first &&
           std::get<1>(lo->first) == key.second) {
      lo = s_.exec_summaries.erase(lo);
    }
    s_.tasks.remove_stage(key.first, key.second);
  }
}

void StatusListener::cleanup_tasks(Stage& stage) {
  int64_t n = number_to_remove(stage.saved_tasks, s_.limits.retained_tasks_per_stage);
  if (n <= 0) return;
  // The tasks' completion time index (launch time + duration), by task id on ties.
  std::vector<std::tuple<int64_t, int64_t, uint32_t>> candidates;
  for (uint32_t pos : s_.tasks.written(stage.info.stage_id, stage.info.attempt_id)) {
    const StoredTask& t = s_.tasks.task(pos);
    if (!t.deleted) candidates.emplace_back(t.launch_time + t.duration, t.task_id, pos);
  }
  std::sort(candidates.begin(), candidates.end());
  for (int64_t i = 0; i < n && i < static_cast<int64_t>(candidates.size()); ++i) {
    s_.tasks.remove(std::get<2>(candidates[static_cast<size_t>(i)]));
  }
  // Spark then deletes "running" tasks for the rest (none are stored during a replay) and
  // still counts them as removed: the count drops by n even when fewer tasks were stored.
  stage.saved_tasks -= static_cast<int>(n);
}

void StatusListener::cleanup_executors() {
  int64_t dead = static_cast<int64_t>(s_.executors.size()) - s_.active_executor_count;
  int64_t threshold = s_.limits.retained_dead_executors;
  if (dead <= threshold) return;
  int64_t n = number_to_remove(dead, threshold);
  std::vector<std::string> remove;
  for (const auto& [id, e] : s_.executors) {
    if (static_cast<int64_t>(remove.size()) >= n) break;
    if (!e->active) remove.push_back(id);
  }
  for (const std::string& id : remove) s_.executors.erase(id);
}

void StatusListener::write_rdd(const std::shared_ptr<Rdd>& rdd) {
  for (auto& [exec_id, dist] : rdd->distributions) {
    if (dist.last_update) continue;
    std::shared_ptr<Executor> exec;
    auto it = s_.live_executors.find(exec_id);
    if (it != s_.live_executors.end()) {
      exec = it->second;
    } else if (auto st = s_.executors.find(exec_id); st != s_.executors.end()) {
      exec = st->second;
    }
    if (!exec) continue;
    RddDistributionApi api;
    api.address = exec->host_port ? *exec->host_port : exec->host.value_or(std::string());
    api.memory_used = dist.memory_used;
    api.memory_remaining = exec->max_memory - exec->memory_used;
    api.disk_used = dist.disk_used;
    api.has_memory_info = exec->has_memory_info();
    api.on_heap_used = dist.on_heap_used;
    api.off_heap_used = dist.off_heap_used;
    api.on_heap_remaining = exec->total_on_heap - exec->used_on_heap;
    api.off_heap_remaining = exec->total_off_heap - exec->used_off_heap;
    dist.last_update = api;
  }
  s_.rdds[rdd->id] = rdd;
}

void StatusListener::write_task(const LiveTask& task) { write_task(task, task.info); }

void StatusListener::write_task(const LiveTask& task, const TaskInfo& info) {
  TaskWrite w;
  w.info = &info;
  w.stage_id = task.stage_id;
  w.stage_attempt = task.stage_attempt;
  w.status = info.status();
  if (info.finished()) {
    w.duration = info.finish_time - info.launch_time;
  } else {
    int64_t now = s_.last_update_time.value_or(info.launch_time);
    w.duration = now - info.launch_time;
  }
  w.error = task.error;
  w.has_metrics = task.metrics[kExecutorDeserializeTime] >= 0;
  w.metrics = &task.metrics;
  s_.tasks.write(w);
}

// ---- entity lookup ---------------------------------------------------------------------------

std::shared_ptr<Executor> StatusListener::get_or_create_executor(const std::string& id,
                                                                 int64_t add_time) {
  auto it = s_.live_executors.find(id);
  if (it != s_.live_executors.end()) return it->second;
  ++s_.active_executor_count;
  auto exec = std::make_shared<Executor>();
  exec->id = id;
  exec->add_time = add_time;
  s_.live_executors.emplace(id, exec);
  return exec;
}

std::shared_ptr<Stage> StatusListener::get_or_create_stage(const StageInfo& info) {
  StageKey key{info.stage_id, info.attempt_id};
  auto it = s_.live_stages.find(key);
  std::shared_ptr<Stage> stage;
  if (it == s_.live_stages.end()) {
    stage = std::make_shared<Stage>();
    s_.live_stages.emplace(key, stage);
  } else {
    stage = it->second;
  }
  stage->info = info;
  return stage;
}

std::shared_ptr<ExecutorStageSummary> StatusListener::exec_summary(Stage& stage,
                                                                   const std::string& exec_id) {
  auto it = stage.executor_summaries.find(exec_id);
  if (it != stage.executor_summaries.end()) return it->second;
  auto summary = std::make_shared<ExecutorStageSummary>();
  stage.executor_summaries.emplace(exec_id, summary);
  return summary;
}

// ---- application ---------------------------------------------------------------------------

void StatusListener::on(LogStartEvent& e) { s_.spark_version = e.spark_version; }

void StatusListener::on(ApplicationStartEvent& e) {
  if (!e.app_id) return;  // Spark requires an application id
  StatusAppInfo info;
  info.id = *e.app_id;
  info.name = e.app_name;
  info.attempt_id = e.attempt_id;
  info.start_time = e.time;
  info.end_time = -1;
  info.last_updated = e.time;
  info.duration = -1;
  info.spark_user = e.user;
  info.completed = false;
  info.app_spark_version = s_.spark_version;
  s_.app_info = info;
  if (e.driver_logs) {
    auto it = s_.live_executors.find(kDriverId);
    if (it != s_.live_executors.end()) {
      it->second->executor_logs = *e.driver_logs;
      it->second->attributes = e.driver_attributes.value_or(StringPairs{});
      write_executor(it->second);
    }
  }
}

void StatusListener::on(ApplicationEndEvent& e) {
  if (!s_.app_info) return;
  StatusAppInfo& info = *s_.app_info;
  info.end_time = e.time;
  info.last_updated = e.time;
  info.duration = e.time - info.start_time;
  info.completed = true;
}

void StatusListener::on(EnvironmentUpdateEvent& e) {
  if (const std::string* cpus = find_property(e.spark, "spark.task.cpus")) {
    if (auto v = parse_int(*cpus)) s_.default_cpus_per_task = *v;
  }
  s_.environment = e;
}

void StatusListener::on(ResourceProfileAddedEvent& e) {
  ResourceProfile rp;
  rp.id = e.id;
  rp.executor_resources = e.executor_resources;
  rp.task_resources = e.task_resources;
  // ResourceProfile.isCoresLimitKnown is false for a profile read from a log (it is only
  // computed by maxTasksPerExecutor), so executors fall back to cores / cpus per task.
  rp.max_tasks_per_executor = std::nullopt;
  s_.resource_profiles[e.id] = std::move(rp);
}

void StatusListener::on(MiscellaneousProcessAddedEvent& e) {
  auto& slot = s_.misc_processes[e.process_id];
  if (!slot) {
    slot = std::make_shared<MiscProcess>();
    slot->id = e.process_id;
    slot->add_time = e.time;
  }
  slot->logs = e.log_urls;
  slot->host_port = e.host_port;
  slot->active = true;
  slot->total_cores = e.cores;
}

// ---- executors -----------------------------------------------------------------------------

void StatusListener::on(ExecutorAddedEvent& e) {
  auto exec = get_or_create_executor(e.executor_id, e.time);
  exec->host = e.host;
  exec->active = true;
  exec->total_cores = e.total_cores;
  int cpus_per_task = s_.default_cpus_per_task;
  std::optional<int> max_tasks;
  auto rp = s_.resource_profiles.find(e.resource_profile_id);
  if (rp != s_.resource_profiles.end()) {
    for (const auto& [name, req] : rp->second.task_resources) {
      if (name == "cpus") cpus_per_task = static_cast<int>(req.amount);
    }
    max_tasks = rp->second.max_tasks_per_executor;
  }
  exec->max_tasks =
      max_tasks ? *max_tasks : (cpus_per_task != 0 ? e.total_cores / cpus_per_task : 0);
  exec->executor_logs = e.log_urls;
  exec->resources = e.resources;
  exec->attributes = e.attributes;
  exec->resource_profile_id = e.resource_profile_id;
}

bool StatusListener::executor_active_for_live_stages(const Executor& exec) const {
  int64_t removed = exec.remove_time.value_or(0);
  for (const auto& [key, stage] : s_.live_stages) {
    if (stage->info.submission_time.value_or(0) < removed) return true;
  }
  return false;
}

void StatusListener::on(ExecutorRemovedEvent& e) {
  auto it = s_.live_executors.find(e.executor_id);
  if (it == s_.live_executors.end()) return;
  std::shared_ptr<Executor> exec = it->second;
  s_.live_executors.erase(it);
  s_.active_executor_count = std::max(0, s_.active_executor_count - 1);
  exec->active = false;
  exec->remove_time = e.time;
  exec->remove_reason = e.reason;
  write_executor(exec, true);

  for (auto& [id, rdd] : s_.live_rdds) {
    if (rdd->remove_distribution(e.executor_id)) write_rdd(rdd);
  }
  for (auto& [id, rdd] : s_.live_rdds) {
    std::vector<std::string> to_remove;
    for (RddPartition& p : rdd->partitions) {
      auto pos = std::find(p.executors.begin(), p.executors.end(), e.executor_id);
      if (pos == p.executors.end()) continue;
      int64_t n = static_cast<int64_t>(p.executors.size());
      if (n == 1) {
        to_remove.push_back(p.block_name);
        rdd->memory_used = add_delta(rdd->memory_used, -p.memory_used);
        rdd->disk_used = add_delta(rdd->disk_used, -p.disk_used);
      } else {
        rdd->memory_used = add_delta(rdd->memory_used, -(p.memory_used / n));
        rdd->disk_used = add_delta(rdd->disk_used, -(p.disk_used / n));
        p.executors.erase(pos);
        p.memory_used = add_delta(p.memory_used, -(p.memory_used / n));
        p.disk_used = add_delta(p.disk_used, -(p.disk_used / n));
        StorageLevel l;
        l.use_disk = p.disk_used > 0;
        l.use_memory = p.memory_used > 0;
        l.use_off_heap = rdd->level.use_off_heap;
        l.deserialized = p.memory_used > 0 ? rdd->level.deserialized : false;
        l.replication = static_cast<int>(p.executors.size());
        p.storage_level = l.description();
      }
    }
    for (const std::string& b : to_remove) rdd->remove_partition(b);
    write_rdd(rdd);
  }
  if (executor_active_for_live_stages(*exec)) s_.dead_executors[e.executor_id] = exec;
}

void StatusListener::set_exec_excluded(Executor& exec, bool excluded) { exec.excluded = excluded; }

void StatusListener::set_stage_excluded(Stage& stage, const std::vector<std::string>& exec_ids) {
  for (const std::string& id : exec_ids) {
    exec_summary(stage, id)->excluded = true;
    stage.excluded_executors.insert(id);
  }
}

void StatusListener::on(ExclusionEvent& e) {
  switch (e.kind) {
    case ExclusionKind::kExecutorExcluded:
    case ExclusionKind::kExecutorUnexcluded: {
      auto it = s_.live_executors.find(e.id);
      if (it != s_.live_executors.end()) {
        set_exec_excluded(*it->second, e.kind == ExclusionKind::kExecutorExcluded);
      }
      break;
    }
    case ExclusionKind::kNodeExcluded:
    case ExclusionKind::kNodeUnexcluded:
      for (auto& [id, exec] : s_.live_executors) {
        if (exec->hostname() == e.id && exec->id != kDriverId) {
          set_exec_excluded(*exec, e.kind == ExclusionKind::kNodeExcluded);
        }
      }
      break;
    case ExclusionKind::kExecutorExcludedForStage: {
      auto st = s_.live_stages.find({e.stage_id, e.stage_attempt_id});
      if (st != s_.live_stages.end()) set_stage_excluded(*st->second, {e.id});
      auto it = s_.live_executors.find(e.id);
      if (it != s_.live_executors.end()) it->second->excluded_in_stages.insert(e.stage_id);
      break;
    }
    case ExclusionKind::kNodeExcludedForStage: {
      auto st = s_.live_stages.find({e.stage_id, e.stage_attempt_id});
      if (st != s_.live_stages.end()) {
        std::vector<std::string> ids;
        for (auto& [id, exec] : s_.live_executors) {
          if (exec->host && *exec->host == e.id && exec->id != kDriverId) ids.push_back(id);
        }
        set_stage_excluded(*st->second, ids);
      }
      for (auto& [id, exec] : s_.live_executors) {
        if (exec->hostname() == e.id && exec->id != kDriverId) {
          exec->excluded_in_stages.insert(e.stage_id);
        }
      }
      break;
    }
  }
}

void StatusListener::on(BlockManagerAddedEvent& e) {
  auto exec = get_or_create_executor(e.executor_id, e.time);
  exec->host_port = e.host + ":" + std::to_string(e.port);
  if (e.max_on_heap) {
    exec->total_on_heap = *e.max_on_heap;
    exec->total_off_heap = e.max_off_heap.value_or(0);
    exec->used_on_heap = 0;
    exec->used_off_heap = 0;
  }
  exec->active = true;
  exec->max_memory = e.max_mem;
}

// ---- jobs and stages -----------------------------------------------------------------------

void StatusListener::on(JobStartEvent& e) {
  int num_tasks = 0;
  for (const StageInfo& s : e.stage_infos) {
    if (!s.completion_time) num_tasks += s.num_tasks;
  }
  auto job = std::make_shared<LiveJob>();
  JobData& d = job->data;
  d.job_id = e.job_id;
  const StageInfo* last = nullptr;
  for (const StageInfo& s : e.stage_infos) {
    if (last == nullptr || s.stage_id >= last->stage_id) last = &s;
  }
  d.name = last ? last->name : std::string();
  if (const std::string* v = find_property(e.properties, "spark.job.description"))
    d.description = *v;
  if (e.time > 0) d.submission_time = e.time;
  d.stage_ids = e.stage_ids;
  if (const std::string* v = find_property(e.properties, "spark.jobGroup.id")) d.job_group = *v;
  if (const std::string* v = find_property(e.properties, "spark.job.tags")) {
    std::set<std::string> tags;
    size_t start = 0;
    while (start <= v->size()) {
      size_t comma = v->find(',', start);
      if (comma == std::string::npos) comma = v->size();
      std::string tag = v->substr(start, comma - start);
      if (!tag.empty()) tags.insert(tag);
      start = comma + 1;
    }
    d.job_tags.assign(tags.begin(), tags.end());
  }
  d.num_tasks = num_tasks;
  if (const std::string* v = find_property(e.properties, "spark.sql.execution.id")) {
    int64_t id = 0;
    auto r = std::from_chars(v->data(), v->data() + v->size(), id);
    if (r.ec == std::errc() && r.ptr == v->data() + v->size()) d.sql_execution_id = id;
  }
  s_.live_jobs[e.job_id] = job;

  for (const StageInfo& info : e.stage_infos) {
    auto stage = get_or_create_stage(info);
    stage->jobs.push_back(job);
    stage->job_ids.insert(e.job_id);
  }
}

void StatusListener::on(JobEndEvent& e) {
  auto it = s_.live_jobs.find(e.job_id);
  if (it == s_.live_jobs.end()) return;
  std::shared_ptr<LiveJob> job = it->second;
  s_.live_jobs.erase(it);
  JobData& d = job->data;
  for (auto st = s_.live_stages.begin(); st != s_.live_stages.end();) {
    bool in_job =
        std::find(d.stage_ids.begin(), d.stage_ids.end(), st->first.first) != d.stage_ids.end();
    std::shared_ptr<Stage> stage = st->second;
    if (in_job && stage->status == StageStatus::kPending) {
      stage->status = StageStatus::kSkipped;
      job->skipped_stages.insert(stage->info.stage_id);
      d.num_skipped_tasks += stage->info.num_tasks;
      st = s_.live_stages.erase(st);
      write_stage(stage, true);
    } else {
      ++st;
    }
  }
  d.status = e.succeeded ? JobStatus::kSucceeded : JobStatus::kFailed;
  if (e.time > 0) {
    d.completion_time = e.time;
  } else {
    d.completion_time.reset();
  }
  write_job(*job, true);
}

void StatusListener::on(StageSubmittedEvent& e) {
  auto stage = get_or_create_stage(e.stage);
  stage->status = StageStatus::kActive;
  const std::string* pool = find_property(e.properties, "spark.scheduler.pool");
  stage->scheduling_pool = pool ? *pool : "default";
  stage->jobs.clear();
  stage->job_ids.clear();
  for (auto& [id, job] : s_.live_jobs) {
    const auto& ids = job->data.stage_ids;
    if (std::find(ids.begin(), ids.end(), e.stage.stage_id) != ids.end()) {
      stage->jobs.push_back(job);
      stage->job_ids.insert(id);
    }
  }
  if (const std::string* v = find_property(e.properties, "spark.job.description")) {
    stage->description = *v;
  } else {
    stage->description.reset();
  }
  for (const auto& job : stage->jobs) {
    job->completed_stages.erase(e.stage.stage_id);
    job->data.num_active_stages += 1;
  }
  for (const RddInfo& info : e.stage.rdd_infos) {
    if (!info.storage_level.is_valid()) continue;
    if (s_.live_rdds.count(info.id) == 0) {
      auto rdd = std::make_shared<Rdd>();
      rdd->id = info.id;
      rdd->name = info.name;
      rdd->num_partitions = info.num_partitions;
      rdd->level = info.storage_level;
      s_.live_rdds.emplace(info.id, rdd);
    }
  }
}

void StatusListener::on(StageCompletedEvent& e) {
  StageKey key{e.stage.stage_id, e.stage.attempt_id};
  auto it = s_.live_stages.find(key);
  if (it != s_.live_stages.end()) {
    std::shared_ptr<Stage> stage = it->second;
    stage->info = e.stage;
    for (const auto& [id, summary] : stage->executor_summaries) write_exec_summary(*stage, id);
    if (e.stage.failure_reason) {
      stage->status = StageStatus::kFailed;
    } else if (e.stage.submission_time) {
      stage->status = StageStatus::kComplete;
    } else {
      stage->status = StageStatus::kSkipped;
    }
    for (const auto& job : stage->jobs) {
      switch (stage->status) {
        case StageStatus::kComplete:
          job->completed_stages.insert(e.stage.stage_id);
          break;
        case StageStatus::kSkipped:
          job->skipped_stages.insert(e.stage.stage_id);
          job->data.num_skipped_tasks += e.stage.num_tasks;
          break;
        default:
          job->data.num_failed_stages += 1;
      }
      job->data.num_active_stages -= 1;
    }
    for (const std::string& exec_id : stage->excluded_executors) {
      auto ex = s_.live_executors.find(exec_id);
      if (ex != s_.live_executors.end()) ex->second->excluded_in_stages.erase(e.stage.stage_id);
    }
    bool remove = stage->active_tasks == 0;
    write_stage(stage, remove);
    if (remove) s_.live_stages.erase(key);
  }
  for (auto d = s_.dead_executors.begin(); d != s_.dead_executors.end();) {
    if (executor_active_for_live_stages(*d->second)) {
      ++d;
    } else {
      d = s_.dead_executors.erase(d);
    }
  }
}

// ---- tasks ---------------------------------------------------------------------------------

void StatusListener::on(TaskStartEvent& e) {
  LiveTask& task = s_.live_tasks[e.task.task_id];
  task = LiveTask();
  task.stage_id = e.stage_id;
  task.stage_attempt = e.stage_attempt_id;
  task.info = e.task;

  auto st = s_.live_stages.find({e.stage_id, e.stage_attempt_id});
  if (st != s_.live_stages.end()) {
    Stage& stage = *st->second;
    if (e.task.speculative) {
      if (!stage.speculation) stage.speculation = std::make_shared<SpeculationSummary>();
      stage.speculation->num_active_tasks += 1;
      stage.speculation->num_tasks += 1;
      s_.speculation[st->first] = *stage.speculation;
    }
    stage.active_tasks += 1;
    stage.first_launch_time = std::min(stage.first_launch_time, e.task.launch_time);
    stage.active_tasks_per_executor[e.task.executor_id] += 1;
    for (const auto& job : stage.jobs) job->data.num_active_tasks += 1;
    if (++stage.saved_tasks > s_.limits.retained_tasks_per_stage) cleanup_tasks(stage);
  }
  auto ex = s_.live_executors.find(e.task.executor_id);
  if (ex != s_.live_executors.end()) {
    ex->second->active_tasks += 1;
    ex->second->total_tasks += 1;
  }
}

void StatusListener::on(TaskEndEvent& e) {
  const TaskInfo& info = e.task;
  std::optional<TaskMetrics> delta;
  auto lt = s_.live_tasks.find(info.task_id);
  if (lt != s_.live_tasks.end()) {
    LiveTask& task = lt->second;
    if (e.reason.kind == TaskEndKind::kSuccess) {
      task.error.reset();
    } else {
      task.error = e.reason.message;
    }
    delta = update_task_metrics(task, e.metrics);
    // Written with the event's task info, read in place: the event stays as the parser left it
    // (its memory is not written by this thread, so parsing threads reuse it cheaply).
    write_task(task, info);
    s_.live_tasks.erase(lt);
  }

  int completed = 0, failed = 0, killed = 0;
  switch (e.reason.kind) {
    case TaskEndKind::kSuccess:
      completed = 1;
      break;
    case TaskEndKind::kTaskKilled:
    case TaskEndKind::kTaskCommitDenied:
      killed = 1;
      break;
    default:
      failed = 1;
  }
  auto add_killed = [&e](std::map<std::string, int>& summary) {
    if (e.reason.kind == TaskEndKind::kTaskKilled ||
        e.reason.kind == TaskEndKind::kTaskCommitDenied) {
      summary[e.reason.message] += 1;
    }
  };
  int64_t duration = task_duration(info);

  StageKey key{e.stage_id, e.stage_attempt_id};
  auto st = s_.live_stages.find(key);
  if (st != s_.live_stages.end()) {
    std::shared_ptr<Stage> stage_ptr = st->second;
    Stage& stage = *stage_ptr;
    if (delta) add_metrics(stage.metrics, *delta);
    stage.active_tasks -= 1;
    stage.completed_tasks += completed;
    if (completed > 0) stage.completed_indices.insert(info.index);
    stage.failed_tasks += failed;
    stage.killed_tasks += killed;
    if (killed > 0) add_killed(stage.killed_summary);
    stage.active_tasks_per_executor[info.executor_id] -= 1;
    stage.peak.update(e.executor_metrics);
    auto summary = exec_summary(stage, info.executor_id);
    summary->peak.update(e.executor_metrics);
    bool remove = stage.active_tasks == 0 &&
                  (stage.status == StageStatus::kComplete || stage.status == StageStatus::kFailed);
    if (remove) write_stage(stage_ptr, true);

    int64_t task_index =
        (static_cast<int64_t>(e.stage_id) << 32) | static_cast<int64_t>(info.index);
    for (const auto& job : stage.jobs) {
      job->data.num_active_tasks -= 1;
      job->data.num_completed_tasks += completed;
      if (completed > 0) job->completed_indices.insert(task_index);
      job->data.num_failed_tasks += failed;
      job->data.num_killed_tasks += killed;
      if (killed > 0) add_killed(job->data.killed_tasks_summary);
      if (remove) write_job(*job);
    }

    summary->task_time += duration;
    summary->succeeded_tasks += completed;
    summary->failed_tasks += failed;
    summary->killed_tasks += killed;
    if (delta) add_metrics(summary->metrics, *delta);
    if (stage.active_tasks_per_executor[info.executor_id] == 0) {
      write_exec_summary(stage, info.executor_id);
    }
    if (info.speculative) {
      if (!stage.speculation) stage.speculation = std::make_shared<SpeculationSummary>();
      stage.speculation->num_active_tasks -= 1;
      stage.speculation->num_completed_tasks += completed;
      stage.speculation->num_failed_tasks += failed;
      stage.speculation->num_killed_tasks += killed;
      s_.speculation[key] = *stage.speculation;
    }
    if (stage.saved_tasks > s_.limits.retained_tasks_per_stage) cleanup_tasks(stage);
    if (remove) s_.live_stages.erase(key);
  }

  auto ex = s_.live_executors.find(info.executor_id);
  if (ex != s_.live_executors.end()) {
    Executor& exec = *ex->second;
    exec.active_tasks -= 1;
    exec.completed_tasks += completed;
    exec.failed_tasks += failed;
    exec.total_duration += duration;
    exec.peak.update(e.executor_metrics);
    if (e.reason.kind != TaskEndKind::kResubmitted) {
      exec.total_gc_time += e.metrics[kJvmGcTime];
      exec.total_input_bytes += e.metrics[kInputBytesRead];
      exec.total_shuffle_read +=
          e.metrics[kShuffleLocalBytesRead] + e.metrics[kShuffleRemoteBytesRead];
      exec.total_shuffle_write += e.metrics[kShuffleBytesWritten];
    }
    if (exec.active_tasks == 0) write_executor(ex->second);
  }
}

void StatusListener::update_stage_peaks(int stage_id, int attempt, const std::string& exec_id,
                                        const ExecutorMetricValues& metrics) {
  auto st = s_.live_stages.find({stage_id, attempt});
  if (st == s_.live_stages.end()) return;
  Stage& stage = *st->second;
  if (stage.peak.update(metrics)) write_stage(st->second);
  auto summary = exec_summary(stage, exec_id);
  if (summary->peak.update(metrics)) write_exec_summary(stage, exec_id);
}

void StatusListener::on(StageExecutorMetricsEvent& e) {
  auto it = s_.live_executors.find(e.executor_id);
  std::shared_ptr<Executor> exec;
  if (it != s_.live_executors.end()) {
    exec = it->second;
  } else {
    auto d = s_.dead_executors.find(e.executor_id);
    if (d != s_.dead_executors.end()) exec = d->second;
  }
  if (exec && exec->peak.update(e.metrics)) write_executor(exec);
  update_stage_peaks(e.stage_id, e.stage_attempt_id, e.executor_id, e.metrics);
}

void StatusListener::on(ExecutorMetricsUpdateEvent& e) {
  for (const TaskAccumUpdates& u : e.accum_updates) {
    auto lt = s_.live_tasks.find(u.task_id);
    if (lt == s_.live_tasks.end()) continue;
    TaskMetrics delta = update_task_metrics(lt->second, metrics_from_accumulables(u.updates));
    auto st = s_.live_stages.find({u.stage_id, u.stage_attempt_id});
    if (st != s_.live_stages.end()) {
      add_metrics(st->second->metrics, delta);
      add_metrics(exec_summary(*st->second, e.executor_id)->metrics, delta);
    }
  }
  for (const StageExecutorUpdate& u : e.executor_updates) {
    auto it = s_.live_executors.find(e.executor_id);
    if (it != s_.live_executors.end() && it->second->peak.update(u.metrics)) {
      write_executor(it->second);
    }
    update_stage_peaks(u.stage_id, u.stage_attempt_id, e.executor_id, u.metrics);
  }
}

// ---- storage -------------------------------------------------------------------------------

void StatusListener::update_executor_memory(Executor& exec, const StorageLevel& level,
                                            int64_t mem_delta, int64_t disk_delta) {
  if (exec.has_memory_info()) {
    if (level.use_off_heap) {
      exec.used_off_heap = add_delta(exec.used_off_heap, mem_delta);
    } else {
      exec.used_on_heap = add_delta(exec.used_on_heap, mem_delta);
    }
  }
  exec.memory_used = add_delta(exec.memory_used, mem_delta);
  exec.disk_used = add_delta(exec.disk_used, disk_delta);
}

void StatusListener::update_rdd_block(const BlockUpdatedEvent& e, int rdd_id) {
  const StorageLevel& level = e.storage_level;
  int64_t disk_delta = e.disk_size * (level.use_disk ? 1 : -1);
  int64_t mem_delta = e.mem_size * (level.use_memory ? 1 : -1);
  auto ex = s_.live_executors.find(e.executor_id);
  std::shared_ptr<Executor> exec = ex != s_.live_executors.end() ? ex->second : nullptr;
  int rdd_blocks_delta = 0;
  if (exec) update_executor_memory(*exec, level, mem_delta, disk_delta);

  auto rit = s_.live_rdds.find(rdd_id);
  if (rit != s_.live_rdds.end()) {
    std::shared_ptr<Rdd> rdd = rit->second;
    RddPartition& part = rdd->partition(e.block_id);
    std::vector<std::string> executors;
    if (level.is_valid()) {
      executors = part.executors;
      if (std::find(executors.begin(), executors.end(), e.executor_id) == executors.end()) {
        rdd_blocks_delta = 1;
        executors.push_back(e.executor_id);
      }
    } else {
      rdd_blocks_delta = -1;
      for (const std::string& x : part.executors) {
        if (x != e.executor_id) executors.push_back(x);
      }
    }
    if (!executors.empty()) {
      int64_t mem = add_delta(part.memory_used, mem_delta);
      int64_t disk = add_delta(part.disk_used, disk_delta);
      StorageLevel l;
      l.use_disk = disk > 0;
      l.use_memory = mem > 0;
      l.use_off_heap = rdd->level.use_off_heap;
      l.deserialized = mem > 0 ? rdd->level.deserialized : false;
      l.replication = static_cast<int>(executors.size());
      part.executors = std::move(executors);
      part.memory_used = mem;
      part.disk_used = disk;
      part.storage_level = l.description();
    } else {
      rdd->remove_partition(e.block_id);
    }
    if (exec) {
      if (exec->rdd_blocks + rdd_blocks_delta > 0) {
        RddDistribution& dist = rdd->distribution(exec->id);
        dist.memory_used = add_delta(dist.memory_used, mem_delta);
        dist.disk_used = add_delta(dist.disk_used, disk_delta);
        if (exec->has_memory_info()) {
          if (level.use_off_heap) {
            dist.off_heap_used = add_delta(dist.off_heap_used, mem_delta);
          } else {
            dist.on_heap_used = add_delta(dist.on_heap_used, mem_delta);
          }
        }
        dist.last_update.reset();
      } else {
        rdd->remove_distribution(exec->id);
      }
      for (auto& [other_id, other] : s_.live_rdds) {
        if (other_id == rdd_id) continue;
        auto od = other->distributions.find(exec->id);
        if (od != other->distributions.end()) {
          od->second.last_update.reset();
          write_rdd(other);
        }
      }
    }
    rdd->memory_used = add_delta(rdd->memory_used, mem_delta);
    rdd->disk_used = add_delta(rdd->disk_used, disk_delta);
    write_rdd(rdd);
  }
  if (exec) exec->rdd_blocks += rdd_blocks_delta;
}

void StatusListener::on(BlockUpdatedEvent& e) {
  int rdd_id = 0;
  switch (parse_block_id(e.block_id, rdd_id)) {
    case BlockKind::kRdd:
      update_rdd_block(e, rdd_id);
      break;
    case BlockKind::kBroadcast: {
      auto ex = s_.live_executors.find(e.executor_id);
      if (ex != s_.live_executors.end()) {
        int64_t disk_delta = e.disk_size * (e.storage_level.use_disk ? 1 : -1);
        int64_t mem_delta = e.mem_size * (e.storage_level.use_memory ? 1 : -1);
        update_executor_memory(*ex->second, e.storage_level, mem_delta, disk_delta);
      }
      break;
    }
    case BlockKind::kStream:
    case BlockKind::kOther:
      break;
  }
}

void StatusListener::on(UnpersistRddEvent& e) {
  auto it = s_.live_rdds.find(e.rdd_id);
  if (it != s_.live_rdds.end()) {
    std::shared_ptr<Rdd> rdd = it->second;
    s_.live_rdds.erase(it);
    for (const RddPartition& p : rdd->partitions) {
      for (const std::string& exec_id : p.executors) {
        auto ex = s_.live_executors.find(exec_id);
        if (ex != s_.live_executors.end()) ex->second->rdd_blocks -= 1;
      }
    }
    for (const auto& [exec_id, dist] : rdd->distributions) {
      auto ex = s_.live_executors.find(exec_id);
      if (ex == s_.live_executors.end()) continue;
      Executor& exec = *ex->second;
      if (exec.has_memory_info()) {
        if (rdd->level.use_off_heap) {
          exec.used_off_heap = add_delta(exec.used_off_heap, -dist.off_heap_used);
        } else {
          exec.used_on_heap = add_delta(exec.used_on_heap, -dist.on_heap_used);
        }
      }
      exec.memory_used = add_delta(exec.memory_used, -dist.memory_used);
      exec.disk_used = add_delta(exec.disk_used, -dist.disk_used);
    }
  }
  s_.rdds.erase(e.rdd_id);
}

// ---- end of replay ---------------------------------------------------------------------------

namespace {

template <typename Map, typename Saved>
void save(const Map& map, const typename Map::key_type& key, Saved& saved) {
  auto it = map.find(key);
  saved.emplace_back(key, it == map.end() ? std::nullopt : std::optional(it->second));
}

template <typename Map, typename Saved>
void restore(Map& map, Saved& saved) {
  for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
    if (it->second) {
      map[it->first] = std::move(*it->second);
    } else {
      map.erase(it->first);
    }
  }
  saved.clear();
}

}  // namespace

void StatusListener::flush() {
  flushing_ = true;
  FlushUndo& u = undo_;
  u.tasks = s_.tasks.mark();
  for (auto& [key, stage] : s_.live_stages) {
    const StageInfo& info = stage->info;
    save(s_.stages, StageKey{info.stage_id, info.attempt_id}, u.stages);
    u.written_marks.emplace_back(&stage->written, stage->written);
    write_stage(stage);
    for (const auto& [id, summary] : stage->executor_summaries) {
      save(s_.exec_summaries, ExecSummaryKey{info.stage_id, info.attempt_id, id}, u.exec_summaries);
      write_exec_summary(*stage, id);
    }
  }
  for (auto& [id, job] : s_.live_jobs) {
    save(s_.jobs, job->data.job_id, u.jobs);
    u.written_marks.emplace_back(&job->written, job->written);
    write_job(*job);
  }
  for (auto& [id, exec] : s_.live_executors) {
    save(s_.executors, exec->id, u.executors);
    u.written_marks.emplace_back(&exec->written, exec->written);
    write_executor(exec);
  }
  for (auto& [id, task] : s_.live_tasks) write_task(task);
  for (auto& [id, rdd] : s_.live_rdds) {
    save(s_.rdds, rdd->id, u.rdds);
    for (auto& [exec_id, dist] : rdd->distributions) {
      if (!dist.last_update) u.computed.push_back(&dist);
    }
    write_rdd(rdd);
  }
}

void StatusListener::unflush() {
  FlushUndo& u = undo_;
  for (RddDistribution* d : u.computed) d->last_update.reset();
  u.computed.clear();
  restore(s_.rdds, u.rdds);
  restore(s_.executors, u.executors);
  restore(s_.jobs, u.jobs);
  restore(s_.exec_summaries, u.exec_summaries);
  restore(s_.stages, u.stages);
  for (auto it = u.written_marks.rbegin(); it != u.written_marks.rend(); ++it) {
    *it->first = it->second;
  }
  u.written_marks.clear();
  s_.tasks.rollback(u.tasks);
  flushing_ = false;
}

}  // namespace sp::history
