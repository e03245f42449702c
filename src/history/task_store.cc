#include "history/task_store.h"

#include <algorithm>
#include <cstring>

namespace sp::history {

uint32_t StringPool::intern(std::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  strings_.emplace_back(s);
  uint32_t id = static_cast<uint32_t>(strings_.size() - 1);
  index_.emplace(std::string_view(strings_.back()), id);
  bytes_ += s.size() + 64;
  return id;
}

size_t StringPool::memory_bytes() const { return bytes_; }

const char* task_status_name(TaskStatus s) {
  switch (s) {
    case TaskStatus::kRunning:
      return "RUNNING";
    case TaskStatus::kGetResult:
      return "GET RESULT";
    case TaskStatus::kFailed:
      return "FAILED";
    case TaskStatus::kKilled:
      return "KILLED";
    case TaskStatus::kSuccess:
      return "SUCCESS";
    case TaskStatus::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

TaskStatus task_status_from(const char* name) {
  std::string_view n(name);
  if (n == "RUNNING") return TaskStatus::kRunning;
  if (n == "GET RESULT") return TaskStatus::kGetResult;
  if (n == "FAILED") return TaskStatus::kFailed;
  if (n == "KILLED") return TaskStatus::kKilled;
  if (n == "SUCCESS") return TaskStatus::kSuccess;
  return TaskStatus::kUnknown;
}

namespace {

void put_varint(std::vector<uint8_t>& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

uint64_t get_varint(const uint8_t*& p) {
  uint64_t v = 0;
  int shift = 0;
  while (true) {
    uint8_t b = *p++;
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) break;
    shift += 7;
  }
  return v;
}

uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

}  // namespace

void TaskStore::write(const TaskWrite& w) {
  const TaskInfo& info = *w.info;
  StoredTask t;
  t.task_id = info.task_id;
  t.launch_time = info.launch_time;
  t.result_fetch_start = info.getting_result() ? info.getting_result_time : -1;
  t.duration = w.duration;
  t.index = info.index;
  t.attempt = info.attempt;
  t.partition_id = info.partition_id;
  t.stage_id = w.stage_id;
  t.stage_attempt = w.stage_attempt;
  t.executor = pool_.intern(info.executor_id);
  t.host = pool_.intern(info.host);
  t.locality = pool_.intern(info.locality);
  t.status = task_status_from(w.status);
  t.speculative = info.speculative;
  t.has_metrics = w.has_metrics;
  if (w.error) {
    t.error = static_cast<uint32_t>(errors_.size());
    errors_.push_back(*w.error);
    error_bytes_ += w.error->size() + 32;
  }
  t.accum_begin = static_cast<uint32_t>(accums_.size());
  for (const AccumulableInfo& a : info.accumulables) {
    // Internal and SQL accumulators are not kept (LiveEntityHelpers.newAccumulatorInfos).
    if (a.internal || (a.metadata && *a.metadata == "sql")) continue;
    TaskAccumulable ta;
    ta.id = a.id;
    ta.name = a.name ? pool_.intern(*a.name) : kNone;
    ta.has_update = a.update.has_value();
    if (a.update) ta.update = *a.update;
    ta.has_value = a.value.has_value();
    if (a.value) ta.value = *a.value;
    accums_.push_back(std::move(ta));
  }
  t.accum_count = static_cast<uint32_t>(accums_.size() - t.accum_begin);
  t.metrics_offset = blob_.size();
  uint64_t mask = 0;
  if (w.metrics) {
    for (int i = 0; i < kNumTaskMetrics; ++i) {
      if ((*w.metrics)[i] != 0) mask |= uint64_t{1} << i;
    }
  }
  put_varint(blob_, mask);
  if (w.metrics) {
    for (int i = 0; i < kNumTaskMetrics; ++i) {
      if (mask & (uint64_t{1} << i)) put_varint(blob_, zigzag((*w.metrics)[i]));
    }
  }
  written_[{t.stage_id, t.stage_attempt}].push_back(static_cast<uint32_t>(tasks_.size()));
  tasks_.push_back(t);
  by_stage_.clear();
}

const std::vector<uint32_t>& TaskStore::written(int stage_id, int attempt) const {
  static const std::vector<uint32_t> kEmpty;
  auto it = written_.find({stage_id, attempt});
  return it == written_.end() ? kEmpty : it->second;
}

void TaskStore::remove_stage(int stage_id, int attempt) {
  auto it = written_.find({stage_id, attempt});
  if (it == written_.end()) return;
  for (uint32_t pos : it->second) tasks_[pos].deleted = true;
  written_.erase(it);
}

TaskMetrics TaskStore::metrics(const StoredTask& t) const {
  TaskMetrics m = filled_metrics(0);
  const uint8_t* p = blob_.data() + t.metrics_offset;
  uint64_t mask = get_varint(p);
  for (int i = 0; i < kNumTaskMetrics; ++i) {
    if (mask & (uint64_t{1} << i)) m[i] = unzigzag(get_varint(p));
  }
  return m;
}

void TaskStore::finish() {
  by_stage_.clear();
  std::vector<uint32_t> order(tasks_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  // By task id, later writes first, so the first of each id is the one kept.
  std::stable_sort(order.begin(), order.end(), [this](uint32_t a, uint32_t b) {
    if (tasks_[a].task_id != tasks_[b].task_id) return tasks_[a].task_id < tasks_[b].task_id;
    return a > b;
  });
  int64_t last_id = 0;
  bool have_last = false;
  for (uint32_t pos : order) {
    const StoredTask& t = tasks_[pos];
    if (have_last && t.task_id == last_id) continue;
    have_last = true;
    last_id = t.task_id;
    if (!t.deleted) by_stage_[{t.stage_id, t.stage_attempt}].push_back(pos);
  }
}

TaskStore::Mark TaskStore::mark() const {
  return Mark{tasks_.size(), blob_.size(), errors_.size(), accums_.size(), error_bytes_};
}

void TaskStore::rollback(const Mark& m) {
  for (std::size_t pos = tasks_.size(); pos > m.tasks; --pos) {
    const StoredTask& t = tasks_[pos - 1];
    auto it = written_.find({t.stage_id, t.stage_attempt});
    if (it == written_.end() || it->second.empty() || it->second.back() != pos - 1) continue;
    it->second.pop_back();
    if (it->second.empty()) written_.erase(it);
  }
  tasks_.resize(m.tasks);
  blob_.resize(m.blob);
  errors_.resize(m.errors);
  accums_.resize(m.accums);
  error_bytes_ = m.error_bytes;
  by_stage_.clear();
}

const std::vector<uint32_t>& TaskStore::stage_tasks(int stage_id, int attempt) const {
  static const std::vector<uint32_t> kEmpty;
  auto it = by_stage_.find({stage_id, attempt});
  return it == by_stage_.end() ? kEmpty : it->second;
}

size_t TaskStore::memory_bytes() const {
  size_t b = tasks_.capacity() * sizeof(StoredTask) + blob_.capacity() +
             accums_.capacity() * sizeof(TaskAccumulable) + error_bytes_ + pool_.memory_bytes();
  for (const auto& [k, v] : by_stage_) b += v.capacity() * sizeof(uint32_t) + 64;
  for (const auto& [k, v] : written_) b += v.capacity() * sizeof(uint32_t) + 64;
  return b;
}

}  // namespace sp::history
