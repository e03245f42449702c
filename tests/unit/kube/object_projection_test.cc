#include "runtime/kube/object_projection.h"

#include <gtest/gtest.h>

#include <string>

namespace sp::kube {
namespace {

const char* kPod = R"({"apiVersion":"v1","kind":"Pod",
  "metadata":{"name":"d","uid":"u-1","labels":{"managedFields":"a label"},
              "managedFields":[{"manager":"kubectl","fieldsV1":{"f:spec":{}}}]},
  "spec":{"containers":[{"name":"spark","image":"spark:4"}],"managedFields":"spec's own"},
  "status":{"phase":"Running"}})";

TEST(KubeProjection, KeepsTheChosenFieldsAndNeverManagedFields) {
  auto pod = parse_projected(kPod, Projection{"metadata", "status"});
  ASSERT_TRUE(pod.has_value());
  EXPECT_EQ(*pod, Json::parse(R"({"metadata":{"name":"d","uid":"u-1",
      "labels":{"managedFields":"a label"}},"status":{"phase":"Running"}})"));
}

TEST(KubeProjection, EveryFieldByDefaultButManagedFields) {
  auto pod = parse_projected(kPod, Projection());
  ASSERT_TRUE(pod.has_value());
  Json want = Json::parse(kPod);
  want["metadata"].erase("managedFields");
  EXPECT_EQ(*pod, want);  // a field named managedFields elsewhere stays
}

TEST(KubeProjection, MetadataOnly) {
  auto pod = parse_projected(kPod, Projection::metadata());
  ASSERT_TRUE(pod.has_value());
  EXPECT_EQ(pod->size(), 3u);
  EXPECT_EQ(string_at(*pod, "metadata.uid"), "u-1");
  EXPECT_FALSE(pod->contains("spec"));
}

TEST(KubeProjection, KnowsWhenOnlyMetadataIsWanted) {
  EXPECT_TRUE(Projection::metadata().metadata_only());
  EXPECT_TRUE(Projection{"metadata"}.metadata_only());
  EXPECT_FALSE(Projection().metadata_only());  // everything
  EXPECT_FALSE((Projection{"metadata", "spec"}).metadata_only());
}

TEST(KubeProjection, RefusesWhatIsNotAnObject) {
  EXPECT_FALSE(parse_projected("", Projection()).has_value());
  EXPECT_FALSE(parse_projected("[1]", Projection()).has_value());
  EXPECT_FALSE(parse_projected(R"({"metadata":{"name":"cut)", Projection::metadata()).has_value());
  // Malformed inside a skipped field is still malformed.
  EXPECT_FALSE(
      parse_projected(R"({"metadata":{},"spec":{"a":tru}})", Projection::metadata()).has_value());
}

TEST(KubeProjection, WatchEventObjectIsProjected) {
  const std::string line = std::string(R"({"type":"MODIFIED","object":)") + kPod + "}";
  auto e = parse_projected_event(line, Projection{"metadata", "status"});
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ((*e)["type"], "MODIFIED");
  EXPECT_EQ((*e)["object"], *parse_projected(kPod, Projection{"metadata", "status"}));
}

TEST(KubeProjection, WatchErrorStatusStaysWhole) {
  const char* line = R"({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1",
      "metadata":{},"status":"Failure","message":"too old resource version","reason":"Expired",
      "code":410}})";
  auto e = parse_projected_event(line, Projection{"metadata"});
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ((*e)["object"]["code"], 410);
  EXPECT_EQ((*e)["object"]["reason"], "Expired");
}

TEST(KubeProjection, WatchObjectBeforeItsTypeStaysWhole) {
  const std::string line = std::string(R"({"object":)") + kPod + R"(,"type":"ADDED"})";
  auto e = parse_projected_event(line, Projection::metadata());
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE((*e)["object"].contains("spec"));
}

}  // namespace
}  // namespace sp::kube
