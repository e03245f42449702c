// Cron schedules with the grammar and the arithmetic of robfig/cron v3 (ParseStandard and
// SpecSchedule.Next), so that a ScheduledSparkApplication fires at the same instants as under
// the Kubeflow Spark Operator, daylight saving time transitions included.
//
// Next() walks local time the way Go's time package does: whole days and months are added to
// the local calendar fields and normalized with time.Date's rule; hours, minutes and seconds are
// added to the absolute instant. That is why, like robfig, an hour that does not exist (spring
// forward) is skipped and an hour that happens twice (fall back) fires twice.
#include "common/cron.h"

#include <date/date.h>
#include <date/tz.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace sp {

namespace {

using std::chrono::nanoseconds;

constexpr uint64_t kStarBit = uint64_t{1} << 63;

struct Bounds {
  unsigned min;
  unsigned max;
  const char* const* names;  // null-terminated, index = value - names_base; or null
  unsigned names_base;
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",  "jul",
                                       "aug", "sep", "oct", "nov", "dec", nullptr};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};

constexpr Bounds kMinutes{0, 59, nullptr, 0};
constexpr Bounds kHours{0, 23, nullptr, 0};
constexpr Bounds kDom{1, 31, nullptr, 0};
constexpr Bounds kMonths{1, 12, kMonthNames, 1};
constexpr Bounds kDow{0, 6, kDayNames, 0};

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

[[noreturn]] void fail(const std::string& msg) { throw Invalid(msg); }

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Go's strings.Fields (ASCII whitespace).
std::vector<std::string> split_fields(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Go's strings.Split: always at least one element, empty elements kept.
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

// strconv.Atoi (64-bit), then the non-negative check robfig makes.
uint64_t parse_uint(std::string_view expr) {
  const std::string e(expr);
  std::string_view digits = expr;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) fail("failed to parse int from " + e + ": invalid syntax");
  constexpr uint64_t kMax = uint64_t{1} << 63;  // Go's int64 range, negative side included
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') fail("failed to parse int from " + e + ": invalid syntax");
    if (value > (kMax - 9) / 10) fail("failed to parse int from " + e + ": value out of range");
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (negative && value != 0)
    fail("negative number (-" + std::to_string(value) + ") not allowed: " + e);
  return value;
}

uint64_t parse_int_or_name(std::string_view expr, const Bounds& r) {
  if (r.names != nullptr) {
    std::string lower;
    for (char c : expr) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (unsigned i = 0; r.names[i] != nullptr; ++i) {
      if (lower == r.names[i]) return r.names_base + i;
    }
  }
  return parse_uint(expr);
}

uint64_t bits_between(uint64_t lo, uint64_t hi, uint64_t step) {
  uint64_t bits = 0;
  for (uint64_t i = lo; i <= hi; i += step) bits |= uint64_t{1} << i;
  return bits;
}

uint64_t all_bits(const Bounds& r) { return bits_between(r.min, r.max, 1) | kStarBit; }

// number | number "-" number [ "/" number ] | "*" [ "/" number ] | number "/" number
uint64_t parse_range(std::string_view expr, const Bounds& r) {
  auto range_and_step = split(expr, '/');
  auto low_and_high = split(range_and_step[0], '-');
  const bool single = low_and_high.size() == 1;
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t step = 1;
  uint64_t extra = 0;

  if (low_and_high[0] == "*" || low_and_high[0] == "?") {
    start = r.min;
    end = r.max;
    extra = kStarBit;
  } else {
    start = parse_int_or_name(low_and_high[0], r);
    if (low_and_high.size() == 1) {
      end = start;
    } else if (low_and_high.size() == 2) {
      end = parse_int_or_name(low_and_high[1], r);
    } else {
      fail("too many hyphens: " + std::string(expr));
    }
  }

  if (range_and_step.size() == 2) {
    step = parse_uint(range_and_step[1]);
    if (single) end = r.max;  // "N/step" means "N-max/step"
    if (step > 1) extra = 0;  // "*/2" is not a star for the day-of-month/day-of-week rule
  } else if (range_and_step.size() > 2) {
    fail("too many slashes: " + std::string(expr));
  }

  const std::string e(expr);
  if (start < r.min) {
    fail("beginning of range (" + std::to_string(start) + ") below minimum (" +
         std::to_string(r.min) + "): " + e);
  }
  if (end > r.max) {
    fail("end of range (" + std::to_string(end) + ") above maximum (" + std::to_string(r.max) +
         "): " + e);
  }
  if (start > end) {
    fail("beginning of range (" + std::to_string(start) + ") beyond end of range (" +
         std::to_string(end) + "): " + e);
  }
  if (step == 0) fail("step of range should be a positive number: " + e);
  return bits_between(start, end, step) | extra;
}

