// KubeRuntime's pure parts: a driver's state read from its pods as the Kubeflow operator reads
// them (driver_observation.h), and KubeStore's resourceVersion order. The runtime and the store
// against a real API server are the OperatorLive* suites and tests/integration/test_operator.py.
#include <gtest/gtest.h>

#include "runtime/kube/driver_observation.h"
#include "runtime/kube/kube_store.h"

namespace sp::kube {
namespace {

using controller::DriverPhase;

Json pod(const std::string& phase, Json container_statuses = Json::array(),
         Json labels = Json::object()) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", "app-driver"}, {"namespace", "ns"}, {"labels", labels}}},
          {"status", {{"phase", phase}, {"containerStatuses", container_statuses}}}};
}

Json terminated(const std::string& name, int code, const std::string& reason,
                const std::string& message = "") {
  Json t = {{"exitCode", code}, {"reason", reason}, {"finishedAt", "2026-01-02T03:04:05Z"}};
  if (!message.empty()) t["message"] = message;
  return {{"name", name}, {"state", {{"terminated", t}}}};
}

Json running(const std::string& name) {
  return {{"name", name}, {"state", {{"running", {{"startedAt", "2026-01-02T03:00:00Z"}}}}}};
}

TEST(KubeDriverObservation, PhasesAsKubeflowReadsThem) {
  EXPECT_EQ(driver_phase(pod("Pending")), DriverPhase::kPending);
  EXPECT_EQ(driver_phase(pod("Running", {running("spark-kubernetes-driver")})),
            DriverPhase::kRunning);
  EXPECT_EQ(driver_phase(pod("Succeeded")), DriverPhase::kSucceeded);
  EXPECT_EQ(driver_phase(pod("Failed")), DriverPhase::kFailed);
  EXPECT_EQ(driver_phase(pod("Unknown")), DriverPhase::kUnknown);
  EXPECT_EQ(driver_phase(pod("")), DriverPhase::kUnknown);
  // The driver container ended while a sidecar runs: the pod is still Running.
  EXPECT_EQ(driver_phase(pod("Running", {terminated("spark-kubernetes-driver", 0, "Completed"),
                                         running("sidecar")})),
            DriverPhase::kSucceeded);
  EXPECT_EQ(driver_phase(pod("Running", {terminated("spark-kubernetes-driver", 2, "Error"),
                                         running("sidecar")})),
            DriverPhase::kFailed);
  // A sidecar's end says nothing about the driver.
  EXPECT_EQ(driver_phase(pod("Running", {running("spark-kubernetes-driver"),
                                         terminated("sidecar", 1, "Error")})),
            DriverPhase::kRunning);
  // Failed pod whose driver exited 0 (a sidecar failed): Kubeflow calls it completed.
  EXPECT_EQ(driver_phase(pod("Failed", {terminated("spark-kubernetes-driver", 0, "Completed"),
                                        terminated("sidecar", 1, "Error")})),
            DriverPhase::kSucceeded);
  // A pod template may rename the only container.
  EXPECT_EQ(driver_phase(pod("Running", {terminated("main", 3, "Error")})), DriverPhase::kFailed);
}

TEST(KubeDriverObservation, FailureMessageExitCodeAndTimes) {
  auto obs = observe_pods(pod("Failed", {terminated("spark-kubernetes-driver", 1, "Error", "boom")},
                              {{"spark-app-selector", "spark-123"}}),
                          {}, {});
  EXPECT_TRUE(obs.exists);
  EXPECT_EQ(obs.phase, DriverPhase::kFailed);
  EXPECT_EQ(obs.exit_code, 1);
  EXPECT_EQ(obs.message, "driver container failed with ExitCode: 1, Reason: Error: boom");
  EXPECT_EQ(obs.pod_name, "app-driver");
  EXPECT_EQ(obs.spark_application_id, "spark-123");
  ASSERT_TRUE(obs.finished_at.has_value());

  auto evicted = pod("Failed");
  evicted["status"]["reason"] = "Evicted";
  evicted["status"]["message"] = "The node was low on resource: memory.";
  EXPECT_EQ(observe_pods(evicted, {}, {}).message,
            "driver pod failed: Evicted: The node was low on resource: memory.");
  EXPECT_EQ(observe_pods(pod("Failed"), {}, {}).message, "driver container status missing");

  auto ok = observe_pods(pod("Succeeded", {terminated("spark-kubernetes-driver", 0, "Completed")}),
                         {}, {});
  EXPECT_EQ(ok.phase, DriverPhase::kSucceeded);
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_TRUE(ok.message.empty());
}

