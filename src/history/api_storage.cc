// /storage/rdd and /storage/rdd/<id> (v1.RDDStorageInfo with distributions and partitions).
#include "history/api_internal.h"

namespace sp::history::api {

namespace {

void write_rdd(JsonWriter& w, const Rdd& r) {
  w.begin_object();
  w.field("id", r.id);
  w.field("name", r.name);
  w.field("numPartitions", r.num_partitions);
  w.field("numCachedPartitions", static_cast<int64_t>(r.partitions.size()));
  w.field("storageLevel", r.level.description());
  w.field("memoryUsed", r.memory_used);
  w.field("diskUsed", r.disk_used);
  if (!r.distributions.empty()) {
    w.key("dataDistribution");
    w.begin_array();
    for (const RddDistribution* d : r.ordered_distributions()) {
      if (!d->last_update) continue;
      const RddDistributionApi& a = *d->last_update;
      w.begin_object();
      w.field("address", a.address);
      w.field("memoryUsed", a.memory_used);
      w.field("memoryRemaining", a.memory_remaining);
      w.field("diskUsed", a.disk_used);
      if (a.has_memory_info) {
        w.field("onHeapMemoryUsed", a.on_heap_used);
        w.field("offHeapMemoryUsed", a.off_heap_used);
        w.field("onHeapMemoryRemaining", a.on_heap_remaining);
        w.field("offHeapMemoryRemaining", a.off_heap_remaining);
      }
      w.end_object();
    }
    w.end_array();
  }
  w.key("partitions");
  w.begin_array();
  for (const RddPartition& p : r.partitions) {
    w.begin_object();
    w.field("blockName", p.block_name);
    w.field("storageLevel", p.storage_level);
    w.field("memoryUsed", p.memory_used);
    w.field("diskUsed", p.disk_used);
    w.key("executors");
    w.begin_array();
    for (const std::string& e : p.executors) w.value(e);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace

void rdd_list(JsonWriter& w, const AppState& s) {
  w.begin_array();
  for (const auto& [id, r] : s.rdds) {
    if (!r->partitions.empty()) write_rdd(w, *r);
  }
  w.end_array();
}

void one_rdd(JsonWriter& w, const AppState& s, int rdd_id) {
  auto it = s.rdds.find(rdd_id);
  if (it == s.rdds.end()) not_found("no rdd found w/ id " + std::to_string(rdd_id));
  write_rdd(w, *it->second);
}

}  // namespace sp::history::api
