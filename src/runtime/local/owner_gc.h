// Garbage collection by owner reference for the embedded store, as Kubernetes' garbage
// collector does it: when a ScheduledSparkApplication is deleted, the SparkApplications it
// owns (its runs) are deleted too.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "controller/store.h"

namespace sp::local {

class OwnerGarbageCollector {
 public:
  explicit OwnerGarbageCollector(controller::Store& store);
  ~OwnerGarbageCollector();

  // Subscribes to the store, sweeps once (owners deleted while sparkplane was down) and then
  // after every deletion of an owner.
  void start();
  void stop();

  // Deletes every SparkApplication whose owning ScheduledSparkApplication is gone. Returns
  // how many were deleted.
  int sweep();

 private:
  void loop();

  controller::Store& store_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sp::local
