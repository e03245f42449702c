// The embedded API server of `sparkplane up`: the sparkoperator.k8s.io/v1beta2 resources with
// Kubernetes semantics (and Kubernetes `Status` bodies for errors), events, driver logs,
// health, metrics and version, over cpp-httplib. The CLI verbs are its clients.
//
// Routes (ns and name must be DNS labels, else 400 BadRequest):
//   /apis/sparkoperator.k8s.io/v1beta2/{sparkapplications|scheduledsparkapplications}   GET (all
//   ns) /apis/sparkoperator.k8s.io/v1beta2/namespaces/{ns}/{resource}          GET ?labelSelector=,
//   POST /apis/sparkoperator.k8s.io/v1beta2/namespaces/{ns}/{resource}/{name}   GET PUT PATCH
//   DELETE /apis/sparkoperator.k8s.io/v1beta2/namespaces/{ns}/{resource}/{name}/status  GET PUT
//   PATCH /api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name=X   GET (EventList)
//   /api/v1/events                                                       GET (every namespace)
//   /apis/sparkplane.io/v1/namespaces/{ns}/sparkapplications/{name}/log  GET (driver logs)
//   /healthz /readyz ("ok"), /metrics (Prometheus text), /version (JSON)
//
// Driver log contract (GET .../log):
//   attempt=N       1-based driver attempt; default the latest.
//   stream=S        stdout | stderr | all (default all: the whole stderr, then the whole stdout;
//                   `offset` is not allowed with all).
//   offset=K        byte offset into the chosen stream (default 0).
//   limitBytes=L    at most L bytes per answer (default and maximum 4 MiB).
//   200 text/plain with the bytes, and headers
//     X-Sparkplane-Attempt: the attempt served
//     X-Sparkplane-Attempts: how many attempts exist
//     X-Sparkplane-Next-Offset: the offset to ask for next (single stream only)
//     X-Sparkplane-Attempt-Finished: "true" once that attempt's driver can write no more
//       (a later attempt exists, or the application is past running)
//   `follow` is done by the client: poll with the next offset until the body is empty and the
//   attempt is finished. 404 NotFound when the application or the attempt does not exist
//   (including "no attempt yet").
//
// Writes: POST/PUT/PATCH validate a defaulted copy of the object (api::with_defaults,
// api::validate) and answer 422 Invalid with one cause per field error; the stored spec stays as
// sent, unknown fields included, each reported in a `Warning: 299 - "unknown field \"...\""`
// response header. PUT needs metadata.resourceVersion (409 Conflict when stale). Bodies over
// 4 MiB get 413. A read-only server (Options::read_only) answers every write with 405. A
// LogSource or event lister that throws sp::Unavailable gets 503 ServiceUnavailable with its
// message. The server listens on 127.0.0.1 unless told otherwise.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/http_server.h"
#include "common/json.h"
#include "controller/store.h"

namespace httplib {
class Server;
}

namespace sp::local {

// One driver attempt of an application and where its output went.
struct LogAttempt {
  int number = 0;           // 1-based
  std::string stdout_path;  // files that may not exist yet
  std::string stderr_path;
};

enum class LogStream { kStdout, kStderr };

// Where the driver logs of the embedded runtime are (the local runtime provides them).
class LogSource {
 public:
  virtual ~LogSource() = default;
  // The application's driver attempts, oldest first. Empty when none has started.
  virtual std::vector<LogAttempt> attempts(const std::string& ns, const std::string& name) = 0;
  // Up to `max_bytes` of one stream from byte `offset`; "" past the end or when the file does
  // not exist yet. The default reads the attempt's file.
  virtual std::string read(const LogAttempt& attempt, LogStream stream, uint64_t offset,
                           size_t max_bytes);
};

class ApiServer {
 public:
  // Kubernetes Event objects about one object (name "" = every object of the namespace;
  // ns "" = every namespace), oldest first.
  using EventLister =
      std::function<std::vector<Json>(const std::string& ns, const std::string& name)>;
  // The Prometheus text exposition for /metrics.
  using MetricsText = std::function<std::string()>;

  struct Options {
    size_t max_body_bytes = 4 * 1024 * 1024;
    int threads = 32;  // httplib holds a thread per keep-alive connection
    // Only GET: every write answers 405 and names kubectl (the operator's UI, whose store is
    // a Kubernetes API server that has its own access control).
    bool read_only = false;
    // Also serve every route under this prefix ("/sparkplane"; "" for none, as
    // ui::normalize_base_path gives), for a proxy that passes its path prefix on.
    std::string base_path;
  };

  // Every argument must outlive the server.
  ApiServer(controller::Store& store, EventLister events, LogSource& logs, MetricsText metrics);
  ApiServer(controller::Store& store, EventLister events, LogSource& logs, MetricsText metrics,
            Options options);
  ~ApiServer();  // stops
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds host:port (port 0 picks a free one) and returns the bound port. Throws sp::Error
  // "cannot listen on 127.0.0.1:18080: address already in use (is another sparkplane running?
  // use --listen)" and the like.
  int bind(const std::string& host, int port);
  // Serves on a background thread (after bind()).
  void start();
  // Serves on the calling thread until stop() (after bind()).
  void run();
  // Stops serving and joins the background thread. Idempotent.
  void stop();

  int port() const { return port_; }
  const std::string& host() const { return host_; }

  // The underlying server, to mount more routes (history server, web UI) on the same port
  // before start(). The resource routes above take precedence.
  httplib::Server& http();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
};

using sp::parse_listen_address;

}  // namespace sp::local
