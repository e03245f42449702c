#include "common/http_client.h"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

#include "common/error.h"

namespace sp {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

struct Transfer {
  HttpResponse* response;
  const std::function<bool(const char*, size_t)>* on_data;
  bool stopped = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->on_data != nullptr) {
    if (!(*t->on_data)(data, n)) {
      t->stopped = true;
      return 0;  // aborts the transfer
    }
    return n;
  }
  t->response->body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response->headers.clear();  // a new response (after 100 Continue or a redirect)
    return n;
  }
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    t->response->headers.emplace(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return n;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> HttpResponse::headers_named(const std::string& name) const {
  std::vector<std::string> out;
  auto range = headers.equal_range(lower(name));
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

HttpClient::HttpClient(std::string base_url, HttpClientOptions options)
    : base_url_(std::move(base_url)), options_(std::move(options)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  global_init();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw Error("cannot initialize libcurl");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::send(const HttpRequest& request) { return perform(request, nullptr); }

HttpResponse HttpClient::send(const HttpRequest& request,
                              const std::function<bool(const char*, size_t)>& on_data) {
  return perform(request, &on_data);
}

HttpResponse HttpClient::get(const std::string& path) {
  HttpRequest r;
  r.path = path;
  return send(r);
}

HttpResponse HttpClient::post(const std::string& path, const std::string& json_body) {
  HttpRequest r;
  r.method = "POST";
  r.path = path;
  r.body = json_body;
  return send(r);
}

HttpResponse HttpClient::put(const std::string& path, const std::string& json_body) {
  HttpRequest r;
  r.method = "PUT";
  r.path = path;
  r.body = json_body;
  return send(r);
}

HttpResponse HttpClient::patch(const std::string& path, const std::string& body,
                               const std::string& content_type) {
  HttpRequest r;
  r.method = "PATCH";
  r.path = path;
  r.body = body;
  r.content_type = content_type;
  return send(r);
}

HttpResponse HttpClient::del(const std::string& path) {
  HttpRequest r;
  r.method = "DELETE";
  r.path = path;
  return send(r);
}

HttpResponse HttpClient::get_stream(const std::string& path,
                                    const std::function<bool(const char*, size_t)>& on_data,
                                    std::chrono::milliseconds timeout) {
  HttpRequest r;
  r.path = path;
  r.timeout = timeout;
  return perform(r, &on_data);
}

HttpResponse HttpClient::perform(const HttpRequest& request,
                                 const std::function<bool(const char*, size_t)>* on_data) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  HttpResponse response;
  Transfer transfer{&response, on_data};
  std::string url = base_url_ + request.path;

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);

  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json, */*");
  // libcurl would otherwise send "Expect: 100-continue" for large bodies.
  headers = curl_slist_append(headers, "Expect:");
  bool has_body = request.method == "POST" || request.method == "PUT" ||
                  request.method == "PATCH" || !request.body.empty();
  if (has_body) {
    std::string ct = "Content-Type: " + request.content_type;
    headers = curl_slist_append(headers, ct.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  for (const auto& [k, v] : request.headers) {
    std::string h = k + ": " + v;
    headers = curl_slist_append(headers, h.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);

  if (rc == CURLE_WRITE_ERROR && transfer.stopped) rc = CURLE_OK;
  if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST) {
    throw Unreachable("cannot reach " + options_.server_name + " at " + base_url_ + " (" +
                      curl_easy_strerror(rc) + "): " + options_.unreachable_hint);
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    throw Error("request to " + base_url_ + " timed out after " +
                std::to_string(request.timeout.count()) + "ms: " + request.method + " " +
                request.path);
  }
  if (rc != CURLE_OK) {
    throw Error("request to " + base_url_ + " failed: " + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string url_encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace sp
