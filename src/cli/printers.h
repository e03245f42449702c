// How the CLI prints resources: kubectl-style tables with the CRDs' printer columns, and the
// -o json|yaml|name|wide forms.
#pragma once

#include <string>
#include <vector>

#include "cli/client.h"
#include "common/clock.h"
#include "common/json.h"

namespace sp::cli {

// Columns padded to the widest cell, three spaces apart, as kubectl prints them.
std::string render_table(const std::vector<std::vector<std::string>>& rows);

// "5m3s"-style age of an RFC 3339 timestamp, "<unknown>" if empty or malformed.
std::string age_of(const std::string& rfc3339, Time now);

// The string at a dotted path, numbers and booleans rendered; `fallback` when absent.
std::string field(const Json& obj, const char* dotted_path, const std::string& fallback = "");

// output: "" (table), "wide", "json", "yaml", "name". Throws CliError(2) on another value.
// `single`: one object was asked for by name (json/yaml print it bare, not as a List).
std::string format_objects(const std::vector<Json>& items, const ResourceType& type,
                           const std::string& output, bool all_namespaces, bool single, Time now);

void check_output_format(const std::string& output);

}  // namespace sp::cli
