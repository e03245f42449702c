#include "storage/location.h"

#include <gtest/gtest.h>

#include <map>

#include "common/error.h"

namespace sp::storage {
namespace {

TEST(Location, LocalForms) {
  const std::string dir = (std::filesystem::temp_directory_path() / "spark-events").string();
  for (const std::string& text : {dir, "file://" + dir, "file:" + dir, dir + "/"}) {
    const Location l = parse_location(text);
    EXPECT_FALSE(l.is_s3()) << text;
    EXPECT_EQ(l.path.string().rfind(dir, 0), 0u) << text;
  }
  EXPECT_TRUE(parse_location("relative/dir").path.is_absolute());
}

TEST(Location, S3AndS3aAreTheSame) {
  for (const char* text :
       {"s3://spark-logs/events", "s3a://spark-logs/events/", "s3://spark-logs/events//"}) {
    const Location l = parse_location(text);
    EXPECT_TRUE(l.is_s3()) << text;
    EXPECT_EQ(l.bucket, "spark-logs");
    EXPECT_EQ(l.prefix, "events/");
    EXPECT_EQ(l.describe(), "s3://spark-logs/events/");
  }
  EXPECT_EQ(parse_location("s3://b").prefix, "");
  EXPECT_EQ(parse_location("s3://b/").prefix, "");
  EXPECT_EQ(parse_location("s3://b/a/b").prefix, "a/b/");
}

TEST(Location, BadOnesSayWhy) {
  auto message = [](const std::string& text) {
    try {
      parse_location(text);
    } catch (const Invalid& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("s3://").find("a bucket is needed"), std::string::npos);
  EXPECT_NE(message("s3:///x").find("a bucket is needed"), std::string::npos);
  EXPECT_NE(message("gs://b/x").find("unsupported scheme gs"), std::string::npos);
  EXPECT_NE(message("s3://b/../x").find(".."), std::string::npos);
  EXPECT_NE(message("").find("empty"), std::string::npos);
}

TEST(Location, S3SettingsFlagsWinOverTheEnvironment) {
  std::map<std::string, std::string> vars = {{"AWS_ENDPOINT_URL", "http://generic:1"},
                                             {"AWS_ENDPOINT_URL_S3", "http://s3only:2"},
                                             {"AWS_DEFAULT_REGION", "eu-west-1"}};
  GetEnv env = [&vars](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  S3Settings s = s3_settings_with_env({}, env);
  EXPECT_EQ(s.endpoint, "http://s3only:2");
  EXPECT_EQ(s.region, "eu-west-1");
  vars["AWS_REGION"] = "us-west-2";
  EXPECT_EQ(s3_settings_with_env({}, env).region, "us-west-2");
  S3Settings flags;
  flags.endpoint = "http://flag:3";
  flags.region = "ap-south-1";
  s = s3_settings_with_env(flags, env);
  EXPECT_EQ(s.endpoint, "http://flag:3");
  EXPECT_EQ(s.region, "ap-south-1");
  vars.clear();
  EXPECT_EQ(s3_settings_with_env({}, env).region, "us-east-1");
}

}  // namespace
}  // namespace sp::storage
