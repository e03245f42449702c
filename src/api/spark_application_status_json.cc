// SparkApplication status JSON, with Go's omitempty rules of the Kubeflow status types.
#include "api/json_reader.h"
#include "api/types.h"

namespace sp::api {
namespace {

void put_string(Json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

void put_int(Json& j, const char* key, int64_t v) {
  if (v != 0) j[key] = v;
}

bool is_empty(const DriverInfo& d) {
  return d.web_ui_service_name.empty() && d.web_ui_address.empty() && d.web_ui_port == 0 &&
         d.web_ui_ingress_name.empty() && d.web_ui_ingress_address.empty() && d.pod_name.empty();
}

bool is_empty(const SparkApplicationStatus& s) {
  return s.spark_application_id.empty() && s.submission_id.empty() &&
         s.last_submission_attempt_time.empty() && s.termination_time.empty() &&
         is_empty(s.driver_info) && s.app_state.state == AppState::kNew &&
         s.app_state.error_message.empty() && s.executor_state.empty() &&
         s.execution_attempts == 0 && s.submission_attempts == 0;
}

}  // namespace

// An all-zero status is written as {} so that a new object carries no status at all. Otherwise
// driverInfo and applicationState.state are always present (they have no omitempty in Go);
// zero times are left out rather than written as null.
Json status_to_json(const SparkApplicationStatus& s) {
  Json j = Json::object();
  if (is_empty(s)) return j;
  put_string(j, "sparkApplicationId", s.spark_application_id);
  put_string(j, "submissionID", s.submission_id);
  put_string(j, "lastSubmissionAttemptTime", s.last_submission_attempt_time);
  put_string(j, "terminationTime", s.termination_time);
  Json driver = Json::object();
  put_string(driver, "webUIServiceName", s.driver_info.web_ui_service_name);
  put_string(driver, "webUIAddress", s.driver_info.web_ui_address);
  put_int(driver, "webUIPort", s.driver_info.web_ui_port);
  put_string(driver, "webUIIngressName", s.driver_info.web_ui_ingress_name);
  put_string(driver, "webUIIngressAddress", s.driver_info.web_ui_ingress_address);
  put_string(driver, "podName", s.driver_info.pod_name);
  j["driverInfo"] = std::move(driver);
  Json state = {{"state", to_string(s.app_state.state)}};
  put_string(state, "errorMessage", s.app_state.error_message);
  j["applicationState"] = std::move(state);
  if (!s.executor_state.empty()) j["executorState"] = s.executor_state;
  put_int(j, "executionAttempts", s.execution_attempts);
  put_int(j, "submissionAttempts", s.submission_attempts);
  return j;
}

SparkApplicationStatus status_from_json(const Json& s) {
  ObjectReader r(s, "status");
  SparkApplicationStatus out;
  r("sparkApplicationId", out.spark_application_id);
  r("submissionID", out.submission_id);
  r("lastSubmissionAttemptTime", out.last_submission_attempt_time);
  r("terminationTime", out.termination_time);
  r.object("driverInfo", [&](const ObjectReader& d) {
    d("webUIServiceName", out.driver_info.web_ui_service_name);
    d("webUIAddress", out.driver_info.web_ui_address);
    d("webUIPort", out.driver_info.web_ui_port);
    d("webUIIngressName", out.driver_info.web_ui_ingress_name);
    d("webUIIngressAddress", out.driver_info.web_ui_ingress_address);
    d("podName", out.driver_info.pod_name);
  });
  r.object("applicationState", [&](const ObjectReader& a) {
    std::string state;
    a("state", state);
    out.app_state.state = app_state_from_string(state);
    a("errorMessage", out.app_state.error_message);
  });
  r("executorState", out.executor_state);
  r("executionAttempts", out.execution_attempts);
  r("submissionAttempts", out.submission_attempts);
  return out;
}

}  // namespace sp::api
