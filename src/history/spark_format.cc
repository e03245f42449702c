#include "history/spark_format.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace sp::history {

int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (m + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

namespace {

void civil_from_days(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

void append_padded(std::string& out, int64_t v, int width) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (v < 0) out.push_back('-');
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out.push_back('0');
  out += digits;
}

}  // namespace

std::string spark_date_string(int64_t epoch_ms) {
  int64_t days = floor_div(epoch_ms, 86400000);
  int64_t ms_of_day = epoch_ms - days * 86400000;
  int64_t y = 0, m = 0, d = 0;
  civil_from_days(days, y, m, d);
  std::string out;
  out.reserve(28);
  append_padded(out, y, 4);
  out.push_back('-');
  append_padded(out, m, 2);
  out.push_back('-');
  append_padded(out, d, 2);
  out.push_back('T');
  append_padded(out, ms_of_day / 3600000, 2);
  out.push_back(':');
  append_padded(out, (ms_of_day / 60000) % 60, 2);
  out.push_back(':');
  append_padded(out, (ms_of_day / 1000) % 60, 2);
  out.push_back('.');
  append_padded(out, ms_of_day % 1000, 3);
  out += "GMT";
  return out;
}

std::string java_double_string(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  // Shortest round-trip digits in scientific form: "d.dddde[+-]xx".
  std::array<char, 64> buf{};
  auto res = std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::scientific);
  std::string sci(buf.data(), res.ptr);
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  size_t epos = sci.find('e');
  std::string mant = sci.substr(0, epos);
  int exp = std::atoi(sci.c_str() + epos + 1);
  std::string digits;
  for (char c : mant) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = neg ? "-" : "";
  double a = std::fabs(d);
  if (a >= 1e-3 && a < 1e7) {
    if (exp >= 0) {
      size_t int_len = static_cast<size_t>(exp) + 1;
      if (digits.size() <= int_len) {
        out += digits;
        out.append(int_len - digits.size(), '0');
        out += ".0";
      } else {
        out += digits.substr(0, int_len);
        out.push_back('.');
        out += digits.substr(int_len);
      }
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-exp - 1), '0');
      out += digits;
    }
  } else {
    out.push_back(digits[0]);
    out.push_back('.');
    out += digits.size() > 1 ? digits.substr(1) : "0";
    out.push_back('E');
    out += std::to_string(exp);
  }
  return out;
}

std::optional<int32_t> parse_java_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
    if (s.size() == 1) return std::nullopt;
  }
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
    if (v > static_cast<int64_t>(std::numeric_limits<int32_t>::max()) + 1) return std::nullopt;
  }
  if (neg) v = -v;
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<int32_t>(v);
}

