// SQLMetrics.stringValue and the Java formatting it relies on (Utils.bytesToString,
// Utils.msDurationToString, NumberFormat), for the SQL metric values /sql shows.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <numeric>

#include "history/sql_model.h"

namespace sp::history {

namespace {

// Java's "%.<prec>f" of a double: the shortest decimal digits of the value, rounded half up.
std::string java_fixed(double d, int prec) {
  bool neg = d < 0;
  if (neg) d = -d;
  std::array<char, 64> buf{};
  auto res = std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::scientific);
  std::string sci(buf.data(), res.ptr);
  size_t epos = sci.find('e');
  int exp = std::atoi(sci.c_str() + epos + 1);
  std::string digits;
  for (size_t i = 0; i < epos; ++i) {
    if (sci[i] != '.') digits.push_back(sci[i]);
  }
  // Value = 0.digits * 10^(exp + 1). Build integer and fraction digit strings.
  int int_len = exp + 1;
  std::string int_part, frac_part;
  if (int_len > 0) {
    for (int i = 0; i < int_len; ++i) {
      int_part.push_back(i < static_cast<int>(digits.size()) ? digits[static_cast<size_t>(i)]
                                                             : '0');
    }
    if (int_len < static_cast<int>(digits.size()))
      frac_part = digits.substr(static_cast<size_t>(int_len));
  } else {
    int_part = "0";
    frac_part = std::string(static_cast<size_t>(-int_len), '0') + digits;
  }
  bool round_up =
      static_cast<int>(frac_part.size()) > prec && frac_part[static_cast<size_t>(prec)] >= '5';
  frac_part.resize(static_cast<size_t>(prec), '0');
  std::string all = int_part + frac_part;
  if (round_up) {
    int i = static_cast<int>(all.size()) - 1;
    while (i >= 0) {
      if (all[static_cast<size_t>(i)] == '9') {
        all[static_cast<size_t>(i)] = '0';
        --i;
      } else {
        ++all[static_cast<size_t>(i)];
        break;
      }
    }
    if (i < 0) all.insert(all.begin(), '1');
  }
  std::string ip = all.substr(0, all.size() - static_cast<size_t>(prec));
  std::string fp = all.substr(all.size() - static_cast<size_t>(prec));
  std::string out;
  if (neg) out.push_back('-');
  out.append(ip);
  if (prec > 0) {
    out.push_back('.');
    out.append(fp);
  }
  return out;
}

std::string group_thousands(const std::string& digits) {
  std::string out;
  int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[static_cast<size_t>(i)]);
  }
  return out;
}

// NumberFormat.getIntegerInstance(Locale.US).format(long).
std::string integer_format(int64_t v) {
  bool neg = v < 0;
  uint64_t a = neg ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  std::string out;
  if (neg) out.push_back('-');
  out.append(group_thousands(std::to_string(a)));
  return out;
}

// Utils.bytesToString: "%.1f <unit>" of the exact quotient, rounded half up.
std::string bytes_to_string(int64_t size) {
  struct Unit {
    int shift;
    const char* name;
  };
  static const Unit kUnits[] = {{60, "EiB"}, {50, "PiB"}, {40, "TiB"},
                                {30, "GiB"}, {20, "MiB"}, {10, "KiB"}};
  int shift = 0;
  const char* unit = "B";
  for (const Unit& u : kUnits) {
    if (size >= (int64_t{2} << u.shift)) {
      shift = u.shift;
      unit = u.name;
      break;
    }
  }
  bool neg = size < 0;
  uint64_t a = neg ? static_cast<uint64_t>(-(size + 1)) + 1 : static_cast<uint64_t>(size);
  uint64_t denom = uint64_t{1} << shift;
  uint64_t q = a / denom, r = a % denom;
  uint64_t tenths = q * 10 + (r * 10 + denom / 2) / denom;
  std::string out;
  if (neg) out.push_back('-');
  out.append(std::to_string(tenths / 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + tenths % 10));
  out.push_back(' ');
  out.append(unit);
  return out;
}

// Utils.msDurationToString.
std::string ms_duration_to_string(int64_t ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  float t = static_cast<float>(ms);
  if (ms < 60000) return java_fixed(static_cast<double>(t / 1000.0f), 1) + " s";
  if (ms < 3600000) return java_fixed(static_cast<double>(t / 60000.0f), 1) + " m";
  return java_fixed(static_cast<double>(t / 3600000.0f), 2) + " h";
}

// NumberFormat.getNumberInstance(Locale.US).format(value / 10.0): up to 3 fraction digits.
std::string average_format(int64_t value) {
  bool neg = value < 0;
  uint64_t a = neg ? static_cast<uint64_t>(-(value + 1)) + 1 : static_cast<uint64_t>(value);
  std::string out;
  if (neg) out.push_back('-');
  out.append(group_thousands(std::to_string(a / 10)));
  if (a % 10 != 0) {
    out.push_back('.');
    out.push_back(static_cast<char>('0' + a % 10));
  }
  return out;
}

}  // namespace

std::string sql_metric_string(const std::string& type, const std::vector<int64_t>& values,
                              const std::vector<int64_t>& max_metric) {
  std::string task_info = "(driver)";
  if (max_metric.size() >= 4) {
    task_info = "(stage " + std::to_string(max_metric[1]) + "." + std::to_string(max_metric[2]) +
                ": task " + std::to_string(max_metric[3]) + ")";
  }
  const std::string suffix = "(min, med, max (stageId: taskId))";
  if (type == "sum") {
    int64_t sum = 0;
    for (int64_t v : values) sum += v;
    return integer_format(sum);
  }
  if (type == "average") {
    std::vector<int64_t> valid;
    for (int64_t v : values) {
      if (v > 0) valid.push_back(v);
    }
    if (valid.size() <= 1) return average_format(valid.empty() ? 0 : valid.front());
    std::sort(valid.begin(), valid.end());
    return suffix + ":\n(" + average_format(valid.front()) + ", " +
           average_format(valid[valid.size() / 2]) + ", " + average_format(valid.back()) + " " +
           task_info + ")";
  }
  std::string (*fmt)(int64_t) = nullptr;
  if (type == "size") {
    fmt = bytes_to_string;
  } else if (type == "timing") {
    fmt = ms_duration_to_string;
  } else if (type == "nsTiming") {
    fmt = [](int64_t ns) { return ms_duration_to_string(ns / 1000000); };
  } else {
    // Custom (v2) metrics need their class, which a history server does not have.
    return "N/A";
  }
  std::vector<int64_t> valid;
  for (int64_t v : values) {
    if (v >= 0) valid.push_back(v);
  }
  if (valid.size() <= 1) return fmt(valid.empty() ? 0 : valid.front());
  std::sort(valid.begin(), valid.end());
  int64_t sum = 0;
  for (int64_t v : valid) sum += v;
  return "total " + suffix + "\n" + fmt(sum) + " (" + fmt(valid.front()) + ", " +
         fmt(valid[valid.size() / 2]) + ", " + fmt(valid.back()) + " " + task_info + ")";
}

}  // namespace sp::history
