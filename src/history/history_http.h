// Mounts the history REST API (/api/v1/...) of a HistoryService on an HTTP server: the JSON
// answers, the logs zip download, the version; the viewer from trusted proxy headers.
#pragma once

#include <string>

#include "history/history_service.h"

namespace httplib {
class Server;
}
namespace sp {
class MetricsRegistry;
}

namespace sp::history {

struct HttpOptions {
  // Take the user (and groups) from these headers: only behind a proxy that sets them
  // (oauth2-proxy does) and strips them from clients. Empty: no user, which ACLs refuse.
  std::string user_header;    // e.g. "X-Forwarded-User"
  std::string groups_header;  // e.g. "X-Forwarded-Groups", comma-separated
  // Also serve the API under this prefix ("/spark-history"; "" for none), for a proxy that
  // passes its path prefix on rather than stripping it.
  std::string base_path;
  // Counts API requests here (sparkplane_history_requests_total, ..._request_errors_total for
  // 5xx, ..._request_duration_seconds); null: not counted. Must outlive the server.
  MetricsRegistry* metrics = nullptr;
};

void mount_history(httplib::Server& server, HistoryService& service, HttpOptions options);

}  // namespace sp::history