// A comma-separated list of ranges; empty elements are ignored as Go's FieldsFunc does.
uint64_t parse_field(std::string_view field, const Bounds& r) {
  uint64_t bits = 0;
  for (auto part : split(field, ',')) {
    if (!part.empty()) bits |= parse_range(part, r);
  }
  return bits;
}

// Go's time.ParseDuration: "300ms", "-1.5h", "2h45m", units ns us µs μs ms s m h.
int64_t parse_go_duration(std::string_view orig) {
  const std::string invalid = "time: invalid duration " + quote(orig);
  std::string_view s = orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) fail(invalid);
  constexpr uint64_t kMax = uint64_t{1} << 63;
  uint64_t total = 0;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  while (!s.empty()) {
    if (!(s[0] == '.' || is_digit(s[0]))) fail(invalid);
    // Integer part.
    uint64_t v = 0;
    size_t i = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (v > (kMax - 1) / 10) fail(invalid);
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      if (v > kMax) fail(invalid);
    }
    const bool pre = i > 0;
    s.remove_prefix(i);
    // Fraction.
    bool post = false;
    uint64_t f = 0;
    double scale = 1;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t j = 0;
      bool overflow = false;
      for (; j < s.size() && is_digit(s[j]); ++j) {
        if (overflow) continue;
        if (f > (kMax - 1) / 10) {
          overflow = true;
          continue;
        }
        uint64_t nf = f * 10 + static_cast<uint64_t>(s[j] - '0');
        if (nf > kMax) {
          overflow = true;
          continue;
        }
        f = nf;
        scale *= 10;
      }
      post = j > 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) fail(invalid);
    // Unit.
    size_t k = 0;
    while (k < s.size() && s[k] != '.' && !is_digit(s[k])) ++k;
    if (k == 0) fail("time: missing unit in duration " + quote(orig));
    std::string_view u = s.substr(0, k);
    s.remove_prefix(k);
    uint64_t unit = 0;
    if (u == "ns") {
      unit = 1;
    } else if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") {
      unit = 1000;
    } else if (u == "ms") {
      unit = 1000 * 1000;
    } else if (u == "s") {
      unit = 1000 * 1000 * 1000;
    } else if (u == "m") {
      unit = uint64_t{60} * 1000 * 1000 * 1000;
    } else if (u == "h") {
      unit = uint64_t{3600} * 1000 * 1000 * 1000;
    } else {
      fail("time: unknown unit " + quote(u) + " in duration " + quote(orig));
    }
    if (v > kMax / unit) fail(invalid);
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kMax) fail(invalid);
    }
    total += v;
    if (total > kMax) fail(invalid);
  }
  if (neg)
    return total == kMax ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(total);
  if (total > kMax - 1) fail(invalid);
  return static_cast<int64_t>(total);
}

const date::time_zone* utc_zone() { return date::locate_zone("Etc/UTC"); }

// The machine's zone as Go's time.Local finds it: $TZ if set ("" means UTC), else
// /etc/localtime; UTC when neither can be loaded.
const date::time_zone* local_zone() {
  if (const char* env = std::getenv("TZ"); env != nullptr) {
    std::string_view tz = env;
    if (!tz.empty() && tz[0] == ':') tz.remove_prefix(1);
    if (tz.empty() || tz == "UTC") return utc_zone();
    try {
      return date::locate_zone(tz);
    } catch (const std::exception&) {
      return utc_zone();
    }
  }
  try {
    return date::current_zone();
  } catch (const std::exception&) {
    return utc_zone();
  }
}

// Go's time.LoadLocation: "" and "UTC" are UTC, "Local" is the machine's zone.
const date::time_zone* load_location(std::string_view name) {
  if (name.empty() || name == "UTC") return utc_zone();
  if (name == "Local") return local_zone();
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    fail("unknown time zone " + quote(name));
  }
}

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Calendar fields of an instant in a zone, as Go's Time accessors give them.
struct Civil {
  int64_t year;
  int64_t month;  // 1-12
  int64_t day;    // 1-31
  int64_t hour, minute, second;
  unsigned weekday;  // 0 = Sunday
};

}  // namespace

