// Internals of the embedded API server shared by its handler files (api_server.cc,
// api_resources.cc, api_logs.cc, api_admission.cc). Not for use outside runtime/local.
#pragma once

#include <httplib.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "runtime/local/api_server.h"

namespace sp::local {

// An answer to send: a Kubernetes object, a Status, or text.
struct Reply {
  int code = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;

  static Reply json(int code, const Json& body);
  static Reply text(int code, std::string body,
                    std::string content_type = "text/plain; charset=utf-8");
};

// A failure with a Kubernetes Status reason ("NotFound", "Invalid", ...), thrown by handlers.
class HttpError : public std::runtime_error {
 public:
  HttpError(int code, std::string reason, const std::string& message, Json details = nullptr)
      : std::runtime_error(message),
        code_(code),
        reason_(std::move(reason)),
        details_(std::move(details)) {}
  int code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const Json& details() const { return details_; }

 private:
  int code_;
  std::string reason_;
  Json details_;
};

// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",...}
Json status_failure(int code, const std::string& reason, const std::string& message,
                    const Json& details = nullptr);
[[noreturn]] void bad_request(const std::string& message);

// An RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters.
bool is_dns_label(std::string_view s);
// "/a/b/c" -> {"a","b","c"}; empty segments dropped.
std::vector<std::string> split_path(std::string_view path);

// The two resources of the group, with their names.
struct ResourceKind {
  std::string plural;     // "sparkapplications"
  std::string kind;       // "SparkApplication"
  std::string list_kind;  // "SparkApplicationList"
  // "sparkapplications.sparkoperator.k8s.io": how Kubernetes names it in messages.
  std::string qualified() const;
};
const ResourceKind* find_resource(std::string_view plural);

// Validates a defaulted copy of `obj` (the object as it will be stored). Throws HttpError 422
// "Invalid" with one cause per field error. Returns the Warning header values for unknown
// fields (`299 - "unknown field \"spec.x\""`).
std::vector<std::string> admit(const ResourceKind& kind, const Json& obj);

struct ApiServer::Impl {
  Impl(controller::Store& s, EventLister e, LogSource& l, MetricsText m, Options o)
      : store(s), events(std::move(e)), logs(l), metrics(std::move(m)), options(o) {}

  controller::Store& store;
  EventLister events;
  LogSource& logs;
  MetricsText metrics;
  Options options;
  httplib::Server server;

  void install_routes();
  // Runs a handler, turning exceptions into Status answers.
  void serve(const httplib::Request& req, httplib::Response& res,
             Reply (Impl::*handler)(const httplib::Request&));

  // The request's path segments, without Options::base_path.
  std::vector<std::string> segments(const httplib::Request& req) const;

  Reply resources(const httplib::Request& req);   // /apis/sparkoperator.k8s.io/...
  Reply driver_log(const httplib::Request& req);  // /apis/sparkplane.io/...
  Reply event_list(const httplib::Request& req);  // /api/v1/.../events
  Reply version(const httplib::Request& req);
  Reply read_only_refusal(const httplib::Request& req);
  Reply metrics_text(const httplib::Request& req);

  // Resource handlers (api_resources.cc).
  Reply list(const ResourceKind& kind, const std::string& ns, const httplib::Request& req);
  Reply create(const ResourceKind& kind, const std::string& ns, const httplib::Request& req);
  Reply get(const ResourceKind& kind, const std::string& ns, const std::string& name);
  Reply replace(const ResourceKind& kind, const std::string& ns, const std::string& name,
                const httplib::Request& req, bool status);
  Reply patch(const ResourceKind& kind, const std::string& ns, const std::string& name,
              const httplib::Request& req, bool status);
  Reply remove(const ResourceKind& kind, const std::string& ns, const std::string& name);

  Json must_get(const ResourceKind& kind, const std::string& ns, const std::string& name);
};

}  // namespace sp::local
