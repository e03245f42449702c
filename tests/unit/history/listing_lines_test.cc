#include "history/listing_lines.h"

#include <gtest/gtest.h>

#include "../storage/temp_dir.h"
#include "eventlog/log_discovery.h"
#include "history/app_store.h"
#include "storage/local_store.h"

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
  // Written by something other than Spark's Jackson: spaces around the colon.
  EXPECT_EQ(listing_event(R"({"Event": "SparkListenerApplicationStart", "App Name": "x"})"),
            ListingEvent::kAppStart);
  EXPECT_EQ(listing_event(R"({ "Timestamp": 1, "Event" :  "SparkListenerApplicationEnd"})"),
            ListingEvent::kAppEnd);
  EXPECT_EQ(listing_event(R"({"Event": "SparkListenerJobStart"})"), ListingEvent::kNone);
  EXPECT_EQ(listing_event(R"({"Event"})"), ListingEvent::kNone);
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

TEST(ListingLines, BigLogIsReadAtItsHeadAndTailOnly) {
  test::TempDir dir;
  std::string log = R"({"Event":"SparkListenerLogStart","Spark Version":"4.1.1"})"
                    "\n"
                    R"({"Event":"SparkListenerApplicationStart","App Name":"x","App ID":"app-1",)"
                    R"("Timestamp":1000,"User":"alice"})"
                    "\n"
                    R"({"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{}})"
                    "\n";
  const std::string filler = R"({"Event":"SparkListenerTaskStart","Stage ID":0})"
                             "\n";
  while (log.size() < (8u << 20)) log += filler;
  log += R"({"Event":"SparkListenerApplicationEnd","Timestamp":2000})"
         "\n";
  dir.write("app-1", log);
  storage::LocalStore store(dir.path());
  const auto logs = eventlog::discover_logs(store, "").logs;
  ASSERT_EQ(logs.size(), 1u);
  const ListingLines got = read_listing_lines(store, logs[0], 64u << 10);
  EXPECT_TRUE(got.error.empty()) << got.error;
  ASSERT_EQ(got.lines.size(), 4u);
  EXPECT_NE(got.lines.back().find("ApplicationEnd"), std::string::npos);
  EXPECT_LT(got.bytes_read, 256u << 10) << "read more than the head and the tail";
}

}  // namespace
}  // namespace sp::history
