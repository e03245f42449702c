// Query parameter parsing with Jersey's conversions (see api_internal.h).
#include "history/api_internal.h"
#include "history/spark_format.h"

namespace sp::history::api {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> first(const QueryParams& q, std::string_view name) {
  auto it = q.find(std::string(name));
  if (it == q.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> all(const QueryParams& q, std::string_view name) {
  std::vector<std::string> out;
  auto [b, e] = q.equal_range(std::string(name));
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

bool bool_param(const QueryParams& q, std::string_view name, bool def) {
  auto v = first(q, name);
  if (!v || v->empty()) return def;
  return iequals(*v, "true");
}

int int_param(const QueryParams& q, std::string_view name, int def) {
  auto v = first(q, name);
  if (!v || v->empty()) return def;
  auto n = parse_java_int(*v);
  if (!n) not_found("Not Found");
  return *n;
}

std::vector<std::string> enum_list(const QueryParams& q, std::string_view name,
                                   const std::vector<std::string>& allowed) {
  std::vector<std::string> out;
  for (const std::string& v : all(q, name)) {
    if (v.empty()) {
      // Jersey converts an empty value to null: a filter entry nothing matches.
      out.push_back(std::string());
      continue;
    }
    bool found = false;
    for (const std::string& a : allowed) {
      if (iequals(v, a)) {
        out.push_back(a);
        found = true;
        break;
      }
    }
    if (!found) not_found("Not Found");
  }
  return out;
}

std::vector<double> quantiles_param(const QueryParams& q, std::string_view def) {
  std::string s = first(q, "quantiles").value_or(std::string(def));
  std::vector<double> out;
  // Java's String.split(","): trailing empty strings are dropped.
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) {
      parts.push_back(s.substr(start));
      break;
    }
    parts.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  if (parts.empty()) parts.push_back(std::string());
  for (const std::string& p : parts) {
    auto d = parse_java_double(p);
    if (!d) {
      bad_request("Bad value for parameter \"quantiles\".  Expected a double, got \"" + p + "\"");
    }
    out.push_back(*d);
  }
  return out;
}

}  // namespace sp::history::api
