// Typed field readers for the resource parsers: each error names the field path and what it got.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"

namespace sp::api {

// `string "two"`, `number 1.5`, `boolean true`, `object`, `array`, `null`.
std::string describe_json(const Json& v);

// Throws sp::Invalid("<path>: must be <expected>, got <describe_json(got)>").
[[noreturn]] void throw_type_error(const std::string& path, std::string_view expected,
                                   const Json& got);

// Scalar and simple readers: `v` is present and not null.
void read_value(const Json& v, const std::string& path, std::string& out);
void read_value(const Json& v, const std::string& path, int32_t& out);
void read_value(const Json& v, const std::string& path, int64_t& out);
void read_value(const Json& v, const std::string& path, bool& out);
void read_value(const Json& v, const std::string& path, std::vector<std::string>& out);
void read_value(const Json& v, const std::string& path, std::map<std::string, std::string>& out);

template <typename T>
void read_value(const Json& v, const std::string& path, std::optional<T>& out) {
  T value{};
  read_value(v, path, value);
  out = std::move(value);
}

// A view of one JSON object at a field path. A null document reads as an empty object.
class ObjectReader {
 public:
  // Throws when `obj` is neither an object nor null.
  ObjectReader(const Json& obj, std::string path);

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const;

  // The value of `key`, or nullptr when absent or null.
  const Json* find(const char* key) const;

  // Reads `key` into `out` when present; leaves `out` untouched otherwise.
  template <typename T>
  void operator()(const char* key, T& out) const {
    if (const Json* v = find(key)) read_value(*v, path_of(key), out);
  }

  // Kubernetes core types are kept as raw JSON. `expect_array` checks the outer shape only.
  void raw(const char* key, Json& out, bool expect_array) const;

  // Calls fn(ObjectReader) for the nested object at `key`, when present.
  template <typename F>
  void object(const char* key, F&& fn) const {
    if (const Json* v = find(key)) fn(ObjectReader(*v, path_of(key)));
  }

  // Appends one element per array item: fn(ObjectReader, T&).
  template <typename T, typename F>
  void list(const char* key, std::vector<T>& out, F&& fn) const {
    const Json* v = find(key);
    if (v == nullptr) return;
    std::string p = path_of(key);
    if (!v->is_array()) throw_type_error(p, "an array", *v);
    for (size_t i = 0; i < v->size(); ++i) {
      T item{};
      fn(ObjectReader((*v)[i], p + "[" + std::to_string(i) + "]"), item);
      out.push_back(std::move(item));
    }
  }

  // One entry per key of a map of objects: fn(ObjectReader, T&).
  template <typename T, typename F>
  void map(const char* key, std::map<std::string, T>& out, F&& fn) const {
    const Json* v = find(key);
    if (v == nullptr) return;
    std::string p = path_of(key);
    if (!v->is_object()) throw_type_error(p, "an object", *v);
    for (const auto& [k, item] : v->items()) fn(ObjectReader(item, p + "." + k), out[k]);
  }

 private:
  const Json* obj_;
  std::string path_;
};

}  // namespace sp::api
