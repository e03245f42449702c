#include "runtime/kube/driver_observation.h"

#include "common/time_format.h"

namespace sp::kube {

using controller::DriverPhase;

namespace {

bool executor_terminated(const std::string& state) {
  return state == "COMPLETED" || state == "FAILED";
}

}  // namespace

std::string label_of(const Json& object, const std::string& key) {
  const Json* labels = json_at(object, "metadata.labels");
  if (labels == nullptr || !labels->is_object()) return {};
  auto it = labels->find(key);
  return it != labels->end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json* driver_terminated_state(const Json& pod) {
  const Json* statuses = json_at(pod, "status.containerStatuses");
  if (statuses == nullptr || !statuses->is_array() || statuses->empty()) return nullptr;
  const Json* chosen = nullptr;
  for (const auto& s : *statuses) {
    if (s.is_object() && s.value("name", "") == kDriverContainerName) chosen = &s;
  }
  if (chosen == nullptr && statuses->size() == 1) chosen = &statuses->front();
  if (chosen == nullptr) return nullptr;
  const Json* terminated = json_at(*chosen, "state.terminated");
  return terminated != nullptr && terminated->is_object() ? terminated : nullptr;
}

DriverPhase driver_phase(const Json& pod) {
  const std::string phase = string_at(pod, "status.phase");
  const Json* terminated = driver_terminated_state(pod);
  const bool exited_zero = terminated != nullptr && terminated->value("exitCode", -1) == 0;
  if (phase == "Pending") return DriverPhase::kPending;
  if (phase == "Running") {
    if (terminated == nullptr) return DriverPhase::kRunning;
    return exited_zero ? DriverPhase::kSucceeded : DriverPhase::kFailed;
  }
  if (phase == "Succeeded") return DriverPhase::kSucceeded;
  if (phase == "Failed") return exited_zero ? DriverPhase::kSucceeded : DriverPhase::kFailed;
  return DriverPhase::kUnknown;
}

std::string executor_state(const Json& pod) {
  const std::string phase = string_at(pod, "status.phase");
  if (phase == "Pending") return "PENDING";
  if (phase == "Running") return "RUNNING";
  if (phase == "Succeeded") return "COMPLETED";
  if (phase == "Failed") return "FAILED";
  return "UNKNOWN";
}

controller::DriverObservation observe_pods(const Json& driver_pod,
                                           const std::vector<const Json*>& executor_pods,
                                           const std::map<std::string, std::string>& previous) {
  controller::DriverObservation obs;
  obs.exists = true;
  obs.phase = driver_phase(driver_pod);
  obs.pod_name = string_at(driver_pod, "metadata.name");
  obs.spark_application_id = label_of(driver_pod, kLabelSparkAppSelector);

  const Json* terminated = driver_terminated_state(driver_pod);
  if (terminated != nullptr) {
    if (auto code = terminated->find("exitCode");
        code != terminated->end() && code->is_number_integer()) {
      obs.exit_code = code->get<int>();
    }
    obs.finished_at = parse_rfc3339(terminated->value("finishedAt", ""));
  }
  if (obs.phase == DriverPhase::kFailed) {
    if (terminated != nullptr) {
      // Kubeflow's message, then the container's own termination message when it left one.
      obs.message = std::string("driver container failed with ExitCode: ")
                        .append(std::to_string(obs.exit_code.value_or(-1)))
                        .append(", Reason: ")
                        .append(terminated->value("reason", ""));
      const std::string detail = terminated->value("message", "");
      if (!detail.empty()) obs.message.append(": ").append(detail);
    } else {
      const std::string reason = string_at(driver_pod, "status.reason");
      const std::string detail = string_at(driver_pod, "status.message");
      if (reason.empty() && detail.empty()) {
        obs.message = "driver container status missing";
      } else {
        obs.message = std::string("driver pod failed: ").append(reason);
        if (!reason.empty() && !detail.empty()) obs.message.append(": ");
        obs.message.append(detail);
      }
    }
  }

  std::string executor_app_id;
  for (const Json* pod : executor_pods) {
    const std::string name = string_at(*pod, "metadata.name");
    if (name.empty()) continue;
    obs.executor_state[name] = executor_state(*pod);
    if (executor_app_id.empty()) executor_app_id = label_of(*pod, kLabelSparkAppSelector);
  }
  // The executors' id wins when they have one (Kubeflow: it may differ from the driver's label).
  if (!executor_app_id.empty()) obs.spark_application_id = executor_app_id;
  for (const auto& [name, state] : previous) {
    if (obs.executor_state.contains(name)) continue;
    if (executor_terminated(state)) {
      obs.executor_state[name] = state;
    } else if (obs.phase == DriverPhase::kSucceeded) {
      obs.executor_state[name] = "COMPLETED";
    } else if (obs.phase == DriverPhase::kFailed) {
      obs.executor_state[name] = "FAILED";
    } else {
      obs.executor_state[name] = "UNKNOWN";
    }
  }
  return obs;
}

}  // namespace sp::kube
