#include "runtime/local/owner_gc.h"

#include <spdlog/spdlog.h>

#include "api/object_meta.h"
#include "api/types.h"
#include "common/error.h"

namespace sp::local {

OwnerGarbageCollector::OwnerGarbageCollector(controller::Store& store) : store_(store) {}

OwnerGarbageCollector::~OwnerGarbageCollector() { stop(); }

void OwnerGarbageCollector::start() {
  store_.subscribe([this](const controller::Change& c) {
    if (c.type != controller::Change::Type::kDeleted ||
        c.resource != controller::kScheduledSparkApplications) {
      return;
    }
    std::lock_guard lock(mu_);
    pending_ = true;
    cv_.notify_one();
  });
  pending_ = true;
  thread_ = std::thread([this] { loop(); });
}

void OwnerGarbageCollector::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void OwnerGarbageCollector::loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return pending_ || stopping_; });
    if (stopping_) return;
    pending_ = false;
    lock.unlock();
    try {
      sweep();
    } catch (const std::exception& e) {
      spdlog::warn("garbage collection: {}", e.what());
    }
    lock.lock();
  }
}

int OwnerGarbageCollector::sweep() {
  int deleted = 0;
  for (const Json& obj : store_.list(controller::kSparkApplications, "")) {
    auto meta = api::meta_from_json(obj.value("metadata", Json::object()));
    if (!meta.deletion_timestamp.empty()) continue;  // already going
    for (const auto& ref : meta.owner_references) {
      if (ref.kind != api::kScheduledSparkApplicationKind) continue;
      auto owner = store_.get(controller::kScheduledSparkApplications, meta.namespace_, ref.name);
      const Json* uid = owner ? json_at(*owner, "metadata.uid") : nullptr;
      if (uid && *uid == ref.uid) continue;
      try {
        store_.remove(controller::kSparkApplications, meta.namespace_, meta.name);
        ++deleted;
        spdlog::info("sparkapplication {}: deleted with its owner {} {}", api::object_key(meta),
                     ref.kind, ref.name);
      } catch (const NotFound&) {
      }
      break;
    }
  }
  return deleted;
}

}  // namespace sp::local
