// Where drivers run, seen by the controller: a local process or a Kubernetes pod.
// Every call is idempotent for the same submission id: submitting twice starts one driver.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "api/types.h"
#include "common/clock.h"

namespace sp::controller {

// The driver's lifecycle as the runtime sees it (Kubernetes pod phases).
enum class DriverPhase { kPending, kRunning, kSucceeded, kFailed, kUnknown };

struct DriverObservation {
  bool exists = false;  // a driver for the current submission id exists (running or ended)
  DriverPhase phase = DriverPhase::kUnknown;
  std::optional<int> exit_code;
  std::string message;  // why it failed, for status.applicationState.errorMessage
  std::string spark_application_id;
  std::string pod_name;
  std::string web_ui_address;
  int32_t web_ui_port = 0;
  std::string web_ui_service_name;  // the Spark UI's Service and Ingress, when the runtime made
  std::string web_ui_ingress_name;  // them (Kubernetes); copied into status.driverInfo
  std::string web_ui_ingress_address;
  std::optional<Time> finished_at;
  std::map<std::string, std::string> executor_state;  // name -> PENDING/RUNNING/...
};

struct SubmitResult {
  bool ok = false;
  std::string error;     // one line, when !ok
  std::string pod_name;  // the driver's name (pod, or process label)
};

class Runtime {
 public:
  virtual ~Runtime() = default;

  // Starts the driver for `app` (spec already defaulted) under `submission_id`.
  virtual SubmitResult submit(const api::SparkApplication& app,
                              const std::string& submission_id) = 0;
  // What the driver of app.status.submissionID is doing now.
  virtual DriverObservation observe(const api::SparkApplication& app) = 0;
  // Stops and removes every driver resource of the app. Returns true once all are gone.
  virtual bool delete_resources(const api::SparkApplication& app) = 0;
  // True when the platform deletes an app's driver resources by itself once the app is gone
  // (Kubernetes: owner references and its garbage collector), so apps need no finalizer and no
  // write before their first submission, as with the Kubeflow operator.
  virtual bool garbage_collects() const { return false; }
  // Called (from any thread) with "namespace/name" when a driver of that app changes.
  virtual void subscribe(std::function<void(const std::string& key)> on_change) = 0;
};

}  // namespace sp::controller