struct CronSchedule::Impl {
  bool every = false;
  int64_t delay_seconds = 0;  // for @every
  uint64_t minute = 0, hour = 0, dom = 0, month = 0, dow = 0;
  const date::time_zone* zone = nullptr;

  Civil civil(int64_t t) const {
    auto info = zone->get_info(date::sys_seconds{std::chrono::seconds{t}});
    int64_t local = t + info.offset.count();
    int64_t days = floor_div(local, 86400);
    int64_t sod = local - days * 86400;
    date::sys_days sd{date::days{days}};
    date::year_month_day ymd{sd};
    return Civil{static_cast<int>(ymd.year()),
                 static_cast<unsigned>(ymd.month()),
                 static_cast<unsigned>(ymd.day()),
                 sod / 3600,
                 sod / 60 % 60,
                 sod % 60,
                 date::weekday{sd}.c_encoding()};
  }

  // Go's time.Date: fields are normalized (month 13 is January of the next year, day 0 the
  // last day of the previous month) and a local time that is skipped or repeated by a
  // transition is resolved with Go's rule.
  int64_t make_time(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s) const {
    int64_t m0 = mo - 1;
    y += floor_div(m0, 12);
    m0 -= floor_div(m0, 12) * 12;
    date::year_month_day first{date::year{static_cast<int>(y)},
                               date::month{static_cast<unsigned>(m0 + 1)}, date::day{1}};
    int64_t days = date::sys_days{first}.time_since_epoch().count() + d - 1;
    int64_t unix = days * 86400 + h * 3600 + mi * 60 + s;
    auto info = zone->get_info(date::sys_seconds{std::chrono::seconds{unix}});
    int64_t offset = info.offset.count();
    if (offset != 0) {
      int64_t utc = unix - offset;
      if (utc < info.begin.time_since_epoch().count() ||
          utc >= info.end.time_since_epoch().count()) {
        offset = zone->get_info(date::sys_seconds{std::chrono::seconds{utc}}).offset.count();
      }
      unix -= offset;
    }
    return unix;
  }

  bool day_matches(const Civil& c) const {
    bool dom_match = (uint64_t{1} << c.day & dom) != 0;
    bool dow_match = (uint64_t{1} << c.weekday & dow) != 0;
    if ((dom & kStarBit) != 0 || (dow & kStarBit) != 0) return dom_match && dow_match;
    return dom_match || dow_match;
  }

  // robfig's SpecSchedule.Next on whole seconds; nullopt when nothing matches within five
  // years. The second field of a five-field spec is always 0.
  std::optional<int64_t> next_spec(int64_t t) const {
    t += 1;  // the upcoming second
    bool added = false;
    const int64_t year_limit = civil(t).year + 5;
    auto has = [](uint64_t bits, int64_t v) { return (uint64_t{1} << v & bits) != 0; };

  wrap:
    Civil c = civil(t);
    if (c.year > year_limit) return std::nullopt;

    while (!has(month, c.month)) {
      if (!added) {
        added = true;
        t = make_time(c.year, c.month, 1, 0, 0, 0);
        c = civil(t);
      }
      t = make_time(c.year, c.month + 1, c.day, c.hour, c.minute, c.second);
      c = civil(t);
      if (c.month == 1) goto wrap;
    }

    while (!day_matches(c)) {
      if (!added) {
        added = true;
        t = make_time(c.year, c.month, c.day, 0, 0, 0);
        c = civil(t);
      }
      t = make_time(c.year, c.month, c.day + 1, c.hour, c.minute, c.second);
      c = civil(t);
      // Midnight may not exist (a transition at 00:00): move back onto the right day.
      if (c.hour != 0) {
        t += c.hour > 12 ? (24 - c.hour) * 3600 : -c.hour * 3600;
        c = civil(t);
      }
      if (c.day == 1) goto wrap;
    }

    while (!has(hour, c.hour)) {
      if (!added) {
        added = true;
        t = make_time(c.year, c.month, c.day, c.hour, 0, 0);
      }
      t += 3600;
      c = civil(t);
      if (c.hour == 0) goto wrap;
    }

    while (!has(minute, c.minute)) {
      if (!added) {
        added = true;
        t = floor_div(t, 60) * 60;
      }
      t += 60;
      c = civil(t);
      if (c.minute == 0) goto wrap;
    }

    while (c.second != 0) {  // t is already on a whole second
      t += 1;
      c = civil(t);
      if (c.second == 0) goto wrap;
    }
    return t;
  }
};