TEST(KubeDriverObservation, ExecutorsAndTheirApplicationId) {
  Json e1 = pod("Running", Json::array(), {{"spark-app-selector", "spark-exec"}});
  e1["metadata"]["name"] = "exec-1";
  Json e2 = pod("Failed");
  e2["metadata"]["name"] = "exec-2";
  Json e3 = pod("Pending");
  e3["metadata"]["name"] = "exec-3";
  auto obs = observe_pods(pod("Running", {running("spark-kubernetes-driver")},
                              {{"spark-app-selector", "spark-driver"}}),
                          {&e1, &e2, &e3}, {{"exec-0", "RUNNING"}, {"exec-9", "COMPLETED"}});
  EXPECT_EQ(obs.spark_application_id, "spark-exec");  // the executors' id wins, as Kubeflow's
  EXPECT_EQ(obs.executor_state, (std::map<std::string, std::string>{{"exec-0", "UNKNOWN"},
                                                                    {"exec-1", "RUNNING"},
                                                                    {"exec-2", "FAILED"},
                                                                    {"exec-3", "PENDING"},
                                                                    {"exec-9", "COMPLETED"}}));
  // Executors gone once the driver ended: completed with it, or failed with it.
  auto done = observe_pods(pod("Succeeded"), {}, {{"exec-1", "RUNNING"}});
  EXPECT_EQ(done.executor_state.at("exec-1"), "COMPLETED");
  auto failed = observe_pods(pod("Failed"), {}, {{"exec-1", "PENDING"}, {"exec-2", "COMPLETED"}});
  EXPECT_EQ(failed.executor_state.at("exec-1"), "FAILED");
  EXPECT_EQ(failed.executor_state.at("exec-2"), "COMPLETED");
}

TEST(KubeDriverObservation, NativeSidecarsAreNotTheDriver) {
  // The event-log ship sidecar is an init container (restartPolicy Always): its status is in
  // status.initContainerStatuses, which no reading of the driver looks at.
  auto with_sidecar = [](Json p, Json sidecar_status) {
    p["status"]["initContainerStatuses"] = Json::array({std::move(sidecar_status)});
    return p;
  };
  // Driver running, sidecar crashed (kubelet restarts it): still running.
  EXPECT_EQ(driver_phase(with_sidecar(pod("Running", {running("spark-kubernetes-driver")}),
                                      terminated("spark-event-log-shipper", 1, "Error"))),
            DriverPhase::kRunning);
  // Driver done, sidecar still shipping the last log: done, with the driver's exit code.
  auto obs = observe_pods(
      with_sidecar(pod("Succeeded", {terminated("spark-kubernetes-driver", 0, "Completed")}),
                   running("spark-event-log-shipper")),
      {}, {});
  EXPECT_EQ(obs.phase, DriverPhase::kSucceeded);
  EXPECT_EQ(obs.exit_code, 0);
  // Driver failed, sidecar ended cleanly on SIGTERM: failed, with the driver's message.
  auto failed =
      observe_pods(with_sidecar(pod("Failed", {terminated("spark-kubernetes-driver", 1, "Error")}),
                                terminated("spark-event-log-shipper", 0, "Completed")),
                   {}, {});
  EXPECT_EQ(failed.phase, DriverPhase::kFailed);
  EXPECT_EQ(failed.message, "driver container failed with ExitCode: 1, Reason: Error");
  // A template-renamed driver is still "the only container" beside a native sidecar.
  EXPECT_EQ(driver_phase(with_sidecar(pod("Running", {terminated("main", 3, "Error")}),
                                      running("spark-event-log-shipper"))),
            DriverPhase::kFailed);
}

TEST(KubeDriverObservation, ExecutorStates) {
  EXPECT_EQ(executor_state(pod("Pending")), "PENDING");
  EXPECT_EQ(executor_state(pod("Running")), "RUNNING");
  EXPECT_EQ(executor_state(pod("Succeeded")), "COMPLETED");
  EXPECT_EQ(executor_state(pod("Failed")), "FAILED");
  EXPECT_EQ(executor_state(pod("Unknown")), "UNKNOWN");
}

TEST(KubeStoreVersions, ComparedAsRevisions) {
  EXPECT_TRUE(resource_version_newer("10", "9"));
  EXPECT_FALSE(resource_version_newer("9", "10"));
  EXPECT_FALSE(resource_version_newer("10", "10"));
  EXPECT_TRUE(resource_version_newer("1", ""));
  EXPECT_FALSE(resource_version_newer("", "1"));
  EXPECT_FALSE(resource_version_newer("abc", "1"));
  EXPECT_TRUE(resource_version_newer("18446744073709551615", "18446744073709551614"));
}

}  // namespace
}  // namespace sp::kube
