// Kubernetes equality-based label selectors ("app=pi,tier!=batch,team,!legacy") for list().
#pragma once

#include <string>
#include <vector>

#include "common/json.h"

namespace sp::local {

struct LabelRequirement {
  enum class Op { kEquals, kNotEquals, kExists, kNotExists };
  std::string key;
  Op op = Op::kEquals;
  std::string value;
};

// Parses comma-separated terms: k=v, k==v, k!=v, k (exists), !k (does not exist).
// "" selects everything. Throws sp::Invalid naming the selector and the bad term.
// Set-based terms ("k in (a,b)") are not supported and are refused, not ignored.
std::vector<LabelRequirement> parse_label_selector(const std::string& selector);

// True when `labels` (metadata.labels: an object of strings, or null) meets every requirement.
bool labels_match(const std::vector<LabelRequirement>& requirements, const Json& labels);

}  // namespace sp::local