CronSchedule::CronSchedule(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CronSchedule::~CronSchedule() = default;
CronSchedule::CronSchedule(CronSchedule&&) noexcept = default;
CronSchedule& CronSchedule::operator=(CronSchedule&&) noexcept = default;

CronSchedule CronSchedule::parse(const std::string& expr, const std::string& time_zone) {
  if (expr.empty()) fail("empty spec string");
  auto impl = std::make_unique<Impl>();
  std::string_view spec = expr;

  if (spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=")) {
    size_t space = spec.find(' ');
    if (space == std::string_view::npos) {
      fail("missing schedule after the time zone in " + quote(expr));
    }
    size_t eq = spec.find('=');
    impl->zone = load_location(spec.substr(eq + 1, space - eq - 1));
    spec.remove_prefix(space);
    while (!spec.empty() && is_space(spec.front())) spec.remove_prefix(1);
    while (!spec.empty() && is_space(spec.back())) spec.remove_suffix(1);
  } else {
    impl->zone =
        time_zone.empty() || time_zone == "Local" ? local_zone() : load_location(time_zone);
  }

  if (spec.starts_with("@")) {
    auto descriptor = [&](uint64_t mi, uint64_t h, uint64_t d, uint64_t mo, uint64_t w) {
      impl->minute = mi;
      impl->hour = h;
      impl->dom = d;
      impl->month = mo;
      impl->dow = w;
    };
    if (spec == "@yearly" || spec == "@annually") {
      descriptor(1, 1, 1 << 1, 1 << 1, all_bits(kDow));
    } else if (spec == "@monthly") {
      descriptor(1, 1, 1 << 1, all_bits(kMonths), all_bits(kDow));
    } else if (spec == "@weekly") {
      descriptor(1, 1, all_bits(kDom), all_bits(kMonths), 1);
    } else if (spec == "@daily" || spec == "@midnight") {
      descriptor(1, 1, all_bits(kDom), all_bits(kMonths), all_bits(kDow));
    } else if (spec == "@hourly") {
      descriptor(1, all_bits(kHours), all_bits(kDom), all_bits(kMonths), all_bits(kDow));
    } else if (spec.starts_with("@every ")) {
      int64_t ns = 0;
      try {
        ns = parse_go_duration(spec.substr(7));
      } catch (const Invalid& e) {
        fail("failed to parse duration " + quote(spec) + ": " + e.what());
      }
      // Every(): at least one second; anything below a second is truncated.
      constexpr int64_t kSecond = 1000 * 1000 * 1000;
      if (ns < kSecond) ns = kSecond;
      impl->every = true;
      impl->delay_seconds = ns / kSecond;
    } else {
      fail("unrecognized descriptor: " + std::string(spec));
    }
    return CronSchedule(std::move(impl));
  }

  auto fields = split_fields(spec);
  if (fields.size() != 5) {
    fail("expected exactly 5 fields, found " + std::to_string(fields.size()) + ": " + quote(spec));
  }
  impl->minute = parse_field(fields[0], kMinutes);
  impl->hour = parse_field(fields[1], kHours);
  impl->dom = parse_field(fields[2], kDom);
  impl->month = parse_field(fields[3], kMonths);
  impl->dow = parse_field(fields[4], kDow);
  return CronSchedule(std::move(impl));
}

Time CronSchedule::next(Time after) const {
  using std::chrono::floor;
  using std::chrono::seconds;
  const int64_t t = floor<seconds>(after).time_since_epoch().count();
  const int64_t last = floor<seconds>(Time::max()).time_since_epoch().count();
  int64_t result = 0;
  if (impl_->every) {
    // ConstantDelaySchedule: the delay after `after` with its fraction of a second dropped.
    if (t > last - impl_->delay_seconds) return Time::max();
    result = t + impl_->delay_seconds;
  } else {
    // Near the end of the representable range (year 2262) nothing can be scheduled.
    if (t > last - int64_t{6 * 366} * 86400) return Time::max();
    auto found = impl_->next_spec(t);
    if (!found) return Time::max();
    result = *found;
  }
  return Time{std::chrono::duration_cast<Time::duration>(seconds{result})};
}

}  // namespace sp
