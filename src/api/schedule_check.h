// The schedule syntax check used when validating ScheduledSparkApplications: the cron parser.
#pragma once

#include <string>

namespace sp::api {

// Throws sp::Invalid with the parser's reason when the schedule or time zone is not valid.
// Matches api::ScheduleCheck, for validate(const ScheduledSparkApplication&, ...).
void check_cron_schedule(const std::string& schedule, const std::string& time_zone);

}  // namespace sp::api
