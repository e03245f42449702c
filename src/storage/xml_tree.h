// A parsed XML document as a small tree, on expat: enough for the answers of S3 and STS
// (ListObjectsV2, errors, multipart uploads, AssumeRoleWithWebIdentity), which are small.
// Names are kept as written (S3's default namespace carries no prefix); text is the
// concatenated character data of an element, entities decoded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sp::storage {

struct XmlNode {
  std::string name;
  std::string text;
  std::vector<XmlNode> children;

  // The first child named `name`, or nullptr.
  const XmlNode* child(std::string_view child_name) const;
  // The text of the first child named `name`, or "" when there is none.
  std::string child_text(std::string_view child_name) const;
  std::vector<const XmlNode*> children_named(std::string_view child_name) const;
};

// The root element of `document`. Throws sp::Invalid ("malformed XML at line L, column C:
// <expat's reason>") for anything expat refuses; entity declarations (DTDs) are refused too.
XmlNode parse_xml(std::string_view document);

}  // namespace sp::storage
