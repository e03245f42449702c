#include "storage/s3_client.h"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <random>
#include <thread>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/http_client.h"
#include "common/time_format.h"
#include "storage/xml_tree.h"

namespace sp::storage {
namespace {

constexpr auto kMaxBackoff = std::chrono::milliseconds(5000);

std::string strip_quotes(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

// "Sat, 05 Dec 2026 10:00:00 GMT" (HTTP dates) -> Unix milliseconds; 0 if malformed.
std::int64_t http_date_ms(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr) return 0;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

std::int64_t rfc3339_ms(const std::string& s) {
  auto t = parse_rfc3339(s);
  if (!t) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
}

// scheme://host[:port] of an endpoint URL, without a trailing path.
std::string trim_endpoint(std::string e) {
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

std::string host_of(const std::string& base) {
  const auto at = base.find("://");
  return at == std::string::npos ? base : base.substr(at + 3);
}

bool retryable_status(long status, const std::string& code) {
  return status >= 500 || status == 429 || code == "SlowDown" || code == "RequestTimeout" ||
         code == "Throttling" || code == "RequestTimeTooSkewed";
}

struct ErrorInfo {
  std::string code;
  std::string message;
};

ErrorInfo error_of(const S3Client::Response& r) {
  ErrorInfo e;
  try {
    const XmlNode root = parse_xml(r.body);
    e.code = root.child_text("Code");
    e.message = root.child_text("Message");
  } catch (const Invalid&) {
  }
  return e;
}

}  // namespace

std::string s3_url(std::string_view bucket, std::string_view key) {
  return "s3://" + std::string(bucket) + "/" + std::string(key);
}

S3Client::S3Client(S3Options options, std::shared_ptr<AwsCredentials> credentials)
    : options_(std::move(options)), credentials_(std::move(credentials)) {
  options_.endpoint = trim_endpoint(options_.endpoint);
  path_style_ = options_.path_style.value_or(!options_.endpoint.empty());
  if (options_.endpoint.empty()) {
    options_.endpoint = "https://s3." + options_.region + ".amazonaws.com";
  }
  if (options_.endpoint.rfind("http://", 0) != 0 && options_.endpoint.rfind("https://", 0) != 0) {
    throw Invalid("S3 endpoint \"" + options_.endpoint +
                  "\" is not an http:// or https:// URL (e.g. http://127.0.0.1:9000)");
  }
  options_.part_size = std::max<std::size_t>(options_.part_size, 5u << 20);  // S3's minimum
}

S3Client::~S3Client() = default;

std::string S3Client::base_url(const std::string& bucket) const {
  if (path_style_ || bucket.empty()) return options_.endpoint;
  const auto at = options_.endpoint.find("://") + 3;
  return options_.endpoint.substr(0, at) + bucket + "." + options_.endpoint.substr(at);
}

std::string S3Client::path_of(const std::string& bucket, const std::string& key) const {
  std::string path;
  if (path_style_ && !bucket.empty()) path = "/" + uri_encode(bucket, true);
  path += "/" + uri_encode(key, false);
  return path;
}

std::unique_ptr<HttpClient> S3Client::take_client(const std::string& base) const {
  {
    std::lock_guard lock(pool_mu_);
    auto& idle = pool_[base];
    if (!idle.empty()) {
      auto c = std::move(idle.back());
      idle.pop_back();
      return c;
    }
  }
  HttpClientOptions o;
  o.ca_file = options_.ca_file;
  o.server_name = "the S3 endpoint";
  o.unreachable_hint = "check the endpoint (--s3-endpoint, AWS_ENDPOINT_URL_S3) and that it is up";
  return std::make_unique<HttpClient>(base, o);
}

void S3Client::give_back(const std::string& base, std::unique_ptr<HttpClient> client) const {
  std::lock_guard lock(pool_mu_);
  auto& idle = pool_[base];
  if (idle.size() < 16) idle.push_back(std::move(client));
}

S3Client::Response S3Client::send_once(const Request& request) const {
  const std::string base = base_url(request.bucket);
  SignedRequest s;
  s.method = request.method;
  s.encoded_path = path_of(request.bucket, request.key);
  s.query = request.query;
  s.headers.emplace_back("host", host_of(base));
  for (const auto& [k, v] : request.headers) s.headers.emplace_back(k, v);
  if (!request.content_type.empty()) s.headers.emplace_back("content-type", request.content_type);
  s.payload_sha256 = request.body.empty() ? std::string(kEmptySha256) : sha256_hex(request.body);
  const Headers auth =
      sign_v4(s, credentials_->get(), options_.region, "s3", std::chrono::system_clock::now());

  HttpRequest h;
  h.method = request.method;
  h.path = s.encoded_path;
  const std::string query = canonical_query(request.query);
  if (!query.empty()) h.path += "?" + query;
  h.body = std::string(request.body);
  h.content_type = request.content_type.empty() ? "application/octet-stream" : request.content_type;
  h.timeout = std::chrono::minutes(5);
  for (const auto& [k, v] : request.headers) h.headers[k] = v;
  for (const auto& [k, v] : auth) h.headers[k] = v;

  auto client = take_client(base);
  Response r;
  HttpResponse hr;
  if (request.body_into.empty()) {
    hr = client->send(h);
  } else {
    std::span<char> into = request.body_into;
    std::size_t filled = 0;
    std::string rest;  // what did not fit
    hr = client->send(h, [&](const char* data, std::size_t n) {
      const std::size_t fit = std::min(n, into.size() - filled);
      std::memcpy(into.data() + filled, data, fit);
      filled += fit;
      rest.append(data + fit, n - fit);
      return true;
    });
    if (hr.status == 206) {
      r.body_into_bytes = filled;
    } else {  // an error, or the whole object: the body as received
      hr.body = std::string(into.data(), filled) + rest;
    }
  }
  give_back(base, std::move(client));
  r.status = hr.status;
  r.body = std::move(hr.body);
  for (const auto& [k, v] : hr.headers) r.headers.emplace(k, v);
  return r;
}

S3Client::Response S3Client::send(const Request& request) const {
  static thread_local std::mt19937 rng{std::random_device{}()};
  auto backoff = options_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    std::string why;
    try {
      Response r = send_once(request);
      if (r.status < 300) return r;
      const ErrorInfo e = error_of(r);
      if (!retryable_status(r.status, e.code) || attempt >= options_.max_attempts) return r;
      why = "HTTP " + std::to_string(r.status) + (e.code.empty() ? "" : " " + e.code);
    } catch (const Error& e) {  // unreachable, reset, timed out: the server may be restarting
      if (attempt >= options_.max_attempts) {
        throw Error(std::string(e.what()) + " (" + std::to_string(attempt) + " attempts)");
      }
      why = e.what();
    }
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    const auto wait = std::chrono::milliseconds(
        static_cast<std::int64_t>(static_cast<double>(backoff.count()) * jitter(rng)));
    spdlog::debug("S3 {} {}: {}; attempt {} of {} in {} ms", request.method,
                  s3_url(request.bucket, request.key), why, attempt + 1, options_.max_attempts,
                  wait.count());
    std::this_thread::sleep_for(wait);
    backoff =
        std::min(backoff * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kMaxBackoff));
  }
}

void S3Client::fail(const Request& request, const Response& r) const {
  const ErrorInfo e = error_of(r);
  const std::string where =
      request.key.empty() ? "s3://" + request.bucket : s3_url(request.bucket, request.key);
  const std::string detail = e.code.empty() ? "HTTP " + std::to_string(r.status)
                                            : e.code + (e.message.empty() ? "" : ": " + e.message);
  if (e.code == "NoSuchKey" || (r.status == 404 && e.code.empty() && !request.key.empty())) {
    throw NotFound(where + " does not exist");
  }
  if (e.code == "NoSuchBucket") {
    throw Error("bucket " + request.bucket + " does not exist at " + options_.endpoint +
                ": create it, or check the location (" + detail + ")");
  }
  auto region = r.headers.find("x-amz-bucket-region");
  if (region != r.headers.end() && region->second != options_.region &&
      (r.status == 301 || r.status == 400 || e.code == "AuthorizationHeaderMalformed" ||
       e.code == "PermanentRedirect")) {
    throw Error("bucket " + request.bucket + " is in region " + region->second + ", not " +
                options_.region + ": set AWS_REGION=" + region->second + " (or --s3-region)");
  }
  if (r.status == 403 || e.code == "InvalidAccessKeyId" || e.code == "SignatureDoesNotMatch") {
    throw Error("S3 refused " + request.method + " " + where + " with the credentials from " +
                credentials_->source() + ": " + detail +
                " (check the access key and secret, and the policy of the bucket)");
  }
  throw Error("S3 " + request.method + " " + where + " failed: " + detail);
}

S3Listing S3Client::list(const std::string& bucket, const std::string& prefix,
                         const std::string& delimiter) const {
  S3Listing out;
  std::string token;
  for (;;) {
    Request q;
    q.bucket = bucket;
    q.query = {{"list-type", "2"}, {"prefix", prefix}, {"max-keys", "1000"}};
    if (!delimiter.empty()) q.query.emplace_back("delimiter", delimiter);
    if (!token.empty()) q.query.emplace_back("continuation-token", token);
    Response r = send(q);
    if (r.status != 200) fail(q, r);
    XmlNode root;
    try {
      root = parse_xml(r.body);
    } catch (const Invalid& e) {
      throw Error("listing s3://" + bucket + "/" + prefix + ": " + e.what());
    }
    for (const XmlNode* c : root.children_named("Contents")) {
      S3Object o;
      o.key = c->child_text("Key");
      o.size = std::strtoull(c->child_text("Size").c_str(), nullptr, 10);
      o.mtime_ms = rfc3339_ms(c->child_text("LastModified"));
      o.etag = strip_quotes(c->child_text("ETag"));
      out.objects.push_back(std::move(o));
    }
    for (const XmlNode* p : root.children_named("CommonPrefixes")) {
      out.prefixes.push_back(p->child_text("Prefix"));
    }
    token = root.child_text("NextContinuationToken");
    if (root.child_text("IsTruncated") != "true" || token.empty()) break;
  }
  auto by_key = [](const S3Object& a, const S3Object& b) { return a.key < b.key; };
  std::sort(out.objects.begin(), out.objects.end(), by_key);
  std::sort(out.prefixes.begin(), out.prefixes.end());
  return out;
}

std::optional<S3Object> S3Client::head(const std::string& bucket, const std::string& key) const {
  Request q;
  q.method = "HEAD";
  q.bucket = bucket;
  q.key = key;
  Response r = send(q);
  if (r.status == 404) {
    // HEAD answers carry no body: tell a missing bucket from a missing key by the bucket's HEAD.
    Request b;
    b.method = "HEAD";
    b.bucket = bucket;
    Response br = send(b);
    if (br.status == 404) br.body = "<Error><Code>NoSuchBucket</Code></Error>";
    if (br.status != 200) fail(b, br);
    return std::nullopt;
  }
  if (r.status != 200) fail(q, r);
  S3Object o;
  o.key = key;
  o.size = std::strtoull(r.headers["content-length"].c_str(), nullptr, 10);
  o.mtime_ms = http_date_ms(r.headers["last-modified"]);
  o.etag = strip_quotes(r.headers["etag"]);
  return o;
}

std::size_t S3Client::read(const std::string& bucket, const std::string& key, std::uint64_t offset,
                           std::span<char> dst) const {
  if (dst.empty()) return 0;
  Request q;
  q.bucket = bucket;
  q.key = key;
  q.headers["Range"] =
      "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + dst.size() - 1);
  q.body_into = dst;
  Response r = send(q);
  if (r.status == 416) return 0;  // at or past the end
  if (r.status == 206) return r.body_into_bytes;
  if (r.status != 200) fail(q, r);
  // The whole object: a server that ignores Range.
  std::string_view body = r.body;
  body = offset < body.size() ? body.substr(offset) : std::string_view();
  const std::size_t n = std::min(body.size(), dst.size());
  std::memcpy(dst.data(), body.data(), n);
  return n;
}

std::string S3Client::put(const std::string& bucket, const std::string& key,
                          std::string_view bytes) const {
  if (bytes.size() > options_.part_size) return multipart_put(bucket, key, bytes);
  Request q;
  q.method = "PUT";
  q.bucket = bucket;
  q.key = key;
  q.body = bytes;
  Response r = send(q);
  if (r.status != 200) fail(q, r);
  return strip_quotes(r.headers["etag"]);
}

std::string S3Client::multipart_put(const std::string& bucket, const std::string& key,
                                    std::string_view bytes) const {
  Request start;
  start.method = "POST";
  start.bucket = bucket;
  start.key = key;
  start.query = {{"uploads", ""}};
  Response r = send(start);
  if (r.status != 200) fail(start, r);
  const std::string upload_id = parse_xml(r.body).child_text("UploadId");
  if (upload_id.empty())
    throw Error("S3 started a multipart upload of " + s3_url(bucket, key) + " without an UploadId");
  try {
    std::string complete = "<CompleteMultipartUpload>";
    int part = 0;
    for (std::size_t at = 0; at < bytes.size(); at += options_.part_size) {
      Request p;
      p.method = "PUT";
      p.bucket = bucket;
      p.key = key;
      p.query = {{"partNumber", std::to_string(++part)}, {"uploadId", upload_id}};
      p.body = bytes.substr(at, options_.part_size);
      Response pr = send(p);
      if (pr.status != 200) fail(p, pr);
      complete += "<Part><PartNumber>" + std::to_string(part) + "</PartNumber><ETag>" +
                  pr.headers["etag"] + "</ETag></Part>";
    }
    complete += "</CompleteMultipartUpload>";
    Request done;
    done.method = "POST";
    done.bucket = bucket;
    done.key = key;
    done.query = {{"uploadId", upload_id}};
    done.body = complete;
    done.content_type = "application/xml";
    Response dr = send(done);
    // CompleteMultipartUpload can fail with 200 and an <Error> body.
    if (dr.status != 200 || error_of(dr).code.size() > 0) fail(done, dr);
    return strip_quotes(parse_xml(dr.body).child_text("ETag"));
  } catch (...) {
    Request abort;
    abort.method = "DELETE";
    abort.bucket = bucket;
    abort.key = key;
    abort.query = {{"uploadId", upload_id}};
    try {
      send(abort);
    } catch (const Error&) {
    }
    throw;
  }
}

void S3Client::remove(const std::string& bucket, const std::string& key) const {
  Request q;
  q.method = "DELETE";
  q.bucket = bucket;
  q.key = key;
  Response r = send(q);
  if (r.status != 204 && r.status != 200 && r.status != 404) fail(q, r);
  if (r.status == 404 && error_of(r).code == "NoSuchBucket") fail(q, r);
}

void S3Client::create_bucket(const std::string& bucket) const {
  Request q;
  q.method = "PUT";
  q.bucket = bucket;
  std::string body;
  if (options_.region != "us-east-1") {
    body = "<CreateBucketConfiguration><LocationConstraint>" + options_.region +
           "</LocationConstraint></CreateBucketConfiguration>";
    q.body = body;
    q.content_type = "application/xml";
  }
  Response r = send(q);
  if (r.status == 200 || error_of(r).code == "BucketAlreadyOwnedByYou") return;
  fail(q, r);
}

}  // namespace sp::storage
