// S3 requests: SigV4-signed (sigv4.h) over libcurl, path-style (MinIO, any custom endpoint) or
// virtual-hosted (AWS), retried with exponential backoff and jitter on 5xx, throttling and
// dropped connections, and turned into one-line errors that say what to check: refused
// credentials, a missing bucket, a wrong region, an unreachable endpoint. Thread-safe: each
// request takes a kept-alive connection from a small pool.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/aws_credentials.h"

namespace sp {
class HttpClient;
}  // namespace sp

namespace sp::storage {

struct S3Options {
  // "http://127.0.0.1:9000" (MinIO), "https://s3.eu-west-1.amazonaws.com"; "" means AWS's
  // regional endpoint.
  std::string endpoint;
  std::string region = "us-east-1";
  // Bucket in the path (http://host/bucket/key) rather than in the host name
  // (https://bucket.host/key); nullopt: path-style for a custom endpoint, virtual-hosted on AWS.
  std::optional<bool> path_style;
  std::string ca_file;   // PEM bundle for TLS, instead of the system's
  int max_attempts = 8;  // per request; backoff 100 ms doubling, at most 5 s, with jitter
  std::chrono::milliseconds first_backoff{100};
  std::size_t part_size = 16u << 20;  // multipart uploads above this size, in parts of it
};

struct S3Object {
  std::string key;
  std::uint64_t size = 0;
  std::int64_t mtime_ms = 0;
  std::string etag;  // without quotes
};

struct S3Listing {
  std::vector<S3Object> objects;      // sorted by key
  std::vector<std::string> prefixes;  // common prefixes (with the delimiter), sorted
};

class S3Client {
 public:
  S3Client(S3Options options, std::shared_ptr<AwsCredentials> credentials);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  // ListObjectsV2, every page. An empty delimiter lists every key under the prefix.
  S3Listing list(const std::string& bucket, const std::string& prefix,
                 const std::string& delimiter) const;
  // HEAD; nullopt when there is no such key.
  std::optional<S3Object> head(const std::string& bucket, const std::string& key) const;
  // Ranged GET into dst; returns the bytes read (0 at or past the end). sp::NotFound when
  // there is no such key.
  std::size_t read(const std::string& bucket, const std::string& key, std::uint64_t offset,
                   std::span<char> dst) const;
  // PUT, or a multipart upload above part_size (aborted if it fails). Returns the ETag.
  std::string put(const std::string& bucket, const std::string& key, std::string_view bytes) const;
  // DELETE; no error when there is no such key (as S3).
  void remove(const std::string& bucket, const std::string& key) const;
  // PUT bucket; no error when it exists and is ours.
  void create_bucket(const std::string& bucket) const;

  const S3Options& options() const { return options_; }
  const AwsCredentials& credentials() const { return *credentials_; }

  // One request, as sent: for the store and the tests.
  struct Request {
    std::string method = "GET";
    std::string bucket;
    std::string key;  // "" for bucket operations
    std::vector<std::pair<std::string, std::string>> query;
    std::map<std::string, std::string> headers;
    std::string_view body;
    std::string content_type;
    // A ranged GET's body goes straight here (no copy) when the answer is 206; any other
    // answer's body is in Response::body as usual.
    std::span<char> body_into;
  };
  struct Response {
    long status = 0;
    std::string body;
    std::size_t body_into_bytes = 0;             // what a 206 wrote into Request::body_into
    std::map<std::string, std::string> headers;  // lower-case names
  };
  // Signs, sends and retries; any final HTTP status is returned (see fail()).
  Response send(const Request& request) const;
  // Throws the error an unsuccessful answer means (NotFound for NoSuchKey).
  [[noreturn]] void fail(const Request& request, const Response& response) const;

 private:
  std::string base_url(const std::string& bucket) const;  // scheme://host[:port]
  std::string path_of(const std::string& bucket, const std::string& key) const;  // encoded
  Response send_once(const Request& request) const;
  std::unique_ptr<HttpClient> take_client(const std::string& base) const;
  void give_back(const std::string& base, std::unique_ptr<HttpClient> client) const;
  std::string multipart_put(const std::string& bucket, const std::string& key,
                            std::string_view bytes) const;

  S3Options options_;
  std::shared_ptr<AwsCredentials> credentials_;
  bool path_style_;
  mutable std::mutex pool_mu_;
  mutable std::map<std::string, std::vector<std::unique_ptr<HttpClient>>> pool_;
};

// "s3://bucket/key" for messages.
std::string s3_url(std::string_view bucket, std::string_view key);

}  // namespace sp::storage
