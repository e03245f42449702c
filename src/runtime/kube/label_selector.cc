#include "runtime/kube/label_selector.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"

namespace sp::kube {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
         c == '/';
}

bool value_ok(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// Splits on commas outside parentheses.
std::vector<std::string_view> split_requirements(std::string_view text) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')') --depth;
    if (text[i] == ',' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace

LabelSelector LabelSelector::parse(std::string_view text) {
  LabelSelector sel;
  if (trim(text).empty()) return sel;
  auto bad = [&text](const std::string& why) {
    return Invalid("label selector \"" + std::string(text) + "\": " + why);
  };
  for (std::string_view part : split_requirements(text)) {
    part = trim(part);
    if (part.empty()) throw bad("empty requirement");
    Requirement r;
    if (part.front() == '!') {
      r.key = std::string(trim(part.substr(1)));
      r.op = Op::DoesNotExist;
      if (r.key.empty() || !std::all_of(r.key.begin(), r.key.end(), key_char)) {
        throw bad("bad key after '!'");
      }
      sel.requirements_.push_back(std::move(r));
      continue;
    }
    std::size_t k = 0;
    while (k < part.size() && key_char(part[k])) ++k;
    r.key = std::string(part.substr(0, k));
    if (r.key.empty()) throw bad("expected a key in \"" + std::string(part) + "\"");
    std::string_view rest = trim(part.substr(k));
    if (rest.empty()) {
      r.op = Op::Exists;
    } else if (rest.starts_with("==") || rest.starts_with("!=") || rest.starts_with("=")) {
      const std::size_t n = rest.starts_with("=") && !rest.starts_with("==") ? 1 : 2;
      r.op = rest.starts_with("!=") ? Op::NotEquals : Op::Equals;
      std::string_view value = trim(rest.substr(n));
      if (!value_ok(value)) throw bad("bad value \"" + std::string(value) + "\"");
      r.values.emplace_back(value);
    } else if (rest.starts_with("in") || rest.starts_with("notin")) {
      r.op = rest.starts_with("in") ? Op::In : Op::NotIn;
      std::string_view list = trim(rest.substr(r.op == Op::In ? 2 : 5));
      if (list.size() < 2 || list.front() != '(' || list.back() != ')') {
        throw bad("expected \"(values)\" after the operator of \"" + r.key + "\"");
      }
      list = list.substr(1, list.size() - 2);
      std::size_t start = 0;
      while (start <= list.size()) {
        std::size_t comma = list.find(',', start);
        if (comma == std::string_view::npos) comma = list.size();
        std::string_view value = trim(list.substr(start, comma - start));
        if (!value_ok(value)) throw bad("bad value \"" + std::string(value) + "\"");
        r.values.emplace_back(value);
        start = comma + 1;
      }
      if (r.values.empty() || (r.values.size() == 1 && r.values[0].empty())) {
        throw bad("empty value list for \"" + r.key + "\"");
      }
    } else {
      throw bad("unknown operator in \"" + std::string(part) + "\"");
    }
    sel.requirements_.push_back(std::move(r));
  }
  return sel;
}

LabelSelector LabelSelector::from_labels(const std::map<std::string, std::string>& labels) {
  LabelSelector sel;
  for (const auto& [k, v] : labels) sel.requirements_.push_back({k, Op::Equals, {v}});
  return sel;
}

LabelSelector LabelSelector::from_json(const Json& selector) {
  LabelSelector sel;
  if (selector.is_null()) return sel;
  if (!selector.is_object()) throw Invalid("label selector: expected an object");
  if (auto it = selector.find("matchLabels"); it != selector.end() && it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) throw Invalid("label selector: matchLabels." + k + " must be a string");
      sel.requirements_.push_back({k, Op::Equals, {v.get<std::string>()}});
    }
  }
  if (auto it = selector.find("matchExpressions"); it != selector.end() && it->is_array()) {
    for (const auto& e : *it) {
      Requirement r;
      r.key = e.value("key", "");
      const std::string op = e.value("operator", "");
      if (r.key.empty()) throw Invalid("label selector: matchExpressions entry without a key");
      if (op == "In")
        r.op = Op::In;
      else if (op == "NotIn")
        r.op = Op::NotIn;
      else if (op == "Exists")
        r.op = Op::Exists;
      else if (op == "DoesNotExist")
        r.op = Op::DoesNotExist;
      else
        throw Invalid("label selector: unknown operator \"" + op + "\" for key " + r.key);
      if (auto v = e.find("values"); v != e.end() && v->is_array()) {
        for (const auto& s : *v) r.values.push_back(s.get<std::string>());
      }
      if ((r.op == Op::In || r.op == Op::NotIn) && r.values.empty()) {
        throw Invalid("label selector: operator " + op + " of key " + r.key + " needs values");
      }
      sel.requirements_.push_back(std::move(r));
    }
  }
  return sel;
}

bool LabelSelector::matches(const Json& labels) const {
  for (const auto& r : requirements_) {
    const std::string* value = nullptr;
    if (labels.is_object()) {
      auto it = labels.find(r.key);
      if (it != labels.end() && it->is_string()) value = it->get_ptr<const std::string*>();
    }
    const bool in_values =
        value != nullptr && std::find(r.values.begin(), r.values.end(), *value) != r.values.end();
    switch (r.op) {
      case Op::Equals:
      case Op::In:
        if (!in_values) return false;
        break;
      case Op::NotEquals:
      case Op::NotIn:
        if (in_values) return false;
        break;
      case Op::Exists:
        if (value == nullptr) return false;
        break;
      case Op::DoesNotExist:
        if (value != nullptr) return false;
        break;
    }
  }
  return true;
}

std::string LabelSelector::str() const {
  std::string out;
  for (const auto& r : requirements_) {
    if (!out.empty()) out += ',';
    switch (r.op) {
      case Op::Equals:
        out += r.key + "=" + r.values[0];
        break;
      case Op::NotEquals:
        out += r.key + "!=" + r.values[0];
        break;
      case Op::Exists:
        out += r.key;
        break;
      case Op::DoesNotExist:
        out += "!" + r.key;
        break;
      case Op::In:
      case Op::NotIn: {
        out += r.key + (r.op == Op::In ? " in (" : " notin (");
        for (std::size_t i = 0; i < r.values.size(); ++i) {
          if (i > 0) out += ',';
          out += r.values[i];
        }
        out += ')';
        break;
      }
    }
  }
  return out;
}

}  // namespace sp::kube
