#include "storage/xml_tree.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace sp::storage {
namespace {

TEST(XmlTree, ReadsAListingWithSiblingsAndEntities) {
  const XmlNode root = parse_xml(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>logs</Name>
<IsTruncated>true</IsTruncated>
<Contents><Key>a&amp;b</Key><Size>3</Size></Contents>
<Contents><Key>c</Key><Size>40</Size></Contents>
<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes></ListBucketResult>)");
  EXPECT_EQ(root.name, "ListBucketResult");
  EXPECT_EQ(root.child_text("Name"), "logs");
  EXPECT_EQ(root.child_text("Missing"), "");
  const auto contents = root.children_named("Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(contents[0]->child_text("Key"), "a&b");
  EXPECT_EQ(contents[1]->child_text("Size"), "40");
  EXPECT_EQ(root.child("CommonPrefixes")->child_text("Prefix"), "dir/");
}

TEST(XmlTree, RefusesMalformedAndEntityDeclarations) {
  EXPECT_THROW(parse_xml("<a><b></a>"), Invalid);
  EXPECT_THROW(parse_xml(""), Invalid);
  EXPECT_THROW(parse_xml("not xml"), Invalid);
  try {
    parse_xml(R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>)");
    FAIL() << "an entity declaration was accepted";
  } catch (const Invalid& e) {
    EXPECT_NE(std::string(e.what()).find("entity"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sp::storage
