// Validation of SparkApplication and ScheduledSparkApplication: the Kubeflow CRD schema's enums
// and minimums, its admission webhook's checks, and sizes that Spark would reject at submit.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/types.h"

namespace sp::api {

struct FieldError {
  std::string path;                                                // "spec.driver.cores"
  std::string message;                                             // "must be > 0, got -1"
  std::string to_string() const { return path + ": " + message; }  // "spec.driver.cores: must..."
};

// Every problem found, in document order; empty when the object is valid. Works on specs with
// or without defaults applied (an empty type, mode or restart policy type is accepted).
std::vector<FieldError> validate(const SparkApplication& app);

// Checks a schedule's syntax: throws sp::Invalid with the reason when `schedule` (in
// `time_zone`, "" for local time) cannot be parsed. See check_cron_schedule.
using ScheduleCheck =
    std::function<void(const std::string& schedule, const std::string& time_zone)>;

// Validates the spec, the template as `spec.template.*`, and the schedule with `check_schedule`
// when given (only that it is non-empty otherwise).
std::vector<FieldError> validate(const ScheduledSparkApplication& app,
                                 const ScheduleCheck& check_schedule = nullptr);

// The spec checks alone, with paths under `prefix` ("spec" or "spec.template").
void validate_spec(const SparkApplicationSpec& spec, const std::string& prefix,
                   std::vector<FieldError>& errors);

// Kubernetes name rules: a DNS-1035 label ([a-z]([-a-z0-9]*[a-z0-9])?, at most 63), a DNS-1123
// label ([a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63) and a DNS-1123 subdomain (labels joined by
// dots, at most 253).
bool is_dns1035_label(const std::string& s);
bool is_dns1123_label(const std::string& s);
bool is_dns1123_subdomain(const std::string& s);

}  // namespace sp::api
