// Typed field readers for the resource parsers (see json_reader.h).
#include "api/json_reader.h"

#include <limits>

#include "common/error.h"

namespace sp::api {
namespace {

const Json kNullJson = nullptr;

template <typename Int>
Int read_integer(const Json& v, const std::string& path) {
  if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<Int>::max())) {
      throw_type_error(path, sizeof(Int) == 4 ? "a 32-bit integer" : "a 64-bit integer", v);
    }
    return static_cast<Int>(u);
  }
  if (v.is_number_integer()) {
    auto i = v.get<int64_t>();
    if (i < std::numeric_limits<Int>::min() || i > std::numeric_limits<Int>::max()) {
      throw_type_error(path, sizeof(Int) == 4 ? "a 32-bit integer" : "a 64-bit integer", v);
    }
    return static_cast<Int>(i);
  }
  throw_type_error(path, "an integer", v);
}

}  // namespace

std::string describe_json(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::string:
      return "string " + v.dump();
    case Json::value_t::boolean:
      return std::string("boolean ") + (v.get<bool>() ? "true" : "false");
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number " + v.dump();
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    default:
      return "a value of another type";
  }
}

void throw_type_error(const std::string& path, std::string_view expected, const Json& got) {
  throw Invalid(path + ": must be " + std::string(expected) + ", got " + describe_json(got));
}

void read_value(const Json& v, const std::string& path, std::string& out) {
  if (!v.is_string()) throw_type_error(path, "a string", v);
  out = v.get<std::string>();
}

void read_value(const Json& v, const std::string& path, int32_t& out) {
  out = read_integer<int32_t>(v, path);
}

void read_value(const Json& v, const std::string& path, int64_t& out) {
  out = read_integer<int64_t>(v, path);
}

void read_value(const Json& v, const std::string& path, bool& out) {
  if (!v.is_boolean()) throw_type_error(path, "a boolean", v);
  out = v.get<bool>();
}

void read_value(const Json& v, const std::string& path, std::vector<std::string>& out) {
  if (!v.is_array()) throw_type_error(path, "an array of strings", v);
  out.clear();
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) {
      throw_type_error(path + "[" + std::to_string(i) + "]", "a string", v[i]);
    }
    out.push_back(v[i].get<std::string>());
  }
}

void read_value(const Json& v, const std::string& path, std::map<std::string, std::string>& out) {
  if (!v.is_object()) throw_type_error(path, "a map of strings", v);
  out.clear();
  for (const auto& [k, item] : v.items()) {
    if (!item.is_string()) throw_type_error(path + "." + k, "a string", item);
    out[k] = item.get<std::string>();
  }
}

ObjectReader::ObjectReader(const Json& obj, std::string path) : obj_(&obj), path_(std::move(path)) {
  if (obj.is_null()) {
    obj_ = &kNullJson;
  } else if (!obj.is_object()) {
    throw_type_error(path_, "an object", obj);
  }
}

std::string ObjectReader::path_of(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

const Json* ObjectReader::find(const char* key) const {
  if (!obj_->is_object()) return nullptr;
  auto it = obj_->find(key);
  if (it == obj_->end() || it->is_null()) return nullptr;
  return &*it;
}

void ObjectReader::raw(const char* key, Json& out, bool expect_array) const {
  const Json* v = find(key);
  if (v == nullptr) return;
  if (expect_array && !v->is_array()) throw_type_error(path_of(key), "an array", *v);
  if (!expect_array && !v->is_object()) throw_type_error(path_of(key), "an object", *v);
  out = *v;
}

}  // namespace sp::api
