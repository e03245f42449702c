// A stable hash of a SparkApplication spec, to tell when a running app's spec changed.
#pragma once

#include <string>

#include "common/json.h"

namespace sp::controller {

// Hex FNV-1a 64 of the spec with keys sorted, ignoring `suspend` and `timeToLiveSeconds`
// (changing those does not rerun an app, as in the Kubeflow operator).
std::string spec_hash(const Json& spec);

}  // namespace sp::controller
