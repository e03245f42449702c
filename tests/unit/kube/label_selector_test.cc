#include "runtime/kube/label_selector.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "runtime/kube/resource.h"

namespace sp::kube {
namespace {

Json labels(std::initializer_list<std::pair<const char*, const char*>> kv) {
  Json j = Json::object();
  for (const auto& [k, v] : kv) j[k] = v;
  return j;
}

TEST(KubeLabelSelector, ParsesEveryOperatorAndPrintsCanonically) {
  auto s = LabelSelector::parse(
      " app = spark , spark-role!=executor,tier in (a, b),env notin (dev),"
      "sparkoperator.k8s.io/app-name, !sparkplane.io/ignored, x==y");
  EXPECT_EQ(s.str(),
            "app=spark,spark-role!=executor,tier in (a,b),env notin (dev),"
            "sparkoperator.k8s.io/app-name,!sparkplane.io/ignored,x=y");
  EXPECT_EQ(LabelSelector::parse(s.str()).str(), s.str());
  EXPECT_TRUE(LabelSelector::parse("").empty());
  EXPECT_TRUE(LabelSelector::parse("  ").empty());
}

TEST(KubeLabelSelector, Matches) {
  auto s = LabelSelector::parse("app=spark,role in (driver,executor),env notin (dev),!skip,owner");
  EXPECT_TRUE(s.matches(labels({{"app", "spark"}, {"role", "driver"}, {"owner", "me"}})));
  EXPECT_TRUE(
      s.matches(labels({{"app", "spark"}, {"role", "executor"}, {"env", "prod"}, {"owner", ""}})));
  EXPECT_FALSE(s.matches(labels({{"app", "spark"}, {"role", "driver"}})));  // no owner
  EXPECT_FALSE(s.matches(labels({{"app", "spark"}, {"role", "shuffle"}, {"owner", "me"}})));
  EXPECT_FALSE(
      s.matches(labels({{"app", "spark"}, {"role", "driver"}, {"owner", "me"}, {"env", "dev"}})));
  EXPECT_FALSE(
      s.matches(labels({{"app", "spark"}, {"role", "driver"}, {"owner", "me"}, {"skip", "1"}})));
  EXPECT_FALSE(s.matches(Json()));
  EXPECT_TRUE(LabelSelector().matches(Json()));
  EXPECT_TRUE(LabelSelector::parse("a!=b").matches(Json()));
}

TEST(KubeLabelSelector, FromLabelsAndJson) {
  EXPECT_EQ(LabelSelector::from_labels({{"b", "2"}, {"a", "1"}}).str(), "a=1,b=2");
  auto s = LabelSelector::from_json(Json::parse(R"({
    "matchLabels": {"app": "spark"},
    "matchExpressions": [{"key": "role", "operator": "In", "values": ["driver"]},
                         {"key": "gone", "operator": "DoesNotExist"}]})"));
  EXPECT_EQ(s.str(), "app=spark,role in (driver),!gone");
  EXPECT_TRUE(LabelSelector::from_json(Json()).empty());
  EXPECT_THROW(LabelSelector::from_json(Json::parse(
                   R"({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]})")),
               Invalid);
  EXPECT_THROW(LabelSelector::from_json(Json::parse(
                   R"({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]})")),
               Invalid);
}

TEST(KubeLabelSelector, Errors) {
  auto error_of = [](const char* text) -> std::string {
    try {
      LabelSelector::parse(text);
    } catch (const Invalid& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_EQ(error_of("a=b,,c"), "label selector \"a=b,,c\": empty requirement");
  EXPECT_EQ(error_of("a in b"),
            "label selector \"a in b\": expected \"(values)\" after the "
            "operator of \"a\"");
  EXPECT_EQ(error_of("a=b c"), "label selector \"a=b c\": bad value \"b c\"");
  EXPECT_EQ(error_of("a>1"), "label selector \"a>1\": unknown operator in \"a>1\"");
  EXPECT_EQ(error_of("=x"), "label selector \"=x\": expected a key in \"=x\"");
  EXPECT_EQ(error_of("a in ()"), "label selector \"a in ()\": empty value list for \"a\"");
}

TEST(KubeLabelSelector, EncodedInTheQuery) {
  ListOptions o;
  o.label_selector = LabelSelector::parse("app=spark,role in (driver,executor)").str();
  o.limit = 500;
  EXPECT_EQ(o.query(),
            "?labelSelector=app%3Dspark%2Crole%20in%20%28driver%2Cexecutor%29&limit=500");
}

}  // namespace
}  // namespace sp::kube
