// Reading SparkApplication / ScheduledSparkApplication manifests from YAML or JSON text:
// version and kind checks, typed parsing, validation and unknown-field warnings.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"

namespace sp::api {

struct Manifest {
  std::string resource;               // "sparkapplications" or "scheduledsparkapplications"
  Json object;                        // the document as written, metadata.namespace filled in
  std::vector<std::string> warnings;  // "<source>: <Kind>/<name>: unknown field \"spec.x\" ..."
};

// Parses every document of `text` (multi-document YAML, JSON, or a JSON/YAML `kind: List` with
// `items`). Each must be sparkoperator.k8s.io/v1beta2 SparkApplication or
// ScheduledSparkApplication. An empty metadata.namespace becomes `default_namespace`.
// Throws sp::Invalid on bad YAML, a wrong apiVersion or kind, or invalid fields: the message
// lists every problem of every document, one per line, each prefixed with
// "<source>: <Kind>/<name>: " (or "<source>: document <n>: " before the kind is known).
// Schedules are checked with the cron parser.
std::vector<Manifest> parse_manifests(const std::string& text, const std::string& source,
                                      const std::string& default_namespace);

}  // namespace sp::api
