// Parsing of Spark memory strings and Kubernetes CPU quantities (see quantity.h).
#include "common/quantity.h"

#include <cctype>
#include <limits>

#include "common/error.h"

namespace sp {
namespace {

__extension__ typedef __int128 i128;
constexpr i128 kMax = std::numeric_limits<int64_t>::max();

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Multiplies with a ceiling far above int64 so that overflow is detected, never wrapped.
bool mul(i128& v, i128 by) {
  constexpr i128 kCeiling = kMax * 1024;
  if (by != 0 && v > kCeiling / by) return false;
  v *= by;
  return true;
}

int64_t memory_unit(const std::string& suffix) {
  if (suffix == "b") return 1;
  if (suffix == "k" || suffix == "kb" || suffix == "ki") return kKiB;
  if (suffix == "m" || suffix == "mb" || suffix == "mi") return kMiB;
  if (suffix == "g" || suffix == "gb" || suffix == "gi") return kGiB;
  if (suffix == "t" || suffix == "tb" || suffix == "ti") return kGiB * kKiB;
  if (suffix == "p" || suffix == "pb" || suffix == "pi") return kGiB * kMiB;
  if (suffix == "ei") return kGiB * kGiB;
  return 0;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

int64_t parse_memory_bytes(std::string_view text, int64_t default_unit) {
  std::string_view s = trim(text);
  size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0) {
    throw Invalid("invalid memory size " + quoted(text) +
                  ": expected a whole number with an optional unit, e.g. 512m, 1g or 2Gi");
  }
  std::string suffix = lower(s.substr(i));
  int64_t unit = suffix.empty() ? default_unit : memory_unit(suffix);
  if (unit == 0) {
    throw Invalid("invalid memory size " + quoted(text) + ": unknown unit " + quoted(s.substr(i)) +
                  " (use b, k, m, g, t, p or Ki, Mi, Gi, Ti, Pi, Ei)");
  }
  i128 v = 0;
  for (size_t k = 0; k < i; ++k) {
    if (!mul(v, 10)) throw Invalid("invalid memory size " + quoted(text) + ": too large");
    v += s[k] - '0';
  }
  if (!mul(v, unit) || v > kMax) {
    throw Invalid("invalid memory size " + quoted(text) + ": too large");
  }
  return static_cast<int64_t>(v);
}

std::optional<int64_t> try_parse_memory_bytes(std::string_view s, int64_t default_unit) {
  try {
    return parse_memory_bytes(s, default_unit);
  } catch (const Invalid&) {
    return std::nullopt;
  }
}

std::string format_memory(int64_t bytes) {
  static constexpr struct {
    int64_t unit;
    const char* suffix;
  } kUnits[] = {{kGiB * kMiB, "p"}, {kGiB * kKiB, "t"}, {kGiB, "g"}, {kMiB, "m"}, {kKiB, "k"}};
  if (bytes > 0) {
    for (const auto& u : kUnits) {
      if (bytes % u.unit == 0) return std::to_string(bytes / u.unit) + u.suffix;
    }
  }
  return std::to_string(bytes) + "b";
}

int64_t parse_cpu_millis(std::string_view text) {
  std::string_view s = trim(text);
  auto bad = [&](const std::string& why) -> Invalid {
    return Invalid("invalid CPU quantity " + quoted(text) + ": " + why);
  };
  size_t i = 0;
  if (i < s.size() && s[i] == '+') ++i;
  if (i < s.size() && s[i] == '-') throw bad("must not be negative");
  // The number: digits, optionally a fraction.
  i128 mantissa = 0;
  int frac_digits = 0;
  size_t digits = 0;
  bool overflow = false;
  auto add_digit = [&](char c) {
    if (mantissa == 0 && c == '0') return;  // leading zeros carry no precision
    overflow = overflow || !mul(mantissa, 10);
    mantissa += c - '0';
  };
  while (i < s.size() && is_digit(s[i])) add_digit(s[i++]), ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) add_digit(s[i++]), ++digits, ++frac_digits;
  }
  if (digits == 0) throw bad("expected a number such as 1, 0.5 or 500m");
  if (overflow) throw bad("too large or too precise");
  // The suffix: m, "", k M G T P E, Ki..Ei, or a decimal exponent e<n> / E<n>.
  std::string_view suffix = s.substr(i);
  int exp10 = 3;  // millicores
  int exp2 = 0;
  if (suffix.empty()) {
  } else if (suffix == "m") {
    exp10 -= 3;
  } else if (suffix.size() == 1 && std::string_view("kMGTPE").find(suffix[0]) != suffix.npos) {
    exp10 += 3 * (1 + static_cast<int>(std::string_view("kMGTPE").find(suffix[0])));
  } else if (suffix.size() == 2 && suffix[1] == 'i' &&
             std::string_view("KMGTPE").find(suffix[0]) != suffix.npos) {
    exp2 = 10 * (1 + static_cast<int>(std::string_view("KMGTPE").find(suffix[0])));
  } else if ((suffix[0] == 'e' || suffix[0] == 'E') && suffix.size() > 1) {
    size_t k = 1;
    bool negative = false;
    if (suffix[k] == '+' || suffix[k] == '-') negative = suffix[k++] == '-';
    if (k == suffix.size()) throw bad("bad exponent");
    int e = 0;
    for (; k < suffix.size(); ++k) {
      if (!is_digit(suffix[k]) || e > 100) throw bad("bad exponent");
      e = e * 10 + (suffix[k] - '0');
    }
    exp10 += negative ? -e : e;
  } else {
    throw bad("unknown suffix " + quoted(suffix) + " (use m, k, M, G, Ki, Mi, ... or none)");
  }
  exp10 -= frac_digits;
  i128 v = mantissa;
  for (int k = 0; k < exp2; ++k) {
    if (!mul(v, 2)) throw bad("too large");
  }
  for (int k = 0; k < exp10; ++k) {
    if (!mul(v, 10)) throw bad("too large");
  }
  if (exp10 < 0) {
    i128 div = 1;
    for (int k = 0; k < -exp10; ++k) {
      if (!mul(div, 10)) {
        div = 0;  // far below one millicore
        break;
      }
    }
    v = div == 0 ? (v > 0 ? 1 : 0) : (v + div - 1) / div;  // round up
  }
  if (v > kMax) throw bad("too large");
  return static_cast<int64_t>(v);
}

std::optional<int64_t> try_parse_cpu_millis(std::string_view s) {
  try {
    return parse_cpu_millis(s);
  } catch (const Invalid&) {
    return std::nullopt;
  }
}

}  // namespace sp
