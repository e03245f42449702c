// A small blocking HTTP client over libcurl, for the CLI talking to the sparkplane API
// (and for tests). One request at a time per HttpClient; create one per thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"

namespace sp {

// The server is not there (connection refused, unknown host): the CLI exits with code 4.
class Unreachable : public Error {
 public:
  using Error::Error;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  // Header names lower-cased; a header sent several times (Warning) keeps every value.
  std::multimap<std::string, std::string> headers;

  // The first value of a header (name in any case), or "" when absent.
  std::string header(const std::string& name) const;
  std::vector<std::string> headers_named(const std::string& name) const;
};

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, PATCH, DELETE
  std::string path;            // "/apis/...?..." appended to the base URL
  std::string body;
  std::string content_type = "application/json";
  std::map<std::string, std::string> headers;
  std::chrono::milliseconds timeout{30000};
};

struct HttpClientOptions {
  std::string ca_file;  // PEM bundle to verify TLS servers with, instead of the system's
  // sp::Unreachable's message: "cannot reach <server_name> at <url>: <unreachable_hint>".
  std::string server_name = "sparkplane";
  std::string unreachable_hint = "is \"sparkplane up\" running? (start it, or pass --server)";
  std::chrono::milliseconds connect_timeout{5000};
};

class HttpClient {
 public:
  // base_url: "http://127.0.0.1:18080" (no trailing slash needed).
  explicit HttpClient(std::string base_url, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Performs the request. Any HTTP status is returned, not thrown. Throws sp::Unreachable when
  // the server cannot be reached (see HttpClientOptions), sp::Error on a
  // timeout / transport failure.
  HttpResponse send(const HttpRequest& request);
  // The same, with the body given to `on_data` as it arrives (whatever the status) instead of
  // kept in the response; return false from it to stop.
  HttpResponse send(const HttpRequest& request,
                    const std::function<bool(const char*, size_t)>& on_data);

  HttpResponse get(const std::string& path);
  HttpResponse post(const std::string& path, const std::string& json_body);
  HttpResponse put(const std::string& path, const std::string& json_body);
  HttpResponse patch(const std::string& path, const std::string& body,
                     const std::string& content_type = "application/merge-patch+json");
  HttpResponse del(const std::string& path);

  // Streaming GET: `on_data` receives the body in chunks as they arrive; return false from it to
  // stop. Returns the status and headers (body left empty).
  HttpResponse get_stream(const std::string& path,
                          const std::function<bool(const char*, size_t)>& on_data,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds{0});

  const std::string& base_url() const { return base_url_; }

 private:
  HttpResponse perform(const HttpRequest& request,
                       const std::function<bool(const char*, size_t)>* on_data);

  std::string base_url_;
  HttpClientOptions options_;
  void* curl_;  // CURL*
};

// "a b/c" -> "a%20b%2Fc": for query values and path segments.
std::string url_encode(const std::string& s);

}  // namespace sp
