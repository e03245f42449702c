#include "history/listing_lines.h"

#include <gtest/gtest.h>

#include "history/app_store.h"

namespace sp::history {
namespace {

TEST(ListingLines, RecognizesListingEvents) {
  EXPECT_EQ(listing_event(R"({"Event":"SparkListenerApplicationStart","App Name":"x"})"),
            ListingEvent::kAppStart);
  EXPECT_EQ(listing_event(R"({"Event":"SparkListenerApplicationEnd","Timestamp":1})"),
            ListingEvent::kAppEnd);
  EXPECT_EQ(listing_event(R"({"Event":"SparkListenerEnvironmentUpdate"})"),
            ListingEvent::kEnvironment);
  EXPECT_EQ(listing_event(R"({"Event":"SparkListenerLogStart","Spark Version":"4"})"),
            ListingEvent::kLogStart);
  EXPECT_EQ(listing_event(R"({"Timestamp":1,"Event":"SparkListenerApplicationEnd"})"),
            ListingEvent::kAppEnd);
  EXPECT_EQ(listing_event(R"({"Event":"SparkListenerApplicationStartX"})"), ListingEvent::kNone);
  EXPECT_EQ(listing_event(R"({"Event":"SparkListenerTaskEnd"})"), ListingEvent::kNone);
  EXPECT_EQ(listing_event("garbage"), ListingEvent::kNone);
}

TEST(ListingLines, EnvironmentKeepsOnlyTheAcls) {
  const std::string env =
      R"({"Event":"SparkListenerEnvironmentUpdate","JVM Information":{"Java Home":"/j"},)"
      R"("Spark Properties":{"spark.app.name":"x","spark.ui.view.acls":"bob, carol",)"
      R"("spark.admin.acls.groups":"ops"},"Classpath Entries":{"/a.jar":"System Classpath"}})";
  const std::string cut = listing_environment(env);
  EXPECT_EQ(cut.find("/a.jar"), std::string::npos);
  EXPECT_EQ(cut.find("Java Home"), std::string::npos);
  EXPECT_EQ(cut.find("spark.app.name"), std::string::npos);

  AppStore app;
  app.apply_line(R"({"Event":"SparkListenerApplicationStart","App Name":"x","App ID":"app-1",)"
                 R"("Timestamp":1000,"User":"alice"})");
  app.apply_line(cut);
  auto s = app.summary();
  ASSERT_TRUE(s.view_acls.has_value());
  EXPECT_EQ(*s.view_acls, "bob, carol");
  ASSERT_TRUE(s.admin_acls_groups.has_value());
  EXPECT_EQ(*s.admin_acls_groups, "ops");
  EXPECT_FALSE(s.admin_acls.has_value());
  EXPECT_EQ(app.stats().malformed_lines, 0u);
}

TEST(ListingLines, UnparsableEnvironmentIsPassedOn) {
  EXPECT_EQ(listing_environment("{not json"), "{not json");
}

}  // namespace
}  // namespace sp::history
