// Runs the reconcilers: watches the store and the runtime, queues the keys of changed objects
// and hands them to worker threads; failed reconciles are retried with per-key backoff.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/metrics.h"
#include "controller/app_metrics.h"
#include "controller/app_reconciler.h"
#include "controller/runtime.h"
#include "controller/scheduled_reconciler.h"
#include "controller/store.h"
#include "controller/work_queue.h"

namespace sp::controller {

struct ManagerOptions {
  int workers = 4;
  AppReconcilerOptions app;
};

class Manager {
 public:
  Manager(Store& store, Runtime& runtime, const Clock& clock, MetricsRegistry& metrics,
          ManagerOptions options = {});
  ~Manager();

  // Subscribes to changes, queues every stored object (so work cut short by a restart is
  // picked up again) and starts the workers.
  void start();
  void stop();

 private:
  void worker();
  void process(const std::string& key);
  void enqueue_change(const Change& change);

  Store& store_;
  Runtime& runtime_;
  ManagerOptions options_;
  AppMetrics app_metrics_;
  AppReconciler apps_;
  ScheduledReconciler scheduled_;
  WorkQueue queue_;
  std::vector<std::thread> threads_;
};

}  // namespace sp::controller
