// What a driver's pods say about a run, read as the Kubeflow Spark Operator reads them: the
// driver's state from its pod phase and the spark-kubernetes-driver container's termination,
// the error message, the Spark application id (label spark-app-selector) and each executor's
// state. Pure functions over pod JSON, used by KubeRuntime::observe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/json.h"
#include "controller/runtime.h"

namespace sp::kube {

// The label and container names Spark gives a driver's pods.
inline constexpr const char* kLabelSparkRole = "spark-role";
inline constexpr const char* kLabelSparkAppSelector = "spark-app-selector";
inline constexpr const char* kDriverContainerName = "spark-kubernetes-driver";

// metadata.labels[key] of an object, "" when absent.
std::string label_of(const Json& object, const std::string& key);

// The driver container's status.containerStatuses[].state.terminated (the container named
// spark-kubernetes-driver, else the pod's only container), or null.
const Json* driver_terminated_state(const Json& pod);

// Kubeflow's GetDriverState: Pending; Running (Succeeded / Failed once the driver container
// terminated, even while sidecars run); Succeeded; Failed (Succeeded when the driver container
// exited 0); anything else Unknown.
controller::DriverPhase driver_phase(const Json& pod);

// Kubeflow's GetExecutorState: PENDING, RUNNING, COMPLETED, FAILED or UNKNOWN.
std::string executor_state(const Json& pod);

// The observation of a run from its driver pod and executor pods. `previous` is the
// application's status.executorState: executors it lists that are gone now are COMPLETED
// when the driver succeeded, FAILED when it failed, UNKNOWN while it runs (as Kubeflow does).
controller::DriverObservation observe_pods(const Json& driver_pod,
                                           const std::vector<const Json*>& executor_pods,
                                           const std::map<std::string, std::string>& previous);

}  // namespace sp::kube
