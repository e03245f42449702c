#include "common/time_format.h"

#include <gtest/gtest.h>

namespace sp {
namespace {

TEST(TimeFormat, RoundTripsSecondPrecisionUtc) {
  auto t = parse_rfc3339("2026-11-22T02:43:13Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t), "2026-11-22T02:43:13Z");
}

TEST(TimeFormat, AppliesOffsetsAndFractions) {
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-22T04:43:13+02:00")), "2026-11-22T02:43:13Z");
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-21T23:13:13-03:30")), "2026-11-22T02:43:13Z");
  auto frac = parse_rfc3339("2026-11-22T02:43:13.250Z");
  auto whole = parse_rfc3339("2026-11-22T02:43:13Z");
  ASSERT_TRUE(frac && whole);
  EXPECT_EQ(*frac - *whole, std::chrono::milliseconds(250));
}

TEST(TimeFormat, RejectsMalformed) {
  for (const char* bad :
       {"", "2026-11-22", "2026-11-22T02:43:13", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-11-22T24:00:00Z", "2026-11-22T02:43:13Zx", "2026-11-22T02:43:13.Z",
        "2026-11-22 02:43:13Z", "2026-11-22T02:43:13+0200"})
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
}

}  // namespace
}  // namespace sp
