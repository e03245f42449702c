// A Runtime for controller unit tests: drivers whose phase the test sets by hand.
// (End-to-end tests run real Spark through the local runtime.) Its calls lock, so a Manager's
// workers may use it while the test sets phases; the fields are read by tests between calls.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "controller/runtime.h"

namespace sp::testing {

class ScriptedRuntime : public controller::Runtime {
 public:
  controller::SubmitResult submit(const api::SparkApplication& app,
                                  const std::string& submission_id) override {
    std::lock_guard lock(mu);
    submits.push_back(submission_id);
    if (!next_submit_error.empty()) {
      return {false, next_submit_error, app.metadata.name + "-driver"};
    }
    if (!drivers.count(submission_id)) {
      controller::DriverObservation obs;
      obs.exists = true;
      obs.phase = controller::DriverPhase::kPending;
      obs.pod_name = app.metadata.name + "-driver";
      drivers[submission_id] = obs;
    }
    return {true, "", app.metadata.name + "-driver"};
  }

  controller::DriverObservation observe(const api::SparkApplication& app) override {
    std::lock_guard lock(mu);
    auto it = drivers.find(app.status.submission_id);
    return it == drivers.end() ? controller::DriverObservation{} : it->second;
  }

  bool delete_resources(const api::SparkApplication& app) override {
    std::lock_guard lock(mu);
    deletes.push_back(app.metadata.name);
    if (!deletion_completes) return false;
    drivers.erase(app.status.submission_id);
    return true;
  }

  bool garbage_collects() const override { return collects_garbage; }

  void subscribe(std::function<void(const std::string&)> fn) override {
    std::lock_guard lock(mu);
    on_change = std::move(fn);
  }

  // Sets the phase of the driver of `submission_id`, and tells a subscriber.
  void set_phase(const std::string& submission_id, controller::DriverPhase phase,
                 const std::string& message = "", const std::string& app_key = "") {
    std::function<void(const std::string&)> notify;
    {
      std::lock_guard lock(mu);
      auto& d = drivers[submission_id];
      d.exists = true;
      d.phase = phase;
      d.message = message;
      if (phase == controller::DriverPhase::kRunning) d.spark_application_id = "local-123";
      notify = on_change;
    }
    if (notify && !app_key.empty()) notify(app_key);
  }

  std::mutex mu;
  std::map<std::string, controller::DriverObservation> drivers;
  std::vector<std::string> submits;
  std::vector<std::string> deletes;
  std::string next_submit_error;
  bool deletion_completes = true;
  bool collects_garbage = false;  // as Kubernetes does through owner references
  std::function<void(const std::string&)> on_change;
};

}  // namespace sp::testing
