// Label, annotation and finalizer names shared with the Kubeflow operator, plus sparkplane's own.
#pragma once

namespace sp::controller {

inline constexpr const char* kLabelAppName = "sparkoperator.k8s.io/app-name";
inline constexpr const char* kLabelSubmissionId = "sparkoperator.k8s.io/submission-id";
inline constexpr const char* kLabelLaunchedByOperator =
    "sparkoperator.k8s.io/launched-by-spark-operator";
inline constexpr const char* kLabelScheduledAppName = "sparkoperator.k8s.io/scheduled-app-name";
inline constexpr const char* kFinalizer = "sparkoperator.k8s.io/finalizer";

// The hash of the spec a run was submitted with: a spec that no longer matches it
// (other than suspend and timeToLiveSeconds) invalidates the run.
inline constexpr const char* kAnnotationSpecHash = "sparkplane.io/submitted-spec-hash";

}  // namespace sp::controller
