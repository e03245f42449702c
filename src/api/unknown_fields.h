// Finds the keys of a SparkApplication or ScheduledSparkApplication document that the v1beta2
// schema does not define (typos such as `spec.driver.coress`), so callers can warn about them.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"

namespace sp::api {

// Dotted paths of unknown keys, in document order ("spec.driver.coress",
// "spec.driver.ports[0].nmae"). The kind selects the schema (SparkApplication when absent).
// Kubernetes core types (template, affinity, volumes, env, ...) and free-form maps (labels,
// sparkConf, ...) are not descended into. The document itself is not changed: unknown fields
// are kept in the stored spec.
std::vector<std::string> unknown_fields(const Json& object);

}  // namespace sp::api
