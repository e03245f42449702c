// java.util.Properties text: Properties.store's escaping and its inverse (java_properties.h).
#include "runtime/kube/java_properties.h"

namespace sp::kube {
namespace {

void escape(std::string& out, const std::string& s, bool is_key) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case ' ':
        if (is_key || i == 0) out += '\\';
        out += ' ';
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\f':
        out += "\\f";
        break;
      case '=':
      case ':':
      case '#':
      case '!':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
}

// Reads an escaped key or value from line[i..end), stopping (for keys) at an unescaped
// separator.
std::string unescape(const std::string& line, size_t& i, bool is_key) {
  std::string out;
  while (i < line.size()) {
    char c = line[i];
    if (is_key && (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f')) break;
    ++i;
    if (c != '\\' || i >= line.size()) {
      out += c;
      continue;
    }
    char e = line[i++];
    switch (e) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'f':
        out += '\f';
        break;
      default:
        out += e;
    }
  }
  return out;
}

}  // namespace

std::string store_properties(const std::map<std::string, std::string>& props,
                             const std::string& comment) {
  std::string out;
  if (!comment.empty()) out += "#" + comment + "\n";
  for (const auto& [key, value] : props) {
    escape(out, key, true);
    out += '=';
    escape(out, value, false);
    out += '\n';
  }
  return out;
}

std::map<std::string, std::string> load_properties(const std::string& text) {
  std::map<std::string, std::string> props;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) ++i;
    if (i >= line.size() || line[i] == '#' || line[i] == '!') continue;
    std::string key = unescape(line, i, true);
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) ++i;
    if (i < line.size() && (line[i] == '=' || line[i] == ':')) ++i;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) ++i;
    props[key] = unescape(line, i, false);
  }
  return props;
}

}  // namespace sp::kube
