// Writes JSON text the way Spark's REST API does (Jackson with INDENT_OUTPUT): two-space
// indents, `"key" : value`, arrays on one line (`[ 1, 2 ]`), empty containers as `[ ]` / `{ }`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sp::history {

class JsonWriter {
 public:
  JsonWriter() = default;

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();

  // Object member name; the next value call writes its value.
  void key(std::string_view name);

  void value(std::string_view s);
  void value(const char* s) { value(std::string_view(s)); }
  void value(const std::string& s) { value(std::string_view(s)); }
  void value(int64_t v);
  void value(int v) { value(static_cast<int64_t>(v)); }
  void value(bool b);
  // Doubles as Java's Double.toString prints them; NaN and infinities as strings (Jackson).
  void value_double(double d);
  void null();
  // Inserts already formatted JSON (must be a complete value).
  void raw(std::string_view json);

  // Shorthands for object members.
  void field(std::string_view name, std::string_view s) {
    key(name);
    value(s);
  }
  void field(std::string_view name, const char* s) {
    key(name);
    value(std::string_view(s));
  }
  void field(std::string_view name, const std::string& s) {
    key(name);
    value(std::string_view(s));
  }
  void field(std::string_view name, int64_t v) {
    key(name);
    value(v);
  }
  void field(std::string_view name, int v) {
    key(name);
    value(static_cast<int64_t>(v));
  }
  void field(std::string_view name, bool b) {
    key(name);
    value(b);
  }
  void field_double(std::string_view name, double d) {
    key(name);
    value_double(d);
  }
  // A Spark date ("2015-02-03T16:43:00.247GMT").
  void field_date(std::string_view name, int64_t epoch_ms);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  struct Level {
    bool is_array;
    bool empty;
  };
  void before_value();
  void newline_indent();

  std::string out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

// Appends `s` as a quoted, escaped JSON string.
void append_json_string(std::string& out, std::string_view s);

}  // namespace sp::history
