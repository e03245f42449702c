// Compact storage of written tasks (Spark's TaskDataWrapper): fixed fields in a struct, metrics
// as varints behind a bit mask, strings interned. Indexed by stage attempt by finish(); writes
// can go on after it (and be taken back to a mark), then finish() indexes again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "history/events.h"
#include "history/metrics.h"

namespace sp::history {

// Interns repeated strings (executor ids, hosts, accumulator names).
class StringPool {
 public:
  uint32_t intern(std::string_view s);
  const std::string& get(uint32_t id) const { return strings_[id]; }
  size_t memory_bytes() const;

 private:
  std::deque<std::string> strings_;
  std::unordered_map<std::string_view, uint32_t> index_;
  size_t bytes_ = 0;
};

enum class TaskStatus : uint8_t { kRunning, kGetResult, kFailed, kKilled, kSuccess, kUnknown };
const char* task_status_name(TaskStatus s);
TaskStatus task_status_from(const char* name);

struct TaskAccumulable {
  int64_t id = 0;
  uint32_t name = 0;  // interned; kNone when absent
  bool has_update = false;
  bool has_value = false;
  std::string update;
  std::string value;
};
inline constexpr uint32_t kNone = UINT32_MAX;

struct StoredTask {
  int64_t task_id = 0;
  int64_t launch_time = 0;
  int64_t result_fetch_start = -1;
  int64_t duration = 0;
  int32_t index = 0;
  int32_t attempt = 0;
  int32_t partition_id = -1;
  int32_t stage_id = 0;
  int32_t stage_attempt = 0;
  uint32_t executor = 0;
  uint32_t host = 0;
  uint32_t locality = 0;
  uint32_t error = kNone;  // index into error messages
  uint32_t accum_begin = 0;
  uint32_t accum_count = 0;
  uint64_t metrics_offset = 0;
  TaskStatus status = TaskStatus::kUnknown;
  bool speculative = false;
  bool has_metrics = false;
  bool deleted = false;  // removed by the status store's retention rules
};

// A task about to be written: everything the status store keeps of a LiveTask.
struct TaskWrite {
  const TaskInfo* info = nullptr;
  int stage_id = 0;
  int stage_attempt = 0;
  const char* status = "";
  int64_t duration = 0;
  std::optional<std::string> error;
  bool has_metrics = false;
  const TaskMetrics* metrics = nullptr;  // actual (non-negated) values
};

class TaskStore {
 public:
  void write(const TaskWrite& t);
  // Groups tasks by stage attempt, sorted by task id; a task id written twice keeps the last.
  // Again after more writes.
  void finish();

  // Where the writes stand; rollback() takes back every write after it (nothing else may have
  // changed since: no removals).
  struct Mark {
    std::size_t tasks = 0, blob = 0, errors = 0, accums = 0, error_bytes = 0;
  };
  Mark mark() const;
  void rollback(const Mark& m);

  // During replay: the written tasks of a stage attempt, in write order (deleted ones included).
  const std::vector<uint32_t>& written(int stage_id, int attempt) const;
  void remove(uint32_t pos) { tasks_[pos].deleted = true; }
  void remove_stage(int stage_id, int attempt);

  // Task positions of a stage attempt, ascending task id (after finish()).
  const std::vector<uint32_t>& stage_tasks(int stage_id, int attempt) const;
  const StoredTask& task(uint32_t pos) const { return tasks_[pos]; }
  TaskMetrics metrics(const StoredTask& t) const;
  const std::string& str(uint32_t id) const { return pool_.get(id); }
  const std::string& error(const StoredTask& t) const { return errors_[t.error]; }
  const TaskAccumulable* accumulables(const StoredTask& t) const {
    return accums_.data() + t.accum_begin;
  }
  StringPool& pool() { return pool_; }
  size_t memory_bytes() const;

 private:
  std::vector<StoredTask> tasks_;
  std::vector<uint8_t> blob_;
  std::vector<std::string> errors_;
  std::vector<TaskAccumulable> accums_;
  StringPool pool_;
  std::map<std::pair<int, int>, std::vector<uint32_t>> by_stage_;
  std::map<std::pair<int, int>, std::vector<uint32_t>> written_;
  size_t error_bytes_ = 0;
};

}  // namespace sp::history
