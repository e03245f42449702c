#include "storage/xml_tree.h"

#include <expat.h>

#include <memory>

#include "common/error.h"

namespace sp::storage {
namespace {

struct Builder {
  XML_Parser parser = nullptr;
  XmlNode root;
  // The path from the root to the current element. Safe to hold: only the innermost open
  // element gets children, and its ancestors' vectors do not grow meanwhile.
  std::vector<XmlNode*> open;
  bool has_root = false;
};

void on_start(void* user, const XML_Char* name, const XML_Char** /*attributes*/) {
  auto* b = static_cast<Builder*>(user);
  if (b->open.empty()) {
    b->root.name = name;
    b->has_root = true;
    b->open.push_back(&b->root);
    return;
  }
  XmlNode& parent = *b->open.back();
  parent.children.push_back(XmlNode{name, {}, {}});
  b->open.push_back(&parent.children.back());
}

void on_end(void* user, const XML_Char* /*name*/) { static_cast<Builder*>(user)->open.pop_back(); }

void on_text(void* user, const XML_Char* text, int len) {
  auto* b = static_cast<Builder*>(user);
  if (!b->open.empty()) b->open.back()->text.append(text, static_cast<std::size_t>(len));
}

// No DTDs: an answer that declares entities is not one S3 sends (and could expand without end).
void on_entity_decl(void* user, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                    const XML_Char*, const XML_Char*, const XML_Char*) {
  XML_StopParser(static_cast<Builder*>(user)->parser, XML_FALSE);
}

struct ParserFree {
  void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};

}  // namespace

const XmlNode* XmlNode::child(std::string_view child_name) const {
  for (const auto& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

std::string XmlNode::child_text(std::string_view child_name) const {
  const XmlNode* c = child(child_name);
  return c != nullptr ? c->text : std::string();
}

std::vector<const XmlNode*> XmlNode::children_named(std::string_view child_name) const {
  std::vector<const XmlNode*> out;
  for (const auto& c : children) {
    if (c.name == child_name) out.push_back(&c);
  }
  return out;
}

XmlNode parse_xml(std::string_view document) {
  std::unique_ptr<XML_ParserStruct, ParserFree> parser(XML_ParserCreate("UTF-8"));
  if (!parser) throw Error("cannot create an XML parser (expat)");
  Builder b;
  b.parser = parser.get();
  XML_SetUserData(parser.get(), &b);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  XML_SetEntityDeclHandler(parser.get(), on_entity_decl);
  const auto status =
      XML_Parse(parser.get(), document.data(), static_cast<int>(document.size()), XML_TRUE);
  if (status != XML_STATUS_OK || !b.has_root) {
    const auto line = XML_GetCurrentLineNumber(parser.get());
    const auto column = XML_GetCurrentColumnNumber(parser.get());
    const XML_Error code = XML_GetErrorCode(parser.get());
    throw Invalid("malformed XML at line " + std::to_string(line) + ", column " +
                  std::to_string(column) + ": " +
                  (code == XML_ERROR_ABORTED ? "entity declarations are not accepted"
                   : b.has_root              ? XML_ErrorString(code)
                                             : "no root element"));
  }
  return std::move(b.root);
}

}  // namespace sp::storage
