#include "history/cleaner.h"

#include <gtest/gtest.h>

namespace sp::history {
namespace {

using std::chrono::hours;
constexpr std::int64_t kHour = 3600 * 1000;
constexpr std::int64_t kNow = 1000 * kHour;

CleanerLog log(std::string key, std::optional<std::string> app, bool completed, int hours_ago) {
  CleanerLog l;
  l.key = std::move(key);
  l.app_id = std::move(app);
  l.completed = completed;
  l.last_updated_ms = kNow - hours_ago * kHour;
  return l;
}

CleanerPolicy policy(std::chrono::milliseconds max_age, std::size_t max_num = 1u << 30) {
  CleanerPolicy p;
  p.max_age = max_age;
  p.max_num = max_num;
  return p;
}

TEST(HistoryCleaner, DeletesByAgeIncludingInProgressAndUnreadable) {
  std::vector<CleanerLog> logs = {
      log("old-done", "a", true, 200), log("old-running", "b", false, 200),
      log("junk", std::nullopt, false, 200), log("fresh", "c", true, 1)};
  EXPECT_EQ(logs_to_clean(logs, kNow, policy(hours(168))),
            (std::vector<std::string>{"old-done", "old-running", "junk"}));
}

TEST(HistoryCleaner, MaxNumRemovesCompletedAttemptsOfOldestAppsFirst) {
  std::vector<CleanerLog> logs = {log("c1", "c", true, 10), log("a1", "a", true, 30),
                                  log("a2", "a", false, 5), log("b1", "b", true, 20),
                                  log("d1", "d", true, 1)};
  CleanerPolicy p = policy(hours(1000), 3);
  // Oldest app is "a": only its completed attempt goes (the running one stays), then "b".
  EXPECT_EQ(logs_to_clean(logs, kNow, p), (std::vector<std::string>{"a1", "b1"}));
}

TEST(HistoryCleaner, NothingWithinLimits) {
  std::vector<CleanerLog> logs = {log("x", "x", true, 1)};
  EXPECT_TRUE(logs_to_clean(logs, kNow, CleanerPolicy{}).empty());
}

}  // namespace
}  // namespace sp::history
