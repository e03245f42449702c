// Label and finalizer names shared with the Kubeflow operator.
#pragma once

namespace sp::controller {

inline constexpr const char* kLabelAppName = "sparkoperator.k8s.io/app-name";
inline constexpr const char* kLabelSubmissionId = "sparkoperator.k8s.io/submission-id";
inline constexpr const char* kLabelLaunchedByOperator =
    "sparkoperator.k8s.io/launched-by-spark-operator";
inline constexpr const char* kLabelScheduledAppName = "sparkoperator.k8s.io/scheduled-app-name";
inline constexpr const char* kFinalizer = "sparkoperator.k8s.io/finalizer";

}  // namespace sp::controller
