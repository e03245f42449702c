#include "history/api_path.h"

#include <gtest/gtest.h>

namespace sp::history {
namespace {

using Kind = ApiPath::Kind;

TEST(HistoryApiPath, ListingVersionAndApps) {
  EXPECT_EQ(parse_api_path("version")->kind, Kind::kVersion);
  EXPECT_EQ(parse_api_path("applications")->kind, Kind::kApplicationList);
  EXPECT_EQ(parse_api_path("applications/")->kind, Kind::kApplicationList);
  auto app = parse_api_path("applications/local-1");
  ASSERT_TRUE(app);
  EXPECT_EQ(app->kind, Kind::kApplication);
  EXPECT_EQ(app->app_id, "local-1");
  auto attempt = parse_api_path("applications/app_1/2");
  ASSERT_TRUE(attempt);
  EXPECT_EQ(attempt->kind, Kind::kAttempt);
  EXPECT_EQ(*attempt->attempt_id, "2");
}

TEST(HistoryApiPath, ResourcesWithAndWithoutAttempt) {
  auto a = parse_api_path("applications/local-1/stages/1/0/taskList");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, Kind::kAppResource);
  EXPECT_FALSE(a->attempt_id);
  EXPECT_EQ(a->resource, "stages/1/0/taskList");
  auto b = parse_api_path("applications/local-1/1/jobs");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b->attempt_id, "1");
  EXPECT_EQ(b->resource, "jobs");
  // Spark 4.1's task thread dumps: a resource, not an attempt id.
  auto c = parse_api_path("applications/local-1/threads");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, Kind::kAppResource);
  EXPECT_FALSE(c->attempt_id);
  EXPECT_EQ(c->resource, "threads");
}

TEST(HistoryApiPath, RejectsUnknownAndMalformed) {
  EXPECT_FALSE(parse_api_path(""));
  EXPECT_FALSE(parse_api_path("nothing"));
  EXPECT_FALSE(parse_api_path("applications/a/1/nothing"));
  EXPECT_FALSE(parse_api_path("applications/a%2"));
  EXPECT_FALSE(parse_api_path("applications/a%00b"));
  // Ids are only ever looked up, never joined into a path: "../x" is just an unknown id.
  auto t = parse_api_path("applications/..%2F..%2Fetc%2Fpasswd/jobs");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->app_id, "../../etc/passwd");
}

}  // namespace
}  // namespace sp::history
