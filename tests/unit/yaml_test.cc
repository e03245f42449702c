#include "common/yaml.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace sp {
namespace {

TEST(Yaml, TypesPlainScalarsAndKeepsQuotedStrings) {
  auto docs = parse_yaml_documents("a: 1\nb: '1'\nc: true\nd: 1.5\ne: null\nf: hello\n", "t");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]["a"], 1);
  EXPECT_EQ(docs[0]["b"], "1");
  EXPECT_EQ(docs[0]["c"], true);
  EXPECT_EQ(docs[0]["d"], 1.5);
  EXPECT_TRUE(docs[0]["e"].is_null());
  EXPECT_EQ(docs[0]["f"], "hello");
}

TEST(Yaml, ReadsEveryDocumentAndSkipsEmptyOnes) {
  auto docs = parse_yaml_documents("---\na: 1\n---\n---\nb: 2\n", "t");
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[1]["b"], 2);
}

TEST(Yaml, ReportsLineAndColumnOfSyntaxErrors) {
  try {
    parse_yaml_documents("a: 1\nb: [1, 2\n", "app.yaml");
    FAIL() << "expected an error";
  } catch (const Invalid& e) {
    EXPECT_NE(std::string(e.what()).find("app.yaml:"), std::string::npos) << e.what();
  }
}

TEST(Yaml, RejectsDuplicateKeys) {
  EXPECT_THROW(parse_yaml_documents("a: 1\na: 2\n", "t"), Invalid);
}

TEST(Yaml, RoundTripsThroughEmitter) {
  Json v = {{"s", "1"}, {"n", 1}, {"b", false}, {"l", {"x", "true"}}, {"m", {{"k", "v"}}}};
  auto back = parse_yaml_documents(to_yaml(v), "t");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0], v);
}

}  // namespace
}  // namespace sp
