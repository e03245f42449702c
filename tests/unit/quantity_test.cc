// Tests of Spark memory strings and Kubernetes CPU quantities.
#include "common/quantity.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace sp {
namespace {

TEST(Quantity, SparkMemoryStrings) {
  EXPECT_EQ(parse_memory_bytes("512m"), 512 * kMiB);
  EXPECT_EQ(parse_memory_bytes("1g"), kGiB);
  EXPECT_EQ(parse_memory_bytes("1G"), kGiB);
  EXPECT_EQ(parse_memory_bytes("1gb"), kGiB);
  EXPECT_EQ(parse_memory_bytes("2Gi"), 2 * kGiB);
  EXPECT_EQ(parse_memory_bytes("384Mi"), 384 * kMiB);
  EXPECT_EQ(parse_memory_bytes("10k"), 10 * kKiB);
  EXPECT_EQ(parse_memory_bytes("100b"), 100);
  EXPECT_EQ(parse_memory_bytes("1t"), kGiB * kKiB);
  EXPECT_EQ(parse_memory_bytes(" 4g "), 4 * kGiB);
}

TEST(Quantity, BareNumbersUseTheDefaultUnit) {
  EXPECT_EQ(parse_memory_bytes("1024"), 1024 * kMiB);
  EXPECT_EQ(parse_memory_bytes("1024", 1), 1024);
}

TEST(Quantity, BadMemoryStrings) {
  for (const char* bad : {"", "g", "1.5g", "-1g", "1x", "1 g", "1gig", "99999999999999999999g"}) {
    EXPECT_THROW(parse_memory_bytes(bad), Invalid) << bad;
    EXPECT_FALSE(try_parse_memory_bytes(bad)) << bad;
  }
  try {
    parse_memory_bytes("1x");
  } catch (const Invalid& e) {
    EXPECT_NE(std::string(e.what()).find("unknown unit \"x\""), std::string::npos) << e.what();
  }
}

TEST(Quantity, FormatsMemoryInTheLargestExactUnit) {
  EXPECT_EQ(format_memory(kGiB), "1g");
  EXPECT_EQ(format_memory(1536 * kMiB), "1536m");
  EXPECT_EQ(format_memory(10 * kKiB), "10k");
  EXPECT_EQ(format_memory(100), "100b");
  EXPECT_EQ(parse_memory_bytes(format_memory(3 * kGiB + kMiB)), 3 * kGiB + kMiB);
}

TEST(Quantity, CpuQuantities) {
  EXPECT_EQ(parse_cpu_millis("1"), 1000);
  EXPECT_EQ(parse_cpu_millis("2"), 2000);
  EXPECT_EQ(parse_cpu_millis("0.5"), 500);
  EXPECT_EQ(parse_cpu_millis(".5"), 500);
  EXPECT_EQ(parse_cpu_millis("1.5"), 1500);
  EXPECT_EQ(parse_cpu_millis("500m"), 500);
  EXPECT_EQ(parse_cpu_millis("1200m"), 1200);
  EXPECT_EQ(parse_cpu_millis("0.1"), 100);
  EXPECT_EQ(parse_cpu_millis("0.0001"), 1);  // rounded up to a millicore
  EXPECT_EQ(parse_cpu_millis("2k"), 2000000);
  EXPECT_EQ(parse_cpu_millis("1e3"), 1000000);
  EXPECT_EQ(parse_cpu_millis("1E-3"), 1);
  EXPECT_EQ(parse_cpu_millis("1Ki"), 1024000);
  EXPECT_EQ(parse_cpu_millis("+1"), 1000);
  EXPECT_EQ(parse_cpu_millis("0"), 0);
}

TEST(Quantity, BadCpuQuantities) {
  for (const char* bad : {"", "m", "-1", "1.5.5", "1x", "1mm", "one", "1e", "1e+", "9E100"}) {
    EXPECT_THROW(parse_cpu_millis(bad), Invalid) << bad;
    EXPECT_FALSE(try_parse_cpu_millis(bad)) << bad;
  }
}

}  // namespace
}  // namespace sp
