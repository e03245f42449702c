// Schedule syntax check by the shared cron parser (src/common/cron.h).
#include "api/schedule_check.h"

#include "common/cron.h"

namespace sp::api {

void check_cron_schedule(const std::string& schedule, const std::string& time_zone) {
  (void)CronSchedule::parse(schedule, time_zone);
}

}  // namespace sp::api
