// The Kubernetes objects of one submission of a SparkApplication, built directly instead of by a
// spark-submit JVM: the driver Pod, its spark.properties ConfigMap, the headless driver Service
// and the executor pod template ConfigMap as Spark 4.1's `spark-submit --deploy-mode cluster`
// (KubernetesClientApplication and its feature steps) creates them for the conf the Kubeflow
// operator passes it, with the operator's labels, owner references and pod customizations (its
// mutating webhook's) in place at creation, plus the operator's own objects: the Spark UI Service
// and Ingress, driver ingresses and the Prometheus ConfigMap.
//
// Pure and deterministic: the same application, submission id and options give the same
// objects, byte for byte (names and ids are derived from the submission id, not drawn at
// random), so a repeated reconcile finds what it created instead of submitting twice.
//
// Creating them (the operator's job): the objects the SparkApplication owns, then the driver
// Pod, then the Pod's dependents with own_by_driver_pod() (Spark owns them by the driver Pod, so
// deleting the Pod deletes them).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/types.h"
#include "common/json.h"

namespace sp::kube {

// The operator's event-log ship sidecar (--ship-image and its flags): an application whose event
// logs go to S3 gets them written to an emptyDir by its driver and uploaded by `sparkplane ship` in
// a native sidecar, so a stock Spark image (no Hadoop S3A jars) will do.
struct EventLogShipOptions {
  // The sparkplane image the sidecar runs (its entrypoint is sparkplane). Empty: never a sidecar.
  std::string image;
  // s3://bucket/prefix (or s3a://) for applications that enable event logs but name no
  // spark.eventLog.dir. Empty: such applications keep Spark's default.
  std::string default_dir;
  // The sidecar's AWS_ENDPOINT_URL_S3, AWS_REGION and AWS_CA_BUNDLE (a path in the ship image),
  // defaults that an application's own driver env replaces; empty ones are left out.
  std::string s3_endpoint;
  std::string s3_region;
  std::string s3_ca_file;
  bool s3_path_style = false;  // --s3-path-style for the sidecar
};

struct DriverOptions {
  // spark.master: how the driver reaches the API server (the Kubeflow operator passes
  // k8s://https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT).
  std::string master = "k8s://https://kubernetes.default.svc:443";
  // The image when neither spec.image, spec.driver.image / spec.executor.image nor sparkConf's
  // spark.kubernetes.container.image names one. Empty: such an application is an error.
  std::string default_image;
  // SPARK_USER of the driver when spec.proxyUser is not set: the user spark-submit runs as (the
  // operator's image runs it as "spark").
  std::string spark_user = "spark";
  // The spark-version label when spec.sparkVersion is empty.
  std::string default_spark_version = "4.1.1";
  // The operator's --enable-ui-service: a Service for the Spark UI.
  bool enable_ui_service = true;
  // The operator's --ingress-url-format ("{{$appName}}.spark.example.com"): an Ingress for the
  // UI Service when not empty; --ingress-class-name for its class.
  std::string ingress_url_format;
  std::string ingress_class_name;
  // spark.app.submitTime (ms since the epoch) as spark-submit records it; 0 leaves it out.
  int64_t submit_time_ms = 0;
  // The event-log ship sidecar; off unless ship.image is set.
  EventLogShipOptions ship;
};

struct DriverResources {
  std::string app_id;           // spark.app.id, the spark-app-selector label
  std::string driver_pod_name;  // status.driverInfo.podName
  std::string service_name;     // headless; spark.driver.host is <service>.<namespace>.svc
  std::string ui_service_name;  // empty when there is no UI Service
  int32_t ui_service_port = 0;
  std::string ui_ingress_name, ui_ingress_url;          // empty when there is no UI Ingress
  std::map<std::string, std::string> spark_properties;  // the driver's spark.properties

  // Owned by the SparkApplication, created before the driver Pod.
  Json prometheus_config_map = nullptr;  // monitoring.prometheus; null when not needed
  // The driver Pod, owned by the SparkApplication.
  Json driver_pod;
  // Owned by the driver Pod (see own_by_driver_pod).
  Json config_map;                              // spark-drv-<id>-conf-map: spark.properties
  Json service;                                 // <prefix>-driver-svc, headless
  Json executor_template_config_map = nullptr;  // null when executors need no pod template
  // Owned by the SparkApplication, created once the driver Pod exists (as the operator does).
  Json ui_service = nullptr;
  Json ui_ingress = nullptr;
  std::vector<Json> ingress_services;  // one per spec.driverIngressOptions entry
  std::vector<Json> ingresses;

  // Problems that do not stop the submission ("spec.deps.jars[0]: local file ...").
  std::vector<std::string> warnings;

  // Every object in the order to create them (see the header comment).
  std::vector<Json> objects() const;
};

// Builds the objects of submission `submission_id` of `app`, whose spec has the operator's
// defaults applied (api::with_defaults). metadata.uid, when set, makes the owner references.
// Throws sp::Invalid("spec.<field>: ...") for an application spark-submit would refuse (no
// image, a reserved label, a malformed quantity).
DriverResources build_driver_resources(const api::SparkApplication& app,
                                       const std::string& submission_id, const DriverOptions& opts);

// Makes the driver Pod `pod_name` (uid `pod_uid`) the controller owner of `object`, as
// spark-submit does for the driver's ConfigMaps and Service once the Pod exists.
void own_by_driver_pod(Json& object, const std::string& pod_name, const std::string& pod_uid);

}  // namespace sp::kube
