// RFC 3339 timestamps as Kubernetes writes them ("2026-11-22T02:43:13Z").
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"

namespace sp {

// Second precision, UTC, "Z" suffix: the form of metav1.Time.
std::string format_rfc3339(Time t);

// Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)". nullopt if malformed.
std::optional<Time> parse_rfc3339(const std::string& s);

// "3s", "4m12s", "2h5m", "3d4h": the short age form kubectl prints.
std::string format_age(Duration d);

}  // namespace sp
