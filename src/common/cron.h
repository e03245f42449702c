// Cron schedules as the Kubeflow operator reads them (robfig/cron's ParseStandard):
// five fields (minute hour day-of-month month day-of-week) with ranges, steps, lists and
// names; the descriptors @yearly @annually @monthly @weekly @daily @midnight @hourly and
// "@every <Go duration>"; an optional "CRON_TZ=<zone> " or "TZ=<zone> " prefix.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"

namespace sp {

class CronSchedule {
 public:
  // time_zone: an IANA name ("Europe/Paris"), or "" / "Local" for the machine's zone; a
  // CRON_TZ= prefix in the expression wins. Throws sp::Invalid with the reason.
  static CronSchedule parse(const std::string& expr, const std::string& time_zone);

  // The first activation strictly after `after`, on a whole second. Time::max() when the
  // schedule has no activation within five years ("0 0 30 2 *"), where robfig returns Go's
  // zero time.
  Time next(Time after) const;

  ~CronSchedule();
  CronSchedule(CronSchedule&&) noexcept;
  CronSchedule& operator=(CronSchedule&&) noexcept;

 private:
  struct Impl;
  explicit CronSchedule(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sp
