// Tests for common/uuid.h: format, version and variant bits, v5 against known vectors.
#include "common/uuid.h"

#include <gtest/gtest.h>

#include <set>

#include "common/error.h"

namespace sp {
namespace {

TEST(Uuid, V4IsCanonicalWithVersionAndVariantBits) {
  for (int i = 0; i < 100; ++i) {
    const std::string u = uuid_v4();
    ASSERT_TRUE(is_uuid(u)) << u;
    EXPECT_EQ(u[14], '4') << u;
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
    for (char c : u) EXPECT_FALSE(c >= 'A' && c <= 'F') << u;
  }
}

TEST(Uuid, V4IsUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(uuid_v4());
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(Uuid, V5MatchesKnownVectors) {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"), uuid5(NAMESPACE_URL, ...).
  EXPECT_EQ(uuid_v5(kUuidNamespaceDns, "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  EXPECT_EQ(uuid_v5(kUuidNamespaceDns, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST(Uuid, FromNameIsStableAndDistinct) {
  const std::string a = uuid_from_name("default/spark-pi");
  EXPECT_EQ(a, uuid_from_name("default/spark-pi"));
  EXPECT_NE(a, uuid_from_name("default/spark-pi2"));
  EXPECT_TRUE(is_uuid(a));
  EXPECT_EQ(a[14], '5');
}

TEST(Uuid, V8CarriesSixtyBitsAndANameHash) {
  const uint64_t v = 0x0123456789abcdefULL;
  const std::string a = uuid_v8(v, "ns/pi/1");
  EXPECT_TRUE(is_uuid(a));
  EXPECT_EQ(a[14], '8');                                          // version 8
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);  // RFC variant
  EXPECT_EQ(a.substr(0, 18), "01234567-89ab-8cde");
  EXPECT_EQ(uuid_v8_value(a), v & ~0xfULL);
  EXPECT_EQ(a, uuid_v8(v, "ns/pi/1"));
  EXPECT_NE(a, uuid_v8(v, "ns/pi/2"));  // the name part differs
  EXPECT_EQ(a.substr(19), uuid_from_name("ns/pi/1").substr(19));
  EXPECT_EQ(uuid_v8_value(uuid_v8(~0ULL, "x")), ~0xfULL);
  EXPECT_EQ(uuid_v8_value(uuid_v8(0, "x")), 0u);
  // Other versions, and anything else, carry nothing.
  EXPECT_FALSE(uuid_v8_value(uuid_from_name("ns/pi/1")).has_value());
  EXPECT_FALSE(uuid_v8_value(uuid_v4()).has_value());
  EXPECT_FALSE(uuid_v8_value("not-a-uuid").has_value());
  EXPECT_FALSE(uuid_v8_value("01234567-89ab-8cde-7123-456789abcdef").has_value());  // variant
}

TEST(Uuid, RejectsMalformed) {
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("886313e1-3b8a-5372-9b90-0c9aee199e5"));
  EXPECT_FALSE(is_uuid("886313e1x3b8a-5372-9b90-0c9aee199e5d"));
  EXPECT_FALSE(is_uuid("886313e1-3b8a-5372-9b90-0c9aee199e5g"));
  EXPECT_TRUE(is_uuid("886313E1-3B8A-5372-9B90-0C9AEE199E5D"));
  EXPECT_THROW(uuid_v5("nope", "x"), Invalid);
}

}  // namespace
}  // namespace sp
