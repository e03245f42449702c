// Splitting a history REST path (what follows /api/v1/) into the application, the attempt and
// the resource asked for, the way Spark's JAX-RS routes do: "applications/<app>/jobs" has no
// attempt, "applications/<app>/<attempt>/jobs" has one, since the resource names are literals.
#pragma once

#include <optional>
#include <string>

namespace sp::history {

struct ApiPath {
  enum class Kind { kVersion, kApplicationList, kApplication, kAttempt, kAppResource };
  Kind kind = Kind::kApplicationList;
  std::string app_id;
  std::optional<std::string> attempt_id;
  // For kAppResource: the rest after the app (and attempt), e.g. "jobs", "stages/1/0/taskList".
  std::string resource;
};

// nullopt when the path names nothing the API serves (the caller answers 404). Segments are
// percent-decoded; empty segments (a trailing "/") are ignored.
std::optional<ApiPath> parse_api_path(const std::string& path);

// Decodes %XX escapes; nullopt for a malformed escape or a decoded NUL.
std::optional<std::string> percent_decode(const std::string& s);

}  // namespace sp::history
