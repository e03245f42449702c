// The defaults the Kubeflow Spark Operator applies to v1beta2 specs before it runs them.
#pragma once

#include "api/types.h"

namespace sp::api {

// SetSparkApplicationDefaults of the operator: type Scala, mode cluster, restart policy Never
// (5 s retry intervals for the other policies), driver/executor cores 1 and memory "1g" unless
// sparkConf sets them, one executor unless sparkConf sets the count or dynamic allocation is on,
// and shuffle tracking on when dynamic allocation is on.
SparkApplicationSpec with_defaults(SparkApplicationSpec spec);

// concurrencyPolicy "Allow" and both run history limits 1. The template is left as stored:
// each run gets the SparkApplication defaults when it is created.
ScheduledSparkApplicationSpec with_defaults(ScheduledSparkApplicationSpec spec);

// True when `dynamicAllocation.enabled` or sparkConf's spark.dynamicAllocation.enabled says so.
bool dynamic_allocation_enabled(const SparkApplicationSpec& spec);

}  // namespace sp::api
