#include "history/api_path.h"

#include <array>
#include <string_view>
#include <vector>

namespace sp::history {
namespace {

// The resources under an application (Spark's OneApplicationResource and its plugins).
constexpr std::array<std::string_view, 11> kResources = {"jobs",
                                                         "stages",
                                                         "executors",
                                                         "allexecutors",
                                                         "storage",
                                                         "environment",
                                                         "allmiscellaneousprocess",
                                                         "logs",
                                                         "sql",
                                                         "streaming",
                                                         "threads"};

bool is_resource(std::string_view s) {
  for (auto r : kResources)
    if (r == s) return true;
  return false;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    const char c = static_cast<char>(hi * 16 + lo);
    if (c == '\0') return std::nullopt;
    out.push_back(c);
    i += 2;
  }
  return out;
}

std::optional<ApiPath> parse_api_path(const std::string& path) {
  std::vector<std::string> seg;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) {
      auto decoded = percent_decode(path.substr(i, j - i));
      if (!decoded) return std::nullopt;
      seg.push_back(std::move(*decoded));
    }
    i = j + 1;
  }
  ApiPath out;
  if (seg.size() == 1 && seg[0] == "version") {
    out.kind = ApiPath::Kind::kVersion;
    return out;
  }
  if (seg.empty() || seg[0] != "applications") return std::nullopt;
  if (seg.size() == 1) return out;  // the listing
  out.app_id = seg[1];
  if (seg.size() == 2) {
    out.kind = ApiPath::Kind::kApplication;
    return out;
  }
  std::size_t rest = 2;
  if (!is_resource(seg[2])) {
    out.attempt_id = seg[2];
    rest = 3;
    if (seg.size() == 3) {
      out.kind = ApiPath::Kind::kAttempt;
      return out;
    }
    if (!is_resource(seg[3])) return std::nullopt;
  }
  out.kind = ApiPath::Kind::kAppResource;
  for (std::size_t k = rest; k < seg.size(); ++k) {
    if (!out.resource.empty()) out.resource.push_back('/');
    out.resource += seg[k];
  }
  return out;
}

}  // namespace sp::history
