// YAML <-> JSON conversion for manifests (YAML 1.2 core schema scalars).
#pragma once

#include <string>
#include <vector>

#include "common/json.h"

namespace sp {

// Parses every document of a multi-document YAML (or JSON) text. Empty documents
// are skipped. Throws sp::Invalid with "<source>:<line>:<col>: <problem>" on bad input.
std::vector<Json> parse_yaml_documents(const std::string& text, const std::string& source);

// Renders a JSON value as block-style YAML.
std::string to_yaml(const Json& value);

}  // namespace sp
