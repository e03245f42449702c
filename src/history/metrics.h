// The task metrics and executor metrics Spark records, as fixed arrays of 64-bit counters.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sp::history {

// Task metrics in the order of Spark's v1.TaskMetrics (flattened).
enum TaskMetric : int {
  kExecutorDeserializeTime,
  kExecutorDeserializeCpuTime,
  kExecutorRunTime,
  kExecutorCpuTime,
  kResultSize,
  kJvmGcTime,
  kResultSerializationTime,
  kMemoryBytesSpilled,
  kDiskBytesSpilled,
  kPeakExecutionMemory,
  kInputBytesRead,
  kInputRecordsRead,
  kOutputBytesWritten,
  kOutputRecordsWritten,
  kShuffleRemoteBlocksFetched,
  kShuffleLocalBlocksFetched,
  kShuffleFetchWaitTime,
  kShuffleRemoteBytesRead,
  kShuffleRemoteBytesReadToDisk,
  kShuffleLocalBytesRead,
  kShuffleRecordsRead,
  kShuffleRemoteReqsDuration,
  kPushCorruptMergedBlockChunks,
  kPushMergedFetchFallbackCount,
  kPushRemoteMergedBlocksFetched,
  kPushLocalMergedBlocksFetched,
  kPushRemoteMergedChunksFetched,
  kPushLocalMergedChunksFetched,
  kPushRemoteMergedBytesRead,
  kPushLocalMergedBytesRead,
  kPushRemoteMergedReqsDuration,
  kShuffleBytesWritten,
  kShuffleWriteTime,
  kShuffleRecordsWritten,
  kNumTaskMetrics
};

using TaskMetrics = std::array<int64_t, kNumTaskMetrics>;

inline TaskMetrics filled_metrics(int64_t v) {
  TaskMetrics m;
  m.fill(v);
  return m;
}

inline void add_metrics(TaskMetrics& into, const TaskMetrics& delta, int64_t mult = 1) {
  for (int i = 0; i < kNumTaskMetrics; ++i) into[i] += delta[i] * mult;
}

// Executor-level metrics, in the order of Spark's ExecutorMetricType.metricToOffset.
inline constexpr int kNumExecutorMetrics = 23;
inline constexpr std::array<std::string_view, kNumExecutorMetrics> kExecutorMetricNames = {
    "JVMHeapMemory",
    "JVMOffHeapMemory",
    "OnHeapExecutionMemory",
    "OffHeapExecutionMemory",
    "OnHeapStorageMemory",
    "OffHeapStorageMemory",
    "OnHeapUnifiedMemory",
    "OffHeapUnifiedMemory",
    "DirectPoolMemory",
    "MappedPoolMemory",
    "ProcessTreeJVMVMemory",
    "ProcessTreeJVMRSSMemory",
    "ProcessTreePythonVMemory",
    "ProcessTreePythonRSSMemory",
    "ProcessTreeOtherVMemory",
    "ProcessTreeOtherRSSMemory",
    "MinorGCCount",
    "MinorGCTime",
    "MajorGCCount",
    "MajorGCTime",
    "TotalGCTime",
    "ConcurrentGCCount",
    "ConcurrentGCTime",
};
inline constexpr int kTotalGCTimeMetric = 20;

using ExecutorMetricValues = std::array<int64_t, kNumExecutorMetrics>;

// Peak values of executor metrics (Spark's ExecutorMetrics): unset until the first update.
struct PeakExecutorMetrics {
  ExecutorMetricValues values{};
  PeakExecutorMetrics() { values[0] = -1; }
  bool is_set() const { return values[0] > -1; }
  // Raises each value to the new one when larger; true if any changed.
  bool update(const ExecutorMetricValues& other) {
    bool changed = false;
    for (int i = 0; i < kNumExecutorMetrics; ++i) {
      if (other[i] > values[i]) {
        values[i] = other[i];
        changed = true;
      }
    }
    return changed;
  }
};

}  // namespace sp::history
