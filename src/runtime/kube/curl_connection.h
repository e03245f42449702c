// One libcurl handle talking to the API server: TLS from the kubeconfig (CA, client
// certificate and key as in-memory blobs, never written to disk), the bearer token, keep-alive
// (the connection stays open between requests), and requests that another thread can cancel
// through a std::stop_token (curl_multi_poll woken by curl_multi_wakeup). One request at a time;
// KubeClient keeps a pool of them.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "runtime/kube/credentials.h"
#include "runtime/kube/kubeconfig.h"

namespace sp::kube {

struct HttpCall {
  std::string_view method = "GET";
  std::string path;  // "/api/v1/...?..." appended to the server URL
  std::string_view body;
  std::string_view content_type = "application/json";
  std::string_view accept = "application/json";
  std::chrono::milliseconds timeout{30000};  // whole request; 0: none (watches rely on the server)
  // When set, a 2xx body is handed over as it arrives instead of being kept; returning false
  // ends the transfer. An exception thrown by it ends the transfer and is rethrown by perform().
  const std::function<bool(std::string_view)>* on_data = nullptr;
};

struct HttpResult {
  long status = 0;
  std::string body;          // error answers always land here
  std::string retry_after;   // the Retry-After header
  bool cancelled = false;    // the stop token fired (status may be 0)
  bool stopped = false;      // on_data returned false
  long new_connections = 0;  // connections opened for this request (0: a kept-alive one)
};

class CurlConnection {
 public:
  // `config` must outlive the connection.
  CurlConnection(const KubeConfig& config, std::string user_agent);
  ~CurlConnection();
  CurlConnection(const CurlConnection&) = delete;
  CurlConnection& operator=(const CurlConnection&) = delete;

  // Throws sp::Unreachable when the server cannot be reached or the connection is lost before an
  // answer, sp::Error on a timeout or a TLS failure (naming the server and the kubeconfig).
  HttpResult perform(const HttpCall& call, const Credentials& credentials,
                     std::stop_token stop = {});

 private:
  const KubeConfig& config_;
  std::string user_agent_;
  void* easy_;   // CURL*
  void* multi_;  // CURLM*: holds the kept-alive connection
};

}  // namespace sp::kube
