#include "runtime/kube/curl_connection.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "common/error.h"
#include "common/http_client.h"

namespace sp::kube {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  CURL* easy;
  HttpResult* result;
  const std::function<bool(std::string_view)>* on_data;
  std::exception_ptr error;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  if (t->on_data != nullptr && status >= 200 && status < 300) {
    try {
      if (!(*t->on_data)(std::string_view(data, n))) {
        t->result->stopped = true;
        return 0;  // ends the transfer
      }
    } catch (...) {
      t->error = std::current_exception();
      return 0;
    }
    return n;
  }
  t->result->body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    t->result->retry_after.clear();
    return n;
  }
  constexpr std::string_view kRetryAfter = "retry-after:";
  if (line.size() > kRetryAfter.size()) {
    bool match = true;
    for (std::size_t i = 0; i < kRetryAfter.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(line[i])) == kRetryAfter[i];
    }
    if (match) {
      std::string v(line.substr(kRetryAfter.size()));
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.erase(0, 1);
      t->result->retry_after = v;
    }
  }
  return n;
}

void set_blob(CURL* easy, CURLoption option, const std::string& data) {
  curl_blob blob{const_cast<char*>(data.data()), data.size(), CURL_BLOB_COPY};
  curl_easy_setopt(easy, option, &blob);
}

}  // namespace

CurlConnection::CurlConnection(const KubeConfig& config, std::string user_agent)
    : config_(config), user_agent_(std::move(user_agent)) {
  global_init();
  easy_ = curl_easy_init();
  multi_ = curl_multi_init();
  if (easy_ == nullptr || multi_ == nullptr) {
    if (easy_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(easy_));
    if (multi_ != nullptr) curl_multi_cleanup(static_cast<CURLM*>(multi_));
    throw Error("cannot initialize libcurl");
  }
}

CurlConnection::~CurlConnection() {
  curl_easy_cleanup(static_cast<CURL*>(easy_));
  curl_multi_cleanup(static_cast<CURLM*>(multi_));
}

HttpResult CurlConnection::perform(const HttpCall& call, const Credentials& credentials,
                                   std::stop_token stop) {
  CURL* easy = static_cast<CURL*>(easy_);
  CURLM* multi = static_cast<CURLM*>(multi_);
  HttpResult result;
  if (stop.stop_requested()) {
    result.cancelled = true;
    return result;
  }
  curl_easy_reset(easy);
  Transfer transfer{easy, &result, call.on_data, nullptr};
  const std::string url = config_.server + call.path;
  char error_text[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(call.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, 30L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, 15L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  if (!config_.proxy_url.empty()) curl_easy_setopt(easy, CURLOPT_PROXY, config_.proxy_url.c_str());

  if (!config_.ca_pem.empty()) set_blob(easy, CURLOPT_CAINFO_BLOB, config_.ca_pem);
  if (config_.insecure_skip_tls_verify) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!credentials.client_cert_pem.empty()) {
    set_blob(easy, CURLOPT_SSLCERT_BLOB, credentials.client_cert_pem);
    curl_easy_setopt(easy, CURLOPT_SSLCERTTYPE, "PEM");
    set_blob(easy, CURLOPT_SSLKEY_BLOB, credentials.client_key_pem);
    curl_easy_setopt(easy, CURLOPT_SSLKEYTYPE, "PEM");
  }

  curl_slist* headers = nullptr;
  const std::string accept = std::string("Accept: ").append(call.accept);
  headers = curl_slist_append(headers, accept.c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  std::string auth;
  if (!credentials.bearer_token.empty()) {
    auth = "Authorization: Bearer " + credentials.bearer_token;
    headers = curl_slist_append(headers, auth.c_str());
  }
  const bool with_body = call.method != "GET" && call.method != "HEAD" &&
                         (call.method != "DELETE" || !call.body.empty());
  std::string content_type;
  if (with_body) {
    content_type = "Content-Type: " + std::string(call.content_type);
    headers = curl_slist_append(headers, content_type.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, call.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
  }
  if (call.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (call.method != "POST") {
    const std::string method(call.method);
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());  // copied by libcurl
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);

  // Runs the transfer on the multi handle so that a stop request can wake it up at once.
  CURLcode code = CURLE_OK;
  curl_multi_add_handle(multi, easy);
  {
    std::stop_callback wake(stop, [multi] { curl_multi_wakeup(multi); });
    int running = 1;
    while (true) {
      CURLMcode mc = curl_multi_perform(multi, &running);
      if (mc != CURLM_OK) {
        code = CURLE_FAILED_INIT;
        break;
      }
      if (running == 0) {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
          if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy) code = msg->data.result;
        }
        break;
      }
      if (stop.stop_requested()) {
        result.cancelled = true;
        break;
      }
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
  }
  curl_multi_remove_handle(multi, easy);
  // The handle must not keep pointers into this frame.
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  // The token and keys were copied into libcurl's handle; wipe our copy of the header.
  std::fill(auth.begin(), auth.end(), '\0');

  if (result.cancelled) return result;
  if (transfer.error) std::rethrow_exception(transfer.error);
  if (code == CURLE_WRITE_ERROR && result.stopped) code = CURLE_OK;
  const std::string where = "the Kubernetes API server at " + config_.server;
  const std::string detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OK:
      break;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      throw Unreachable("cannot reach " + where + " (" + config_.source + "): " + detail);
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
      throw Unreachable("connection to " + where + " lost: " + detail);
    case CURLE_OPERATION_TIMEDOUT:
      throw Error(std::string(call.method) + " " + call.path + ": no answer from " + where +
                  " in time: " + detail);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
      throw Error("TLS with " + where + " failed (" + config_.source + "): " + detail);
    default:
      throw Error(std::string(call.method) + " " + call.path + " to " + where + ": " + detail);
  }
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &result.status);
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &result.new_connections);
  return result;
}

}  // namespace sp::kube
