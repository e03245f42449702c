// JSON document type used for every Kubernetes-style object, plus small helpers.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sp {

using Json = nlohmann::ordered_json;

// Returns obj[key] as T when present and not null, else nullopt.
template <typename T>
std::optional<T> opt_get(const Json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}

// Follows a dotted path of object keys ("spec.driver.cores"); null if absent.
const Json* json_at(const Json& root, std::string_view dotted_path);

// The string at a dotted path; "" when absent or not a string.
std::string string_at(const Json& root, std::string_view dotted_path);

}  // namespace sp
