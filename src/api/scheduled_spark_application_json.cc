// ScheduledSparkApplication JSON: typed spec and status, the whole object with spec as stored.
#include "api/json_reader.h"
#include "api/types.h"

namespace sp::api {

ScheduledSparkApplicationSpec scheduled_spark_application_spec_from_json(const Json& spec) {
  ObjectReader r(spec, "spec");
  ScheduledSparkApplicationSpec s;
  r("schedule", s.schedule);
  r("timeZone", s.time_zone);
  if (const Json* t = r.find("template")) {
    // Checks the template's types now, so a bad template fails at apply and not at the first run.
    (void)spark_application_spec_from_json(*t, r.path_of("template"));
    s.template_raw = *t;
  }
  r("suspend", s.suspend);
  r("concurrencyPolicy", s.concurrency_policy);
  r("successfulRunHistoryLimit", s.successful_run_history_limit);
  r("failedRunHistoryLimit", s.failed_run_history_limit);
  return s;
}

ScheduledSparkApplication scheduled_spark_application_from_json(const Json& obj) {
  if (!obj.is_object()) throw_type_error("(document)", "an object", obj);
  ScheduledSparkApplication app;
  app.metadata = meta_from_json(obj.value("metadata", Json()));
  auto spec = obj.find("spec");
  if (spec != obj.end() && !spec->is_null()) {
    if (!spec->is_object()) throw_type_error("spec", "an object", *spec);
    app.spec_raw = *spec;
  }
  app.spec = scheduled_spark_application_spec_from_json(app.spec_raw);
  if (auto status = obj.find("status"); status != obj.end()) {
    app.status = scheduled_status_from_json(*status);
  }
  return app;
}

Json to_json(const ScheduledSparkApplication& app) {
  return object_to_json(kApiVersion, kScheduledSparkApplicationKind, app.metadata, app.spec_raw,
                        status_to_json(app.status));
}

// Every field has omitempty in Go; zero times are left out.
Json status_to_json(const ScheduledSparkApplicationStatus& s) {
  Json j = Json::object();
  if (!s.last_run.empty()) j["lastRun"] = s.last_run;
  if (!s.next_run.empty()) j["nextRun"] = s.next_run;
  if (!s.last_run_name.empty()) j["lastRunName"] = s.last_run_name;
  if (!s.past_successful_run_names.empty()) {
    j["pastSuccessfulRunNames"] = s.past_successful_run_names;
  }
  if (!s.past_failed_run_names.empty()) j["pastFailedRunNames"] = s.past_failed_run_names;
  if (!s.schedule_state.empty()) j["scheduleState"] = s.schedule_state;
  if (!s.reason.empty()) j["reason"] = s.reason;
  return j;
}

ScheduledSparkApplicationStatus scheduled_status_from_json(const Json& s) {
  ObjectReader r(s, "status");
  ScheduledSparkApplicationStatus out;
  r("lastRun", out.last_run);
  r("nextRun", out.next_run);
  r("lastRunName", out.last_run_name);
  r("pastSuccessfulRunNames", out.past_successful_run_names);
  r("pastFailedRunNames", out.past_failed_run_names);
  r("scheduleState", out.schedule_state);
  r("reason", out.reason);
  return out;
}

}  // namespace sp::api
