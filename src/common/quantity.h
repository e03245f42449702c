// Sizes and CPU amounts as manifests write them: Spark memory strings and Kubernetes quantities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp {

inline constexpr int64_t kKiB = int64_t{1} << 10;
inline constexpr int64_t kMiB = int64_t{1} << 20;
inline constexpr int64_t kGiB = int64_t{1} << 30;

// A memory size as Spark reads spark.driver.memory (JavaUtils.byteStringAs) and as Kubernetes
// writes binary quantities: a whole number and a case-insensitive suffix, b k kb m mb g gb t tb
// p pb (powers of 1024, as Spark means them), or Ki Mi Gi Ti Pi Ei. A bare number is counted
// in `default_unit` bytes (Spark reads "1024" as 1024 MiB for driver and executor memory).
// Throws sp::Invalid naming the problem ("1.5g": fractions are not accepted, as in Spark).
int64_t parse_memory_bytes(std::string_view s, int64_t default_unit = kMiB);
std::optional<int64_t> try_parse_memory_bytes(std::string_view s, int64_t default_unit = kMiB);

// The same size written for Spark in the largest unit that divides it: "1g", "1536m", "10k".
std::string format_memory(int64_t bytes);

// A Kubernetes CPU quantity ("1", "0.5", "500m", "1.5", "2k", "1e3") in millicores, rounded up
// as Kubernetes does. Negative amounts are rejected. Throws sp::Invalid.
int64_t parse_cpu_millis(std::string_view s);
std::optional<int64_t> try_parse_cpu_millis(std::string_view s);

}  // namespace sp
