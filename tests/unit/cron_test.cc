#include "common/cron.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "common/error.h"
#include "common/time_format.h"

namespace sp {
namespace {

Time at(const std::string& rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  if (!t) throw std::runtime_error("bad time in test: " + rfc3339);
  return *t;
}

// The next activation after `from`, as an RFC 3339 UTC string for readable failures.
std::string next(const std::string& expr, const std::string& from,
                 const std::string& zone = "UTC") {
  return format_rfc3339(CronSchedule::parse(expr, zone).next(at(from)));
}

std::string utc(const std::string& rfc3339) { return format_rfc3339(at(rfc3339)); }

std::string parse_error(const std::string& expr, const std::string& zone = "UTC") {
  try {
    CronSchedule::parse(expr, zone);
  } catch (const Invalid& e) {
    return e.what();
  }
  return "(no error)";
}

// 2026-01-01 is a Thursday.

TEST(Cron, EveryMinuteIsStrictlyAfter) {
  EXPECT_EQ(next("* * * * *", "2026-01-01T00:00:00Z"), "2026-01-01T00:01:00Z");
  EXPECT_EQ(next("* * * * *", "2026-01-01T00:00:59Z"), "2026-01-01T00:01:00Z");
  EXPECT_EQ(next("* * * * *", "2026-12-31T23:59:00Z"), "2027-01-01T00:00:00Z");
  EXPECT_EQ(next("? ? ? ? ?", "2026-01-01T00:00:00Z"), "2026-01-01T00:01:00Z");
}

TEST(Cron, FractionsOfASecondAreIgnored) {
  auto s = CronSchedule::parse("* * * * *", "UTC");
  EXPECT_EQ(s.next(at("2026-01-01T00:00:00Z") + milliseconds(999)), at("2026-01-01T00:01:00Z"));
  EXPECT_EQ(s.next(at("2026-01-01T00:00:59Z") + milliseconds(500)), at("2026-01-01T00:01:00Z"));
}

TEST(Cron, SingleValuesAndRanges) {
  EXPECT_EQ(next("30 * * * *", "2026-01-01T00:00:00Z"), "2026-01-01T00:30:00Z");
  EXPECT_EQ(next("30 * * * *", "2026-01-01T00:30:00Z"), "2026-01-01T01:30:00Z");
  EXPECT_EQ(next("10-12 * * * *", "2026-01-01T00:10:00Z"), "2026-01-01T00:11:00Z");
  EXPECT_EQ(next("10-12 * * * *", "2026-01-01T00:12:00Z"), "2026-01-01T01:10:00Z");
  EXPECT_EQ(next("0 9-17 * * *", "2026-01-01T17:00:00Z"), "2026-01-02T09:00:00Z");
  EXPECT_EQ(next("0 0 31 * *", "2026-02-01T00:00:00Z"), "2026-03-31T00:00:00Z");
  EXPECT_EQ(next("0 0 29 2 *", "2026-01-01T00:00:00Z"), "2028-02-29T00:00:00Z");
  EXPECT_EQ(next("05 07 * * *", "2026-01-01T00:00:00Z"), "2026-01-01T07:05:00Z");
}

TEST(Cron, Steps) {
  EXPECT_EQ(next("*/15 * * * *", "2026-01-01T00:00:00Z"), "2026-01-01T00:15:00Z");
  EXPECT_EQ(next("*/15 * * * *", "2026-01-01T00:45:00Z"), "2026-01-01T01:00:00Z");
  // a-b/n
  EXPECT_EQ(next("10-40/15 * * * *", "2026-01-01T00:10:00Z"), "2026-01-01T00:25:00Z");
  EXPECT_EQ(next("10-40/15 * * * *", "2026-01-01T00:40:00Z"), "2026-01-01T01:10:00Z");
  // a/n means a-max/n
  EXPECT_EQ(next("50/5 * * * *", "2026-01-01T00:50:00Z"), "2026-01-01T00:55:00Z");
  EXPECT_EQ(next("50/5 * * * *", "2026-01-01T00:55:00Z"), "2026-01-01T01:50:00Z");
  // Steps restart at the beginning of each range: */7 fires at 56 and then at 0.
  EXPECT_EQ(next("*/7 * * * *", "2026-01-01T00:56:00Z"), "2026-01-01T01:00:00Z");
  EXPECT_EQ(next("0 */6 * * *", "2026-01-01T06:00:00Z"), "2026-01-01T12:00:00Z");
  EXPECT_EQ(next("0 0 1 */3 *", "2026-01-01T00:00:00Z"), "2026-04-01T00:00:00Z");
}

TEST(Cron, Lists) {
  EXPECT_EQ(next("1,31 * * * *", "2026-01-01T00:01:00Z"), "2026-01-01T00:31:00Z");
  EXPECT_EQ(next("0 1-3,22 * * *", "2026-01-01T03:00:00Z"), "2026-01-01T22:00:00Z");
  EXPECT_EQ(next("0 0 * * 1,3,5", "2026-01-01T00:00:00Z"), "2026-01-02T00:00:00Z");
  EXPECT_EQ(next("0,*/20 * * * *", "2026-01-01T00:00:00Z"), "2026-01-01T00:20:00Z");
  // Empty list elements are ignored, as robfig's strings.FieldsFunc does.
  EXPECT_EQ(next("5,,10 * * * *", "2026-01-01T00:05:00Z"), "2026-01-01T00:10:00Z");
}

TEST(Cron, MonthAndDayNamesAnyCase) {
  EXPECT_EQ(next("0 0 1 MAR *", "2026-01-01T00:00:00Z"), "2026-03-01T00:00:00Z");
  EXPECT_EQ(next("0 0 1 mar *", "2026-01-01T00:00:00Z"), "2026-03-01T00:00:00Z");
  EXPECT_EQ(next("0 0 1 Jun-Aug *", "2026-07-01T00:00:00Z"), "2026-08-01T00:00:00Z");
  EXPECT_EQ(next("0 0 1 nov,DEC *", "2026-01-01T00:00:00Z"), "2026-11-01T00:00:00Z");
  EXPECT_EQ(next("0 12 * * MON-FRI", "2026-01-02T12:00:00Z"), "2026-01-05T12:00:00Z");
  EXPECT_EQ(next("0 12 * * sat,Sun", "2026-01-01T00:00:00Z"), "2026-01-03T12:00:00Z");
  EXPECT_EQ(next("0 0 * * SUN", "2026-01-01T00:00:00Z"), "2026-01-04T00:00:00Z");
  EXPECT_EQ(next("0 0 * * 0", "2026-01-01T00:00:00Z"), "2026-01-04T00:00:00Z");
  EXPECT_EQ(next("0 0 * * 6", "2026-01-01T00:00:00Z"), "2026-01-03T00:00:00Z");
  EXPECT_EQ(next("0 0 * JAN/2 *", "2026-02-01T00:00:00Z"), "2026-03-01T00:00:00Z");
}

TEST(Cron, DayOfMonthAndDayOfWeekFollowTheStarRule) {
  const std::string from = "2026-01-01T00:00:00Z";  // Thursday the 1st
  // Both restricted: either one matches (Friday the 2nd comes before the 13th).
  EXPECT_EQ(next("0 0 13 * FRI", from), "2026-01-02T00:00:00Z");
  EXPECT_EQ(next("0 0 13 * FRI", "2026-01-09T00:00:00Z"), "2026-01-13T00:00:00Z");
  // One is * or ?: only the other counts.
  EXPECT_EQ(next("0 0 13 * *", from), "2026-01-13T00:00:00Z");
  EXPECT_EQ(next("0 0 13 * ?", from), "2026-01-13T00:00:00Z");
  EXPECT_EQ(next("0 0 * * FRI", from), "2026-01-02T00:00:00Z");
  EXPECT_EQ(next("0 0 ? * MON", from), "2026-01-05T00:00:00Z");
  // "*/1" keeps the star; a written-out range does not, so 1-31 OR Monday is every day.
  EXPECT_EQ(next("0 0 */1 * MON", from), "2026-01-05T00:00:00Z");
  EXPECT_EQ(next("0 0 1-31 * MON", from), "2026-01-02T00:00:00Z");
  // "*/2" drops the star: odd days OR Mondays; the 3rd is odd.
  EXPECT_EQ(next("0 0 */2 * MON", from), "2026-01-03T00:00:00Z");
  // "*/2" in day-of-week is Sun, Tue, Thu, Sat and not a star: the day of month is "*".
  EXPECT_EQ(next("0 0 * * */2", from), "2026-01-03T00:00:00Z");
}

TEST(Cron, Descriptors) {
  const std::string from = "2026-01-01T10:20:30Z";
  EXPECT_EQ(next("@yearly", from), "2027-01-01T00:00:00Z");
  EXPECT_EQ(next("@annually", from), "2027-01-01T00:00:00Z");
  EXPECT_EQ(next("@monthly", from), "2026-02-01T00:00:00Z");
  EXPECT_EQ(next("@weekly", from), "2026-01-04T00:00:00Z");
  EXPECT_EQ(next("@daily", from), "2026-01-02T00:00:00Z");
  EXPECT_EQ(next("@midnight", from), "2026-01-02T00:00:00Z");
  EXPECT_EQ(next("@hourly", from), "2026-01-01T11:00:00Z");
  EXPECT_EQ(next("@hourly", "2026-01-01T11:00:00Z"), "2026-01-01T12:00:00Z");
  EXPECT_EQ(next("@daily", "2026-01-01T00:00:00Z", "Asia/Tokyo"), "2026-01-01T15:00:00Z");
}

TEST(Cron, EveryIsAConstantDelayOnWholeSeconds) {
  EXPECT_EQ(next("@every 1m30s", "2026-01-01T00:00:00Z"), "2026-01-01T00:01:30Z");
  EXPECT_EQ(next("@every 1h", "2026-01-01T10:20:30Z"), "2026-01-01T11:20:30Z");
  EXPECT_EQ(next("@every 2h45m", "2026-01-01T00:00:00Z"), "2026-01-01T02:45:00Z");
  EXPECT_EQ(next("@every 1.5h", "2026-01-01T00:00:00Z"), "2026-01-01T01:30:00Z");
  EXPECT_EQ(next("@every 90000ms", "2026-01-01T00:00:00Z"), "2026-01-01T00:01:30Z");
  // The fraction of a second of `after` is dropped.
  auto every = CronSchedule::parse("@every 10s", "UTC");
  EXPECT_EQ(every.next(at("2026-01-01T00:00:00Z") + milliseconds(750)), at("2026-01-01T00:00:10Z"));
  // Below a second becomes a second; fractions of a second are truncated, not rounded.
  EXPECT_EQ(next("@every 500ms", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:01Z");
  EXPECT_EQ(next("@every 0s", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:01Z");
  EXPECT_EQ(next("@every -5m", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:01Z");
  EXPECT_EQ(next("@every 1.9s", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:01Z");
  EXPECT_EQ(next("@every 2999999999ns", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:02Z");
  EXPECT_EQ(next("@every 1500000us", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:01Z");
  EXPECT_EQ(next("@every 3000000\xC2\xB5s", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:03Z");
  // A time zone changes nothing for a constant delay.
  EXPECT_EQ(next("CRON_TZ=Asia/Tokyo @every 1h", "2026-01-01T00:00:00Z"), "2026-01-01T01:00:00Z");
  EXPECT_EQ(next("@every 1h", "2026-03-08T01:30:00-05:00", "America/New_York"),
            utc("2026-03-08T03:30:00-04:00"));
}

TEST(Cron, TimeZonePrefixAndParameter) {
  const std::string from = "2026-01-01T00:00:00Z";  // 09:00 in Tokyo
  EXPECT_EQ(next("CRON_TZ=Asia/Tokyo 0 9 * * *", from), "2026-01-02T00:00:00Z");
  EXPECT_EQ(next("TZ=Asia/Tokyo 0 10 * * *", from), "2026-01-01T01:00:00Z");
  EXPECT_EQ(next("0 9 * * *", from, "Asia/Tokyo"), "2026-01-02T00:00:00Z");
  // The prefix wins over the parameter.
  EXPECT_EQ(next("CRON_TZ=Europe/Paris 30 8 * * *", from, "Asia/Tokyo"), "2026-01-01T07:30:00Z");
  EXPECT_EQ(next("CRON_TZ=UTC 30 8 * * *", from, "Asia/Tokyo"), "2026-01-01T08:30:00Z");
  // Summer time in Paris is UTC+2.
  EXPECT_EQ(next("CRON_TZ=Europe/Paris 30 8 * * *", "2026-07-01T00:00:00Z"),
            "2026-07-01T06:30:00Z");
  // Half-hour and quarter-hour offsets.
  EXPECT_EQ(next("0 0 * * *", from, "Asia/Kolkata"), "2026-01-01T18:30:00Z");
  EXPECT_EQ(next("0 0 * * *", from, "Asia/Kathmandu"), "2026-01-01T18:15:00Z");
  // Day-of-week is the local day.
  EXPECT_EQ(next("0 8 * * FRI", from, "Pacific/Auckland"), utc("2026-01-02T08:00:00+13:00"));
  EXPECT_EQ(next("0 8 * * FRI", from, "America/Los_Angeles"), utc("2026-01-02T08:00:00-08:00"));
}

TEST(Cron, LocalMeansTheMachineZone) {
  const char* saved = std::getenv("TZ");
  std::optional<std::string> old = saved ? std::optional<std::string>(saved) : std::nullopt;
  ::setenv("TZ", "Asia/Tokyo", 1);
  const std::string from = "2026-01-01T00:00:00Z";
  EXPECT_EQ(next("0 10 * * *", from, ""), "2026-01-01T01:00:00Z");
  EXPECT_EQ(next("0 10 * * *", from, "Local"), "2026-01-01T01:00:00Z");
  EXPECT_EQ(next("CRON_TZ=Local 0 10 * * *", from), "2026-01-01T01:00:00Z");
  if (old) {
    ::setenv("TZ", old->c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  EXPECT_NO_THROW(CronSchedule::parse("0 10 * * *", ""));
}

// America/New_York, 2026-03-08: 02:00 EST becomes 03:00 EDT.
TEST(Cron, SpringForwardSkipsTheMissingHour) {
  const std::string ny = "America/New_York";
  EXPECT_EQ(next("30 2 * * *", "2026-03-08T00:00:00-05:00", ny), utc("2026-03-09T02:30:00-04:00"));
  EXPECT_EQ(next("0 * * * *", "2026-03-08T00:00:00-05:00", ny), utc("2026-03-08T01:00:00-05:00"));
  EXPECT_EQ(next("0 * * * *", "2026-03-08T01:00:00-05:00", ny), utc("2026-03-08T03:00:00-04:00"));
  EXPECT_EQ(next("*/30 * * * *", "2026-03-08T01:30:00-05:00", ny),
            utc("2026-03-08T03:00:00-04:00"));
  EXPECT_EQ(next("0 1 * * *", "2026-03-08T01:00:00-05:00", ny), utc("2026-03-09T01:00:00-04:00"));
  EXPECT_EQ(next("0 3 * * *", "2026-03-08T00:00:00-05:00", ny), utc("2026-03-08T03:00:00-04:00"));
  EXPECT_EQ(next("30 2 8 3 *", "2026-03-01T00:00:00-05:00", ny), utc("2027-03-08T02:30:00-05:00"));
  EXPECT_EQ(next("@daily", "2026-03-07T12:00:00-05:00", ny), utc("2026-03-08T00:00:00-05:00"));
  EXPECT_EQ(next("@daily", "2026-03-08T00:00:00-05:00", ny), utc("2026-03-09T00:00:00-04:00"));
}

// America/New_York, 2026-11-01: 02:00 EDT becomes 01:00 EST; the 1 o'clock hour happens twice.
TEST(Cron, FallBackRepeatsTheDoubledHour) {
  const std::string ny = "America/New_York";
  EXPECT_EQ(next("0 * * * *", "2026-11-01T00:00:00-04:00", ny), utc("2026-11-01T01:00:00-04:00"));
  EXPECT_EQ(next("0 * * * *", "2026-11-01T01:00:00-04:00", ny), utc("2026-11-01T01:00:00-05:00"));
  EXPECT_EQ(next("0 * * * *", "2026-11-01T01:00:00-05:00", ny), utc("2026-11-01T02:00:00-05:00"));
  // A job at 1 am runs twice, as robfig's does.
  EXPECT_EQ(next("0 1 * * *", "2026-11-01T00:00:00-04:00", ny), utc("2026-11-01T01:00:00-04:00"));
  EXPECT_EQ(next("0 1 * * *", "2026-11-01T01:00:00-04:00", ny), utc("2026-11-01T01:00:00-05:00"));
  EXPECT_EQ(next("0 1 * * *", "2026-11-01T01:00:00-05:00", ny), utc("2026-11-02T01:00:00-05:00"));
  EXPECT_EQ(next("30 1 1 11 *", "2026-11-01T01:45:00-04:00", ny), utc("2026-11-01T01:30:00-05:00"));
  EXPECT_EQ(next("30 2 * * *", "2026-11-01T00:00:00-04:00", ny), utc("2026-11-01T02:30:00-05:00"));
  EXPECT_EQ(next("@daily", "2026-10-31T12:00:00-04:00", ny), utc("2026-11-01T00:00:00-04:00"));
  EXPECT_EQ(next("@daily", "2026-11-01T00:00:00-04:00", ny), utc("2026-11-02T00:00:00-05:00"));
}

// America/Sao_Paulo, 2018-11-04: midnight did not exist (00:00 -03 became 01:00 -02).
TEST(Cron, MissingMidnightIsHandledAsRobfigDoes) {
  const std::string sp = "America/Sao_Paulo";
  EXPECT_EQ(next("0 9 * * *", "2018-11-03T12:00:00-03:00", sp), utc("2018-11-04T09:00:00-02:00"));
  EXPECT_EQ(next("0 9 4 11 *", "2018-11-01T12:00:00-03:00", sp), utc("2018-11-04T09:00:00-02:00"));
  EXPECT_EQ(next("0 * * * *", "2018-11-03T23:00:00-03:00", sp), utc("2018-11-04T01:00:00-02:00"));
}

TEST(Cron, UnsatisfiableScheduleNeverFires) {
  auto s = CronSchedule::parse("0 0 30 2 *", "UTC");
  EXPECT_EQ(s.next(at("2026-01-01T00:00:00Z")), Time::max());
  EXPECT_EQ(CronSchedule::parse("0 0 31 4,6,9,11 *", "UTC").next(at("2026-01-01T00:00:00Z")),
            Time::max());
  EXPECT_EQ(s.next(Time::max()), Time::max());
  EXPECT_EQ(CronSchedule::parse("@every 1h", "UTC").next(Time::max()), Time::max());
}

TEST(Cron, IsMovable) {
  auto a = CronSchedule::parse("@hourly", "UTC");
  CronSchedule b = std::move(a);
  auto c = CronSchedule::parse("@daily", "UTC");
  c = std::move(b);
  EXPECT_EQ(c.next(at("2026-01-01T00:00:00Z")), at("2026-01-01T01:00:00Z"));
}

TEST(Cron, ErrorsSayWhatIsWrong) {
  EXPECT_EQ(parse_error(""), "empty spec string");
  EXPECT_EQ(parse_error("0 * * * * *"), "expected exactly 5 fields, found 6: \"0 * * * * *\"");
  EXPECT_EQ(parse_error("* * * *"), "expected exactly 5 fields, found 4: \"* * * *\"");
  EXPECT_EQ(parse_error("   "), "expected exactly 5 fields, found 0: \"   \"");
  EXPECT_EQ(parse_error("0-70 * * * *"), "end of range (70) above maximum (59): 0-70");
  EXPECT_EQ(parse_error("0 24 * * *"), "end of range (24) above maximum (23): 24");
  EXPECT_EQ(parse_error("0 0 0 * *"), "beginning of range (0) below minimum (1): 0");
  EXPECT_EQ(parse_error("0 0 * 13 *"), "end of range (13) above maximum (12): 13");
  // Day of week is 0-6 only: robfig does not take 7 for Sunday.
  EXPECT_EQ(parse_error("0 0 * * 7"), "end of range (7) above maximum (6): 7");
  EXPECT_EQ(parse_error("0 0 * * 1-7"), "end of range (7) above maximum (6): 1-7");
  EXPECT_EQ(parse_error("30-10 * * * *"),
            "beginning of range (30) beyond end of range (10): 30-10");
  EXPECT_EQ(parse_error("*/0 * * * *"), "step of range should be a positive number: */0");
  EXPECT_EQ(parse_error("1-2-3 * * * *"), "too many hyphens: 1-2-3");
  EXPECT_EQ(parse_error("*/2/3 * * * *"), "too many slashes: */2/3");
  EXPECT_EQ(parse_error("x * * * *"), "failed to parse int from x: invalid syntax");
  EXPECT_EQ(parse_error("0 0 * * FRIDAY"), "failed to parse int from FRIDAY: invalid syntax");
  EXPECT_EQ(parse_error("0 0 * * */-1"), "negative number (-1) not allowed: -1");
  EXPECT_EQ(parse_error("0 0 JAN * *"), "failed to parse int from JAN: invalid syntax");
  EXPECT_EQ(parse_error("MON * * * *"), "failed to parse int from MON: invalid syntax");
  EXPECT_EQ(parse_error("99999999999999999999 * * * *"),
            "failed to parse int from 99999999999999999999: value out of range");
  EXPECT_EQ(parse_error("@often"), "unrecognized descriptor: @often");
  EXPECT_EQ(parse_error("@every"), "unrecognized descriptor: @every");
  EXPECT_EQ(parse_error("@every 1d"),
            "failed to parse duration \"@every 1d\": time: unknown unit \"d\" in duration \"1d\"");
  EXPECT_EQ(parse_error("@every 10"),
            "failed to parse duration \"@every 10\": time: missing unit in duration \"10\"");
  EXPECT_EQ(parse_error("@every "),
            "failed to parse duration \"@every \": time: invalid duration \"\"");
  EXPECT_EQ(parse_error("@every h"),
            "failed to parse duration \"@every h\": time: invalid duration \"h\"");
  EXPECT_EQ(parse_error("@every 1m "),
            "failed to parse duration \"@every 1m \": time: unknown unit \"m \" in duration "
            "\"1m \"");
  EXPECT_EQ(parse_error("CRON_TZ=Mars/Base 0 * * * *"), "unknown time zone \"Mars/Base\"");
  EXPECT_EQ(parse_error("0 * * * *", "Mars/Base"), "unknown time zone \"Mars/Base\"");
  EXPECT_EQ(parse_error("CRON_TZ=UTC"), "missing schedule after the time zone in \"CRON_TZ=UTC\"");
  EXPECT_EQ(parse_error("TZ=UTC 0 * * *"), "expected exactly 5 fields, found 4: \"0 * * *\"");
}

TEST(Cron, ErrorsAreInvalid) {
  EXPECT_THROW(CronSchedule::parse("61 * * * *", "UTC"), Invalid);
  EXPECT_THROW(CronSchedule::parse("@every forever", "UTC"), Invalid);
  EXPECT_THROW(CronSchedule::parse("* * * * *", "No/Such_Zone"), Invalid);
}

}  // namespace
}  // namespace sp
