#include "runtime/local/api_server.h"

#include <sys/socket.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include "api/types.h"
#include "common/error.h"
#include "common/http_server.h"
#include "common/log.h"
#include "runtime/local/api_server_impl.h"

#ifndef SPARKPLANE_VERSION
#define SPARKPLANE_VERSION "0.0.0"
#endif

namespace sp::local {

// ---- small shared helpers ------------------------------------------------------------------

Reply Reply::json(int code, const Json& body) {
  Reply r;
  r.code = code;
  r.body = body.dump();
  return r;
}

Reply Reply::text(int code, std::string body, std::string content_type) {
  Reply r;
  r.code = code;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Json status_failure(int code, const std::string& reason, const std::string& message,
                    const Json& details) {
  Json s = {{"kind", "Status"},          {"apiVersion", "v1"}, {"metadata", Json::object()},
            {"status", "Failure"},       {"message", message}, {"reason", reason},
            {"details", Json::object()}, {"code", code}};
  if (details.is_object()) {
    s["details"] = details;
  } else {
    s.erase("details");
  }
  return s;
}

void bad_request(const std::string& message) { throw HttpError(400, "BadRequest", message); }

bool is_dns_label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  for (char c : s) {
    if (!alnum(c) && c != '-') return false;
  }
  return alnum(s.front()) && alnum(s.back());
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string ResourceKind::qualified() const { return plural + "." + api::kGroup; }

const ResourceKind* find_resource(std::string_view plural) {
  static const ResourceKind kKinds[] = {
      {controller::kSparkApplications, api::kSparkApplicationKind, "SparkApplicationList"},
      {controller::kScheduledSparkApplications, api::kScheduledSparkApplicationKind,
       "ScheduledSparkApplicationList"},
  };
  for (const auto& k : kKinds) {
    if (k.plural == plural) return &k;
  }
  return nullptr;
}

std::string LogSource::read(const LogAttempt& attempt, LogStream stream, uint64_t offset,
                            size_t max_bytes) {
  const std::string& path =
      stream == LogStream::kStdout ? attempt.stdout_path : attempt.stderr_path;
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  auto size = static_cast<uint64_t>(in.tellg());
  if (offset >= size) return "";
  in.seekg(static_cast<std::streamoff>(offset));
  std::string out(static_cast<size_t>(std::min<uint64_t>(size - offset, max_bytes)), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

// ---- routing ---------------------------------------------------------------------------------

void ApiServer::Impl::serve(const httplib::Request& req, httplib::Response& res,
                            Reply (Impl::*handler)(const httplib::Request&)) {
  Reply reply;
  try {
    reply = (this->*handler)(req);
  } catch (const HttpError& e) {
    reply = Reply::json(e.code(), status_failure(e.code(), e.reason(), e.what(), e.details()));
  } catch (const NotFound& e) {
    reply = Reply::json(404, status_failure(404, "NotFound", e.what()));
  } catch (const Conflict& e) {
    reply = Reply::json(409, status_failure(409, "Conflict", e.what()));
  } catch (const Invalid& e) {
    reply = Reply::json(400, status_failure(400, "BadRequest", e.what()));
  } catch (const Unavailable& e) {
    reply = Reply::json(503, status_failure(503, "ServiceUnavailable", e.what()));
  } catch (const std::exception& e) {
    spdlog::error("api: {} {}: {}", req.method, req.path, e.what());
    reply = Reply::json(
        500, status_failure(500, "InternalError", std::string("internal error: ") + e.what()));
  }
  res.status = reply.code;
  for (const auto& [k, v] : reply.headers) res.set_header(k, v);
  res.set_content(reply.body, reply.content_type.c_str());
}

void ApiServer::Impl::install_routes() {
  using httplib::Request;
  using httplib::Response;
  server.set_payload_max_length(options.max_body_bytes);

  auto route = [this](Reply (Impl::*handler)(const Request&)) {
    return [this, handler](const Request& req, Response& res) { serve(req, res, handler); };
  };
  std::vector<std::string> bases = {""};
  if (!options.base_path.empty()) bases.push_back(regex_literal(options.base_path));
  for (const std::string& base : bases) {
    const std::string resources_re = base + R"(/apis/sparkoperator\.k8s\.io/.*)";
    server.Get(resources_re, route(&Impl::resources));
    if (options.read_only) {
      auto refuse = [this](const Request& req, Response& res) {
        serve(req, res, &Impl::read_only_refusal);
      };
      server.Post(resources_re, refuse);
      server.Put(resources_re, refuse);
      server.Patch(resources_re, refuse);
      server.Delete(resources_re, refuse);
    } else {
      server.Post(resources_re, route(&Impl::resources));
      server.Put(resources_re, route(&Impl::resources));
      server.Patch(resources_re, route(&Impl::resources));
      server.Delete(resources_re, route(&Impl::resources));
    }
    server.Get(base + R"(/apis/sparkplane\.io/v1/namespaces/[^/]+/sparkapplications/[^/]+/log)",
               route(&Impl::driver_log));
    server.Get(base + R"(/api/v1/namespaces/[^/]+/events)", route(&Impl::event_list));
    server.Get(base + R"(/api/v1/events)", route(&Impl::event_list));
    server.Get(base + "/version", route(&Impl::version));
    server.Get(base + "/metrics", route(&Impl::metrics_text));
    auto ok = [](const Request&, Response& res) { res.set_content("ok", "text/plain"); };
    server.Get(base + "/healthz", ok);
    server.Get(base + "/readyz", ok);
    server.Get(base + "/livez", ok);
  }

  // Answers httplib gives by itself (413, 404 of unknown /apis paths) get a Status body too.
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const Request& req, Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string reason = "BadRequest";
        std::string message = "request failed with HTTP status " + std::to_string(res.status);
        if (res.status == 404) {
          reason = "NotFound";
          message = "the server could not find the requested resource (" + req.path + ")";
        } else if (res.status == 413) {
          reason = "RequestEntityTooLarge";
          message = "the request body is too large (the limit is 4 MiB)";
        } else if (res.status == 405) {
          reason = "MethodNotAllowed";
        }
        res.set_content(status_failure(res.status, reason, message).dump(), "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
}

std::vector<std::string> ApiServer::Impl::segments(const httplib::Request& req) const {
  std::string_view path = req.path;
  const std::string& base = options.base_path;
  if (!base.empty() && path.starts_with(base) &&
      (path.size() == base.size() || path[base.size()] == '/'))
    path.remove_prefix(base.size());
  return split_path(path);
}

Reply ApiServer::Impl::read_only_refusal(const httplib::Request& req) {
  throw HttpError(405, "MethodNotAllowed",
                  "this server is read-only (" + req.method + " " + req.path +
                      "): change SparkApplications through the Kubernetes API, e.g. kubectl "
                      "apply -f app.yaml");
}

Reply ApiServer::Impl::version(const httplib::Request&) {
  std::string v = SPARKPLANE_VERSION;
  auto dot = v.find('.');
  auto dot2 = v.find('.', dot == std::string::npos ? v.size() : dot + 1);
  Json body = {
      {"major", v.substr(0, dot)},
      {"minor", dot == std::string::npos ? "" : v.substr(dot + 1, dot2 - dot - 1)},
      {"gitVersion", "v" + v},
      {"platform", "linux"},
      {"sparkplaneVersion", v},
      {"apiVersion", api::kApiVersion},
  };
  return Reply::json(200, body);
}

Reply ApiServer::Impl::metrics_text(const httplib::Request&) {
  return Reply::text(200, metrics ? metrics() : std::string(),
                     "text/plain; version=0.0.4; charset=utf-8");
}

// ---- lifecycle --------------------------------------------------------------------------------

ApiServer::ApiServer(controller::Store& store, EventLister events, LogSource& logs,
                     MetricsText metrics)
    : ApiServer(store, std::move(events), logs, std::move(metrics), Options{}) {}

ApiServer::ApiServer(controller::Store& store, EventLister events, LogSource& logs,
                     MetricsText metrics, Options options)
    : impl_(std::make_unique<Impl>(store, std::move(events), logs, std::move(metrics), options)) {
  configure_http_server(impl_->server, options.threads);
  impl_->install_routes();
}

ApiServer::~ApiServer() { stop(); }

httplib::Server& ApiServer::http() { return impl_->server; }

int ApiServer::bind(const std::string& host, int port) {
  const int bound = bind_http_server(impl_->server, host, port);
  host_ = host;
  port_ = bound;
  return bound;
}

void ApiServer::start() {
  thread_ = std::thread([this] { impl_->server.listen_after_bind(); });
  // stop() is a no-op until the server runs: wait for it so stop() always ends the thread.
  for (int i = 0; i < 500 && !impl_->server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void ApiServer::run() { impl_->server.listen_after_bind(); }

void ApiServer::stop() {
  if (impl_) impl_->server.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sp::local
