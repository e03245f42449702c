#include "common/time_format.h"

#include <date/date.h>

namespace sp {

std::string format_rfc3339(Time t) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", date::floor<std::chrono::seconds>(t));
}

namespace {

// Reads exactly `n` digits at `pos`; false if any is missing.
bool read_digits(const std::string& s, std::size_t& pos, int n, int& out) {
  out = 0;
  for (int i = 0; i < n; ++i, ++pos) {
    if (pos >= s.size() || s[pos] < '0' || s[pos] > '9') return false;
    out = out * 10 + (s[pos] - '0');
  }
  return true;
}

bool expect(const std::string& s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

// Parsed by hand: date::parse through an istream trips GCC's
// -Wmaybe-uninitialized inside date.h at -O3, and the grammar is tiny.
std::optional<Time> parse_rfc3339(const std::string& s) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, pos, 4, y) || !expect(s, pos, '-') || !read_digits(s, pos, 2, mo) ||
      !expect(s, pos, '-') || !read_digits(s, pos, 2, d))
    return std::nullopt;
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't')) return std::nullopt;
  ++pos;
  if (!read_digits(s, pos, 2, h) || !expect(s, pos, ':') || !read_digits(s, pos, 2, mi) ||
      !expect(s, pos, ':') || !read_digits(s, pos, 2, sec))
    return std::nullopt;
  long long micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  int offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    if (!read_digits(s, pos, 2, oh) || !expect(s, pos, ':') || !read_digits(s, pos, 2, om) ||
        oh > 23 || om > 59)
      return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  const auto tp = date::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                  std::chrono::seconds{sec} + std::chrono::microseconds{micros} -
                  std::chrono::minutes{offset_minutes};
  return std::chrono::time_point_cast<Duration>(tp);
}

std::string format_age(Duration d) {
  auto total = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (total < 0) total = 0;
  const long long days = total / 86400, hours = total % 86400 / 3600, mins = total % 3600 / 60,
                  secs = total % 60;
  std::string out;
  if (days > 0) return std::to_string(days) + "d" + (hours ? std::to_string(hours) + "h" : "");
  if (hours > 0) return std::to_string(hours) + "h" + (mins ? std::to_string(mins) + "m" : "");
  if (mins > 0) return std::to_string(mins) + "m" + (secs ? std::to_string(secs) + "s" : "");
  return std::to_string(secs) + "s";
}

}  // namespace sp
