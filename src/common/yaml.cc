#include "common/yaml.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <limits>
#include <string_view>

#include "common/error.h"

namespace sp {
namespace {

std::string fmt_error(const std::string& source, const YAML::Mark& mark, const std::string& what) {
  if (mark.is_null()) return source + ": " + what;
  return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) +
         ": " + what;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_oct(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_float(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

// Plain (unquoted) scalars are typed as YAML 1.2's core schema says;
// quoted ones are always strings.
Json plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  try {
    std::string_view v = s;
    bool signed_ = v[0] == '-' || v[0] == '+';
    if (all_of(signed_ ? v.substr(1) : v, is_digit)) {
      if (v[0] == '-') return std::stoll(s);
      return std::stoull(std::string(signed_ ? v.substr(1) : v));
    }
    if (v.size() > 2 && v.substr(0, 2) == "0o" && all_of(v.substr(2), is_oct)) {
      return std::stoll(s.substr(2), nullptr, 8);
    }
    if (v.size() > 2 && v.substr(0, 2) == "0x" && all_of(v.substr(2), is_hex)) {
      return std::stoll(s.substr(2), nullptr, 16);
    }
    if (is_float(v)) return std::stod(s);
  } catch (const std::out_of_range&) {
    return s;  // too large for a number: keep the text
  }
  if (s == ".inf" || s == ".Inf" || s == "+.inf") return std::numeric_limits<double>::infinity();
  if (s == "-.inf" || s == "-.Inf") return -std::numeric_limits<double>::infinity();
  return s;
}

Json to_json(const YAML::Node& node, const std::string& source) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return node.Scalar();
      return plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      Json arr = Json::array();
      for (const auto& item : node) arr.push_back(to_json(item, source));
      return arr;
    }
    case YAML::NodeType::Map: {
      Json obj = Json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          throw Invalid(fmt_error(source, kv.first.Mark(), "mapping keys must be plain strings"));
        }
        const std::string key = kv.first.Scalar();
        if (obj.contains(key)) {
          throw Invalid(fmt_error(source, kv.first.Mark(), "duplicate key \"" + key + "\""));
        }
        obj[key] = to_json(kv.second, source);
      }
      return obj;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<Json> parse_yaml_documents(const std::string& text, const std::string& source) {
  std::vector<Json> docs;
  try {
    for (const auto& node : YAML::LoadAll(text)) {
      Json doc = to_json(node, source);
      if (!doc.is_null()) docs.push_back(std::move(doc));
    }
  } catch (const YAML::Exception& e) {
    throw Invalid(fmt_error(source, e.mark, e.msg));
  }
  return docs;
}

namespace {

void emit(YAML::Emitter& out, const Json& v) {
  switch (v.type()) {
    case Json::value_t::object:
      out << YAML::BeginMap;
      for (const auto& [k, item] : v.items()) {
        out << YAML::Key << k << YAML::Value;
        emit(out, item);
      }
      out << YAML::EndMap;
      break;
    case Json::value_t::array:
      out << YAML::BeginSeq;
      for (const auto& item : v) emit(out, item);
      out << YAML::EndSeq;
      break;
    case Json::value_t::string: {
      const auto& s = v.get_ref<const std::string&>();
      // Quote strings that would read back as another type.
      if (!plain_scalar(s).is_string()) {
        out << YAML::DoubleQuoted << s;
      } else {
        out << s;
      }
      break;
    }
    case Json::value_t::boolean:
      out << (v.get<bool>() ? "true" : "false");
      break;
    case Json::value_t::null:
      out << YAML::Null;
      break;
    default:
      out << v.dump();
  }
}

}  // namespace

std::string to_yaml(const Json& value) {
  YAML::Emitter out;
  emit(out, value);
  std::string s = out.c_str();
  if (!s.empty() && s.back() != '\n') s += '\n';
  return s;
}

}  // namespace sp
