// The ScheduledSparkApplication reconciler: creates a SparkApplication from the template at
// each cron activation (with timeZone), honours concurrencyPolicy Allow/Forbid/Replace and
// suspend, keeps the run history within its limits and reports it in status.
#pragma once

#include <string>

#include "common/clock.h"
#include "controller/reconcile_result.h"
#include "controller/store.h"

namespace sp::controller {

class ScheduledReconciler {
 public:
  ScheduledReconciler(Store& store, const Clock& clock);

  Result reconcile(const std::string& ns, const std::string& name);

 private:
  Store& store_;
  const Clock& clock_;
};

// The name of the run due at `scheduled_time`: "<name>-<unix seconds>". Deterministic, so a
// reconcile repeated after a lost status write creates no second run.
std::string scheduled_run_name(const std::string& scheduled_name, Time scheduled_time);

}  // namespace sp::controller
