#include "history/model.h"

#include "history/scala_hash_order.h"

namespace sp::history {

const char* job_status_name(JobStatus s) {
  switch (s) {
    case JobStatus::kRunning:
      return "RUNNING";
    case JobStatus::kSucceeded:
      return "SUCCEEDED";
    case JobStatus::kFailed:
      return "FAILED";
    case JobStatus::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

const char* stage_status_name(StageStatus s) {
  switch (s) {
    case StageStatus::kActive:
      return "ACTIVE";
    case StageStatus::kComplete:
      return "COMPLETE";
    case StageStatus::kFailed:
      return "FAILED";
    case StageStatus::kPending:
      return "PENDING";
    case StageStatus::kSkipped:
      return "SKIPPED";
  }
  return "PENDING";
}

JobData LiveJob::snapshot() const {
  JobData d = data;
  d.num_completed_indices = static_cast<int>(completed_indices.size());
  d.num_completed_stages = static_cast<int>(completed_stages.size());
  d.num_skipped_stages = static_cast<int>(skipped_stages.size());
  return d;
}

std::string Executor::hostname() const {
  if (host) return *host;
  if (!host_port) return std::string();
  const std::string& hp = *host_port;
  size_t colon = hp.rfind(':');
  std::string h = colon == std::string::npos ? hp : hp.substr(0, colon);
  size_t b = h.find_first_not_of(" \t\r\n");
  size_t e = h.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : h.substr(b, e - b + 1);
}

RddPartition& Rdd::partition(const std::string& block_name) {
  auto it = partition_index.find(block_name);
  if (it != partition_index.end()) return *it->second;
  RddPartition p;
  p.block_name = block_name;
  // LiveRDDPartition.update(Nil, 0, 0): no memory, no disk.
  StorageLevel l;
  l.use_disk = false;
  l.use_memory = false;
  l.use_off_heap = level.use_off_heap;
  l.deserialized = false;
  l.replication = 0;
  p.storage_level = l.description();
  partitions.push_back(std::move(p));
  auto pos = std::prev(partitions.end());
  partition_index.emplace(block_name, pos);
  return *pos;
}

void Rdd::remove_partition(const std::string& block_name) {
  auto it = partition_index.find(block_name);
  if (it == partition_index.end()) return;
  partitions.erase(it->second);
  partition_index.erase(it);
}

RddDistribution& Rdd::distribution(const std::string& executor_id) {
  auto it = distributions.find(executor_id);
  if (it != distributions.end()) return it->second;
  // mutable.HashMap.getOrElseUpdate grows the table before inserting a new key.
  if (static_cast<int64_t>(distributions.size()) + 1 >=
      static_cast<int64_t>(distribution_table_size) * 3 / 4) {
    distribution_table_size *= 2;
  }
  RddDistribution d;
  d.executor_id = executor_id;
  d.insertion = insertions++;
  return distributions.emplace(executor_id, std::move(d)).first->second;
}

bool Rdd::remove_distribution(const std::string& executor_id) {
  return distributions.erase(executor_id) > 0;
}

std::vector<const RddDistribution*> Rdd::ordered_distributions() const {
  std::vector<const RddDistribution*> all;
  std::vector<ScalaHashEntry> entries;
  for (const auto& [exec_id, d] : distributions) {
    entries.push_back({java_string_hash(exec_id), d.insertion, all.size()});
    all.push_back(&d);
  }
  scala_hash_order(entries, distribution_table_size);
  std::vector<const RddDistribution*> out;
  out.reserve(all.size());
  for (const ScalaHashEntry& e : entries) out.push_back(all[e.index]);
  return out;
}

}  // namespace sp::history
