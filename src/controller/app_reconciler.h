// The SparkApplication reconciler: the Kubeflow operator's application state machine,
// independent of where drivers run. Each call reads the stored object, computes the next
// step, acts once and says when to look again; running it twice does no harm.
#pragma once

#include <string>

#include "api/types.h"
#include "common/clock.h"
#include "controller/app_metrics.h"
#include "controller/reconcile_result.h"
#include "controller/runtime.h"
#include "controller/store.h"

namespace sp::controller {

struct AppReconcilerOptions {
  // A SUBMITTED app whose driver does not exist yet is given this long before FAILING.
  Duration driver_creation_grace = std::chrono::seconds(10);
  // How often a live app is observed even without a runtime notification.
  Duration resync = std::chrono::seconds(30);
};

class AppReconciler {
 public:
  AppReconciler(Store& store, Runtime& runtime, const Clock& clock, AppMetrics* metrics,
                AppReconcilerOptions options = {});

  Result reconcile(const std::string& ns, const std::string& name);

 private:
  struct Ctx;
  Result handle_deletion(Ctx& c);
  Result submit(Ctx& c);
  Result observe_driver(Ctx& c);
  Result on_succeeding(Ctx& c);
  Result on_failing(Ctx& c);
  Result on_submission_failed(Ctx& c);
  Result on_terminated(Ctx& c);
  Result rerun_after_cleanup(Ctx& c, api::AppState from);
  bool spec_changed(const Ctx& c) const;
  // Puts the finalizer on the app where the runtime needs it; false on a lost write.
  bool ensure_finalizer(Ctx& c);

  // Commits c.app's status; false on a conflict (the caller requeues at once).
  bool commit_status(Ctx& c);
  bool commit_metadata(Ctx& c);
  void event(const Ctx& c, const char* type, const char* reason, const std::string& message);

  Store& store_;
  Runtime& runtime_;
  const Clock& clock_;
  AppMetrics* metrics_;
  AppReconcilerOptions options_;
};

}  // namespace sp::controller
