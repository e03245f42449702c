// /executors, /allexecutors (v1.ExecutorSummary) and /allmiscellaneousprocess.
#include <chrono>

#include "history/api_internal.h"

namespace sp::history::api {

namespace {

void write_string_map(JsonWriter& w, std::string_view name, const StringPairs& pairs) {
  w.key(name);
  w.begin_object();
  for (const auto& [k, v] : pairs) w.field(k, v);
  w.end_object();
}

void write_int_set(JsonWriter& w, std::string_view name, const std::set<int>& values) {
  w.key(name);
  w.begin_array();
  for (int v : values) w.value(v);
  w.end_array();
}

void write_executor(JsonWriter& w, const AppState& s, const Executor& e) {
  int64_t total_duration = e.total_duration;
  int64_t total_gc = e.total_gc_time;
  if (e.id == "driver") {
    // AppStatusStore.replaceExec: the driver's duration is the application's, its GC time the
    // peak TotalGCTime.
    if (s.app_info) {
      int64_t start = s.app_info->start_time, end = s.app_info->end_time;
      if (end < 0) {
        int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
        total_duration = now - start;
      } else if (end != 0) {
        total_duration = end - start;
      }
    }
    if (e.peak.is_set()) total_gc = e.peak.values[kTotalGCTimeMetric];
  }
  w.begin_object();
  w.field("id", e.id);
  if (e.host_port) {
    w.field("hostPort", *e.host_port);
  } else if (e.host) {
    w.field("hostPort", *e.host);
  }
  w.field("isActive", e.active);
  w.field("rddBlocks", e.rdd_blocks);
  w.field("memoryUsed", e.memory_used);
  w.field("diskUsed", e.disk_used);
  w.field("totalCores", e.total_cores);
  w.field("maxTasks", e.max_tasks);
  w.field("activeTasks", e.active_tasks);
  w.field("failedTasks", e.failed_tasks);
  w.field("completedTasks", e.completed_tasks);
  w.field("totalTasks", e.total_tasks);
  w.field("totalDuration", total_duration);
  w.field("totalGCTime", total_gc);
  w.field("totalInputBytes", e.total_input_bytes);
  w.field("totalShuffleRead", e.total_shuffle_read);
  w.field("totalShuffleWrite", e.total_shuffle_write);
  w.field("isBlacklisted", e.excluded);
  w.field("maxMemory", e.max_memory);
  w.field_date("addTime", e.add_time);
  if (e.remove_time) w.field_date("removeTime", *e.remove_time);
  if (e.remove_reason) w.field("removeReason", *e.remove_reason);
  write_string_map(w, "executorLogs", e.executor_logs);
  if (e.has_memory_info()) {
    w.key("memoryMetrics");
    w.begin_object();
    w.field("usedOnHeapStorageMemory", e.used_on_heap);
    w.field("usedOffHeapStorageMemory", e.used_off_heap);
    w.field("totalOnHeapStorageMemory", e.total_on_heap);
    w.field("totalOffHeapStorageMemory", e.total_off_heap);
    w.end_object();
  }
  write_int_set(w, "blacklistedInStages", e.excluded_in_stages);
  if (e.peak.is_set()) {
    w.key("peakMemoryMetrics");
    write_peak_metrics(w, e.peak);
  }
  write_string_map(w, "attributes", e.attributes);
  w.key("resources");
  w.begin_object();
  for (const auto& [name, info] : e.resources) {
    w.key(name);
    w.begin_object();
    w.field("name", info.name);
    w.key("addresses");
    w.begin_array();
    for (const std::string& a : info.addresses) w.value(a);
    w.end_array();
    w.end_object();
  }
  w.end_object();
  w.field("resourceProfileId", e.resource_profile_id);
  w.field("isExcluded", e.excluded);
  write_int_set(w, "excludedInStages", e.excluded_in_stages);
  w.end_object();
}

}  // namespace

void executor_list(JsonWriter& w, const AppState& s, bool active_only) {
  w.begin_array();
  if (active_only) {
    for (auto it = s.executors.rbegin(); it != s.executors.rend(); ++it) {
      if (it->second->active && it->first != "fallback") write_executor(w, s, *it->second);
    }
  } else {
    for (const auto& [id, e] : s.executors) {
      if (id != "fallback") write_executor(w, s, *e);
    }
  }
  w.end_array();
}

void misc_process_list(JsonWriter& w, const AppState& s) {
  w.begin_array();
  for (const auto& [id, p] : s.misc_processes) {
    w.begin_object();
    w.field("id", p->id);
    w.field("hostPort", p->host_port);
    w.field("isActive", p->active);
    w.field("totalCores", p->total_cores);
    w.field_date("addTime", p->add_time);
    write_string_map(w, "processLogs", p->logs);
    w.end_object();
  }
  w.end_array();
}

}  // namespace sp::history::api