std::optional<double> parse_java_double(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  std::string t(s.substr(b, e - b));
  if (t.empty()) return std::nullopt;
  size_t i = 0;
  bool neg = false;
  if (t[0] == '+' || t[0] == '-') {
    neg = t[0] == '-';
    i = 1;
  }
  std::string rest = t.substr(i);
  if (rest == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (rest == "Infinity") {
    return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  if (!rest.empty()) {
    char last = rest.back();
    if (last == 'f' || last == 'F' || last == 'd' || last == 'D') rest.pop_back();
  }
  // Decimal: digits [. digits] [e[+-]digits], at least one mantissa digit.
  size_t p = 0;
  size_t mant_digits = 0;
  while (p < rest.size() && rest[p] >= '0' && rest[p] <= '9') {
    ++p;
    ++mant_digits;
  }
  if (p < rest.size() && rest[p] == '.') {
    ++p;
    while (p < rest.size() && rest[p] >= '0' && rest[p] <= '9') {
      ++p;
      ++mant_digits;
    }
  }
  if (mant_digits == 0) return std::nullopt;
  if (p < rest.size() && (rest[p] == 'e' || rest[p] == 'E')) {
    ++p;
    if (p < rest.size() && (rest[p] == '+' || rest[p] == '-')) ++p;
    size_t exp_digits = 0;
    while (p < rest.size() && rest[p] >= '0' && rest[p] <= '9') {
      ++p;
      ++exp_digits;
    }
    if (exp_digits == 0) return std::nullopt;
  }
  if (p != rest.size()) return std::nullopt;
  double v = std::strtod(rest.c_str(), nullptr);
  return neg ? -v : v;
}

namespace {

// Parses a run of decimal digits at `p` (at least one). SimpleDateFormat's number fields.
bool parse_digits(std::string_view s, size_t& p, int64_t& out) {
  size_t start = p;
  int64_t v = 0;
  while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
    if (v < 100000000000LL) v = v * 10 + (s[p] - '0');
    ++p;
  }
  if (p == start) return false;
  out = v;
  return true;
}

bool expect(std::string_view s, size_t& p, char c) {
  if (p < s.size() && s[p] == c) {
    ++p;
    return true;
  }
  return false;
}

bool starts_with_ci(std::string_view s, size_t p, std::string_view word) {
  if (s.size() - p < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char a = s[p + i], b = word[i];
    if (a >= 'a' && a <= 'z') a = static_cast<char>(a - 'a' + 'A');
    if (b >= 'a' && b <= 'z') b = static_cast<char>(b - 'a' + 'A');
    if (a != b) return false;
  }
  return true;
}

// "+hh:mm", "+hhmm", "+h" after GMT; offset in minutes.
bool parse_gmt_offset(std::string_view s, size_t& p, int64_t& minutes) {
  if (p >= s.size() || (s[p] != '+' && s[p] != '-')) return false;
  int sign = s[p] == '-' ? -1 : 1;
  size_t q = p + 1;
  size_t start = q;
  int64_t h = 0;
  while (q < s.size() && s[q] >= '0' && s[q] <= '9' && q - start < 4) {
    h = h * 10 + (s[q] - '0');
    ++q;
  }
  size_t n = q - start;
  if (n == 0) return false;
  int64_t m = 0;
  if (n <= 2 && q < s.size() && s[q] == ':') {
    size_t r = q + 1;
    if (r + 2 <= s.size() && s[r] >= '0' && s[r] <= '9' && s[r + 1] >= '0' && s[r + 1] <= '9') {
      m = (s[r] - '0') * 10 + (s[r + 1] - '0');
      q = r + 2;
    } else {
      return false;
    }
  } else if (n > 2) {
    m = h % 100;
    h = h / 100;
  }
  if (h > 23 || m > 59) return false;
  minutes = sign * (h * 60 + m);
  p = q;
  return true;
}

// The 'z' field: a time zone name, GMT offset or RFC 822 offset. Offset in minutes.
bool parse_zone(std::string_view s, size_t& p, int64_t& minutes) {
  if (starts_with_ci(s, p, "GMT")) {
    p += 3;
    int64_t off = 0;
    size_t q = p;
    if (parse_gmt_offset(s, q, off)) {
      p = q;
      minutes = off;
    } else {
      minutes = 0;
    }
    return true;
  }
  if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    // RFC 822: exactly four digits.
    if (p + 5 <= s.size()) {
      bool ok = true;
      for (size_t i = 1; i <= 4; ++i) ok = ok && s[p + i] >= '0' && s[p + i] <= '9';
      if (ok) {
        int64_t h = (s[p + 1] - '0') * 10 + (s[p + 2] - '0');
        int64_t m = (s[p + 3] - '0') * 10 + (s[p + 4] - '0');
        if (h <= 23 && m <= 59) {
          minutes = (s[p] == '-' ? -1 : 1) * (h * 60 + m);
          p += 5;
          return true;
        }
      }
    }
    return false;
  }
  struct Zone {
    const char* name;
    int minutes;
  };
  static const Zone kZones[] = {
      {"UTC", 0},     {"UT", 0},      {"Z", 0},      {"WET", 0},    {"WEST", 60},  {"BST", 60},
      {"CET", 60},    {"CEST", 120},  {"MET", 60},   {"MEST", 120}, {"EET", 120},  {"EEST", 180},
      {"MSK", 180},   {"IST", 330},   {"HKT", 480},  {"SGT", 480},  {"JST", 540},  {"KST", 540},
      {"AEST", 600},  {"AEDT", 660},  {"NZST", 720}, {"NZDT", 780}, {"EST", -300}, {"EDT", -240},
      {"CST", -360},  {"CDT", -300},  {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420},
      {"AKST", -540}, {"AKDT", -480}, {"HST", -600},
  };
  // Longest match first.
  const Zone* best = nullptr;
  size_t best_len = 0;
  for (const Zone& z : kZones) {
    std::string_view name(z.name);
    if (name.size() > best_len && starts_with_ci(s, p, name)) {
      best = &z;
      best_len = name.size();
    }
  }
  if (best == nullptr) return false;
  p += best_len;
  minutes = best->minutes;
  return true;
}

int64_t lenient_epoch(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s,
                      int64_t ms) {
  int64_t m0 = mo - 1;
  y += floor_div(m0, 12);
  m0 -= floor_div(m0, 12) * 12;
  int64_t days = days_from_civil(y, m0 + 1, 1) + (d - 1);
  return days * 86400000 + h * 3600000 + mi * 60000 + s * 1000 + ms;
}

}  // namespace

std::optional<int64_t> parse_simple_date_param(std::string_view s) {
  // "yyyy-MM-dd'T'HH:mm:ss.SSSz"
  {
    size_t p = 0;
    int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0, zone = 0;
    if (parse_digits(s, p, y) && expect(s, p, '-') && parse_digits(s, p, mo) && expect(s, p, '-') &&
        parse_digits(s, p, d) && expect(s, p, 'T') && parse_digits(s, p, h) && expect(s, p, ':') &&
        parse_digits(s, p, mi) && expect(s, p, ':') && parse_digits(s, p, sec) &&
        expect(s, p, '.') && parse_digits(s, p, ms) && parse_zone(s, p, zone)) {
      return lenient_epoch(y, mo, d, h, mi, sec, ms) - zone * 60000;
    }
  }
  // "yyyy-MM-dd" in GMT.
  {
    size_t p = 0;
    int64_t y = 0, mo = 0, d = 0;
    if (parse_digits(s, p, y) && expect(s, p, '-') && parse_digits(s, p, mo) && expect(s, p, '-') &&
        parse_digits(s, p, d)) {
      return lenient_epoch(y, mo, d, 0, 0, 0, 0);
    }
  }
  return std::nullopt;
}

}  // namespace sp::history
