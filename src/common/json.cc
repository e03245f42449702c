#include "common/json.h"

namespace sp {

const Json* json_at(const Json& root, std::string_view dotted_path) {
  const Json* cur = &root;
  while (!dotted_path.empty()) {
    auto dot = dotted_path.find('.');
    std::string key(dotted_path.substr(0, dot));
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    dotted_path = dot == std::string_view::npos ? std::string_view{} : dotted_path.substr(dot + 1);
  }
  return cur;
}

std::string string_at(const Json& root, std::string_view dotted_path) {
  const Json* v = json_at(root, dotted_path);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

}  // namespace sp
