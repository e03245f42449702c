#include "history/json_writer.h"

#include <cmath>

#include "history/spark_format.h"

namespace sp::history {

void append_json_string(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  out.push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 15]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void JsonWriter::newline_indent() {
  out_.push_back('\n');
  int depth = 0;
  for (const Level& l : stack_) {
    if (!l.is_array) ++depth;
  }
  out_.append(static_cast<size_t>(depth) * 2, ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Level& top = stack_.back();
  if (top.is_array) {
    out_ += top.empty ? " " : ", ";
    top.empty = false;
  }
}

void JsonWriter::key(std::string_view name) {
  Level& top = stack_.back();
  if (!top.empty) out_.push_back(',');
  top.empty = false;
  newline_indent();
  append_json_string(out_, name);
  out_ += " : ";
  after_key_ = true;
}

void JsonWriter::begin_object() {
  before_value();
  out_.push_back('{');
  stack_.push_back({false, true});
}

void JsonWriter::end_object() {
  bool empty = stack_.back().empty;
  stack_.pop_back();
  if (empty) {
    out_ += " }";
  } else {
    newline_indent();
    out_.push_back('}');
  }
}

void JsonWriter::begin_array() {
  before_value();
  out_.push_back('[');
  stack_.push_back({true, true});
}

void JsonWriter::end_array() {
  stack_.pop_back();
  out_ += " ]";
}

void JsonWriter::value(std::string_view s) {
  before_value();
  append_json_string(out_, s);
}

void JsonWriter::value(int64_t v) {
  before_value();
  out_ += std::to_string(v);
}

void JsonWriter::value(bool b) {
  before_value();
  out_ += b ? "true" : "false";
}

void JsonWriter::value_double(double d) {
  before_value();
  if (std::isnan(d) || std::isinf(d)) {
    append_json_string(out_, java_double_string(d));
  } else {
    out_ += java_double_string(d);
  }
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

void JsonWriter::raw(std::string_view json) {
  before_value();
  out_.append(json);
}

void JsonWriter::field_date(std::string_view name, int64_t epoch_ms) {
  key(name);
  value(spark_date_string(epoch_ms));
}

}  // namespace sp::history
