// Names and ids of a submission's Kubernetes objects: Spark's naming rules (resource name prefix,
// app-name label, driver Service and ConfigMap names) and the Kubeflow operator's (driver pod,
// UI Service and Ingress), with the random parts Spark draws replaced by digests of the
// submission, so the same submission always gets the same names.
#pragma once

#include <string>
#include <string_view>

#include "api/types.h"

namespace sp::kube {

inline constexpr size_t kMaxDnsLabel = 63;  // Kubernetes' limit for Service names and labels

// `digits` lowercase hex digits (at most 64) of SHA-256 over `seed`.
std::string hex_digest(std::string_view seed, size_t digits);

// What stands in for Spark's random ids, from (namespace, name, submission id, purpose):
// spark_app_id is "spark-" + 32 hex digits (Spark: a random UUID without dashes);
// unique_id is 16 hex digits (Spark's KubernetesUtils.uniqueID: random and clock digits).
std::string spark_app_id(const api::SparkApplication& app, const std::string& submission_id);
std::string unique_id(const api::SparkApplication& app, const std::string& submission_id,
                      std::string_view purpose);

// Spark's KubernetesConf.getResourceNamePrefix: "<app name>-<unique id>" lower-cased, characters
// other than [a-z0-9-] made '-', runs of '-' squeezed, a leading '-' dropped, a leading digit
// made 'x'.
std::string resource_name_prefix(const std::string& app_name, const std::string& unique);

// Spark's KubernetesConf.getAppNameLabel: the app name lower-cased and sanitized as above, cut
// to 63 characters, without '-' at either end.
std::string app_name_label(const std::string& app_name);

// Spark's DriverServiceFeatureStep: "<prefix>-driver-svc", or "spark-<unique>-driver-svc" when
// that is longer than 63 characters.
std::string driver_service_name(const std::string& prefix, const std::string& fallback_unique);

// The Kubeflow operator's driver pod name: spec.driver.podName, else sparkConf's
// spark.kubernetes.driver.pod.name, else "<app>-driver".
std::string driver_pod_name(const api::SparkApplication& app);

// The Kubeflow operator's generateName: "<name>-<suffix>", or when longer than 63 characters
// the name cut short, the first 8 hex digits of the MD5 of "<name>-<suffix>", and the suffix.
std::string kubeflow_name(const std::string& name, const std::string& suffix);

}  // namespace sp::kube
