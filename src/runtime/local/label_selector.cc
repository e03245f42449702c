#include "runtime/local/label_selector.h"

#include <string_view>

#include "common/error.h"

namespace sp::local {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Label keys: [prefix/]name of alphanumerics, '-', '_', '.'; values the same without '/'.
bool valid_chars(std::string_view s, bool allow_slash) {
  for (char c : s) {
    if (!(is_alnum(c) || c == '-' || c == '_' || c == '.' || (allow_slash && c == '/'))) {
      return false;
    }
  }
  return true;
}

[[noreturn]] void bad(const std::string& selector, std::string_view term, const char* why) {
  throw Invalid("label selector \"" + selector + "\": term \"" + std::string(term) + "\" " + why);
}

}  // namespace

std::vector<LabelRequirement> parse_label_selector(const std::string& selector) {
  std::vector<LabelRequirement> out;
  if (trim(selector).empty()) return out;
  if (selector.find('(') != std::string::npos) {
    throw Invalid("label selector \"" + selector +
                  "\": set-based terms (in, notin) are not supported; use k=v, k!=v, k or !k");
  }
  std::string_view rest = selector;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view term = trim(rest.substr(0, comma));
    if (term.empty()) bad(selector, term, "is empty");
    LabelRequirement req;
    std::string_view key, value;
    if (term.front() == '!') {
      req.op = LabelRequirement::Op::kNotExists;
      key = trim(term.substr(1));
    } else if (size_t p = term.find("!="); p != std::string_view::npos) {
      req.op = LabelRequirement::Op::kNotEquals;
      key = trim(term.substr(0, p));
      value = trim(term.substr(p + 2));
    } else if (size_t q = term.find('='); q != std::string_view::npos) {
      req.op = LabelRequirement::Op::kEquals;
      key = trim(term.substr(0, q));
      const size_t skip = term.substr(q).starts_with("==") ? 2 : 1;
      value = trim(term.substr(q + skip));
    } else {
      req.op = LabelRequirement::Op::kExists;
      key = term;
    }
    if (key.empty()) bad(selector, term, "has no key");
    if (!valid_chars(key, true)) bad(selector, term, "has a key with characters not allowed");
    if (!valid_chars(value, false)) {
      bad(selector, term, "has a value with characters not allowed");
    }
    req.key = std::string(key);
    req.value = std::string(value);
    out.push_back(std::move(req));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return out;
}

bool labels_match(const std::vector<LabelRequirement>& requirements, const Json& labels) {
  for (const auto& req : requirements) {
    const Json* v = nullptr;
    if (labels.is_object()) {
      auto it = labels.find(req.key);
      if (it != labels.end() && !it->is_null()) v = &*it;
    }
    const bool has = v != nullptr;
    const bool equal =
        has && (v->is_string() ? v->get<std::string>() == req.value : v->dump() == req.value);
    switch (req.op) {
      case LabelRequirement::Op::kEquals:
        if (!equal) return false;
        break;
      case LabelRequirement::Op::kNotEquals:
        if (equal) return false;  // as in Kubernetes, a missing label satisfies k!=v
        break;
      case LabelRequirement::Op::kExists:
        if (!has) return false;
        break;
      case LabelRequirement::Op::kNotExists:
        if (has) return false;
        break;
    }
  }
  return true;
}

}  // namespace sp::local
