// Spark's event-log names: single files, rolling directories and their files, codec
// extensions with Java split semantics, indices as Long.parseLong, and name sanitizing.
#include "eventlog/log_name.h"

#include <gtest/gtest.h>

namespace sp::eventlog {
namespace {

TEST(LogName, SingleFiles) {
  auto a = parse_single_log_name("application_1553914137147_0018");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->stem, "application_1553914137147_0018");  // the "_0018" is part of the app id
  EXPECT_EQ(a->codec_name, "");
  EXPECT_FALSE(a->in_progress);

  auto b = parse_single_log_name("local-1430917381535_1.lz4.inprogress");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->stem, "local-1430917381535_1");  // attempt ids are not parsed out of names
  EXPECT_EQ(b->codec_name, "lz4");
  EXPECT_TRUE(b->in_progress);

  auto c = parse_single_log_name("app-20161115172038-0000.inprogress");
  EXPECT_EQ(c->stem, "app-20161115172038-0000");
  EXPECT_EQ(c->codec_name, "");
  EXPECT_TRUE(c->in_progress);

  EXPECT_FALSE(parse_single_log_name(".hidden"));
  EXPECT_FALSE(parse_single_log_name(".app.lz4.crc"));
  EXPECT_FALSE(parse_single_log_name(""));
}

TEST(LogName, CodecExtensionFollowsSparkCodecName) {
  EXPECT_EQ(codec_extension("app"), "");
  EXPECT_EQ(codec_extension("app.zstd"), "zstd");
  EXPECT_EQ(codec_extension("app.snappy.inprogress"), "snappy");
  EXPECT_EQ(codec_extension("events_3_app.lzf.compact"), "lzf");
  EXPECT_EQ(codec_extension("events_3_app.compact"), "");
  EXPECT_EQ(codec_extension("app.inprogress"), "");
  EXPECT_EQ(codec_extension("a.b.lz4"), "lz4");
  EXPECT_EQ(codec_extension("app..lz4"), "lz4");
  EXPECT_EQ(codec_extension("app.lz4.."), "lz4");  // Java's split drops trailing empty parts
  EXPECT_EQ(codec_extension("app."), "");
  EXPECT_EQ(codec_extension("app.ZSTD"), "ZSTD");
  auto s = parse_single_log_name("app.lz4..");
  EXPECT_EQ(s->stem, "app");
}

TEST(LogName, RollingDirectoryAndItsFiles) {
  EXPECT_EQ(parse_rolling_dir_name("eventlog_v2_local-1766844910796"), "local-1766844910796");
  EXPECT_FALSE(parse_rolling_dir_name("eventlog_v1_x"));

  auto e = parse_event_file_name("events_12_local-1_1.zstd");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->index, 12);
  EXPECT_EQ(e->codec_name, "zstd");
  EXPECT_FALSE(e->compact);

  auto c = parse_event_file_name("events_3_app.lz4.compact");
  EXPECT_EQ(c->index, 3);
  EXPECT_EQ(c->codec_name, "lz4");
  EXPECT_TRUE(c->compact);

  EXPECT_EQ(parse_event_file_name("events_7")->index, 7);
  EXPECT_EQ(parse_event_file_name("events_+7_a")->index, 7);
  EXPECT_EQ(parse_event_file_name("events_-2_a")->index, -2);
  EXPECT_EQ(parse_event_file_name("events_9223372036854775807_a")->index, INT64_MAX);
  EXPECT_FALSE(parse_event_file_name("events_9223372036854775808_a")->index);
  EXPECT_FALSE(parse_event_file_name("events_x_a")->index);
  EXPECT_FALSE(parse_event_file_name("events__a")->index);
  EXPECT_FALSE(parse_event_file_name("events_")->index);
  EXPECT_FALSE(parse_event_file_name(".events_1_a.crc"));
  EXPECT_FALSE(parse_event_file_name("appstatus_a"));

  EXPECT_FALSE(parse_app_status_name("appstatus_a")->in_progress);
  EXPECT_TRUE(parse_app_status_name("appstatus_a.inprogress")->in_progress);
  EXPECT_FALSE(parse_app_status_name(".appstatus_a.crc"));
}

TEST(LogName, SanitizingAsSpark) {
  EXPECT_EQ(sanitize_name("App ID:1/x.y$z{w}'q\"r"), "app-id-1-x_y_z_w__q_r");
  EXPECT_EQ(log_stem("local-1430917381535", "1"), "local-1430917381535_1");
  EXPECT_EQ(log_stem("application_1553914137147_0018", std::nullopt),
            "application_1553914137147_0018");
  EXPECT_EQ(single_log_name("app-1", "zstd", true), "app-1.zstd.inprogress");
  EXPECT_EQ(single_log_name("app-1", "", false), "app-1");
  EXPECT_EQ(event_file_name(4, "app-1", "lz4"), "events_4_app-1.lz4");
}

}  // namespace
}  // namespace sp::eventlog
