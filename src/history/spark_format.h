// Text forms Spark's REST API uses: GMT dates, Java's Double.toString, and the lenient parsing
// of query parameters (Java ints and doubles, SimpleDateParam dates).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp::history {

// "2015-02-03T16:43:00.247GMT" (SimpleDateFormat "yyyy-MM-dd'T'HH:mm:ss.SSS'GMT'").
std::string spark_date_string(int64_t epoch_ms);

// Java's Double.toString: "1.0", "0.05", "4.1411E8", "NaN", "Infinity".
std::string java_double_string(double d);

// Java's Integer.parseInt (optional sign, decimal digits, 32-bit range).
std::optional<int32_t> parse_java_int(std::string_view s);

// Java's Double.parseDouble for decimal input: trims spaces and control characters, accepts
// a sign, "NaN", "Infinity", exponents and a trailing f/F/d/D.
std::optional<double> parse_java_double(std::string_view s);

// Spark's SimpleDateParam: "yyyy-MM-dd'T'HH:mm:ss.SSSz" (z: GMT, UTC, GMT+hh:mm, +hhmm, common
// abbreviations), else "yyyy-MM-dd" in GMT; both lenient as SimpleDateFormat (trailing text
// ignored, fields may overflow). Epoch milliseconds, or nullopt if neither form parses.
std::optional<int64_t> parse_simple_date_param(std::string_view s);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d);

}  // namespace sp::history
