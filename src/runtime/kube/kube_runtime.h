// controller::Runtime on Kubernetes: a run's driver is a Pod, created with its ConfigMaps and
// Services directly (build_driver_resources), with no spark-submit JVM. Drivers and executors
// are followed through an informer over the pods the operator launched (label
// sparkoperator.k8s.io/launched-by-spark-operator=true).
//
// - submit() creates the submission's objects in order (driver_resources.h). Their names are
//   deterministic, so AlreadyExists means "created before": a repeated reconcile, or a second
//   replica, finds the driver it made instead of starting another. A driver pod of another
//   submission under the same name is an error (thrown, so the reconcile is retried once the
//   old pod is gone). A spec Spark would refuse, or an object the API server refuses (422,
//   403), is a failed submission; other API failures are thrown and retried.
// - observe() reads the driver pod of status.submissionID (the informer's cache, else one GET)
//   and its executor pods, as the Kubeflow operator reads them (driver_observation.h), and the
//   UI Service's address. Once the driver has ended it deletes the UI Service and Ingress, as
//   the Kubeflow operator does when an app terminates.
// - delete_resources() deletes the driver pod (its ConfigMaps, Service and executors go with it
//   by owner references, through kube-controller-manager's garbage collector) and the UI
//   Service and Ingresses of the app; true once the pod is gone. Objects whose labels or owners
//   say they are not this app's are left alone.
// - subscribe() hears "namespace/app name" for every change of such a pod.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "controller/runtime.h"
#include "runtime/kube/driver_resources.h"
#include "runtime/kube/informer.h"
#include "runtime/kube/kube_client.h"

namespace sp::kube {

struct KubeRuntimeOptions {
  DriverOptions driver;
  // Namespaces whose pods are watched; empty: every namespace (one informer).
  std::vector<std::string> namespaces;
};

class KubeRuntime final : public controller::Runtime {
 public:
  // `client` must outlive the runtime.
  KubeRuntime(KubeClient& client, KubeRuntimeOptions options);
  ~KubeRuntime() override;
  KubeRuntime(const KubeRuntime&) = delete;
  KubeRuntime& operator=(const KubeRuntime&) = delete;

  // Starts (stops) the pod informers.
  void start();
  void stop();
  bool has_synced() const;

  controller::SubmitResult submit(const api::SparkApplication& app,
                                  const std::string& submission_id) override;
  controller::DriverObservation observe(const api::SparkApplication& app) override;
  bool delete_resources(const api::SparkApplication& app) override;
  // Driver resources are owned by the app (directly or through the driver pod): the garbage
  // collector deletes them with it.
  bool garbage_collects() const override { return true; }
  void subscribe(std::function<void(const std::string& key)> on_change) override;

 private:
  // The Spark UI of one submission, as observe() reports it.
  struct UiInfo {
    std::string submission_id;
    std::string service_name;
    std::string address;  // "<cluster IP>:<port>"
    int32_t port = 0;
    std::string ingress_name;
    std::string ingress_address;
  };

  Informer* informer_for(const std::string& ns) const;
  void notify(const Json& pod);
  UiInfo ui_of(const api::SparkApplication& app);
  // Submitted less than 5 s ago (status.lastSubmissionAttemptTime).
  bool just_submitted(const api::SparkApplication& app) const;
  // Deletes the Services and Ingresses the operator made for `app` (only the UI's when
  // `ui_only`), those whose owner is the app.
  void delete_operator_objects(const api::SparkApplication& app, bool ui_only);
  UiInfo make_ui_info(const DriverResources& r, const std::string& ns,
                      const std::string& submission_id, const Json* created_service);

  KubeClient& client_;
  KubeRuntimeOptions options_;
  std::vector<std::unique_ptr<Informer>> informers_;
  std::map<std::string, Informer*> by_namespace_;  // "" when one informer watches them all

  mutable std::mutex mu_;
  std::vector<std::function<void(const std::string&)>> subscribers_;
  // "namespace/name" -> the UI of a submission whose status does not carry it yet.
  std::map<std::string, UiInfo> ui_;
};

}  // namespace sp::kube
