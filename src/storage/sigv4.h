// AWS Signature Version 4 for requests in headers (S3 and STS), on OpenSSL's SHA-256 and HMAC.
// Written here rather than through libcurl's CURLOPT_AWS_SIGV4 so that the canonical request is
// ours to test against AWS's published examples (tests/unit/storage/sigv4_test.cc), to sign
// the payload hash S3 expects (or UNSIGNED-PAYLOAD), and to add the session token of
// temporary credentials.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sp::storage {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Keys never appear in logs or messages: see describe() of the callers.
struct AwsKeys {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials only
};

struct SignedRequest {
  std::string method;  // "GET"
  // The path as sent: each segment already encoded with uri_encode(segment, false).
  std::string encoded_path;
  // Query parameters, not encoded ("prefix" -> "logs/"); "" values for flags ("uploads").
  std::vector<std::pair<std::string, std::string>> query;
  // Every header to sign, "host" included; names in any case.
  Headers headers;
  // Hex SHA-256 of the body, or "UNSIGNED-PAYLOAD".
  std::string payload_sha256;
};

// Headers to add to the request: x-amz-date, x-amz-content-sha256 (service "s3"),
// x-amz-security-token (with a session token) and Authorization.
Headers sign_v4(const SignedRequest& request, const AwsKeys& keys, std::string_view region,
                std::string_view service, std::chrono::system_clock::time_point now);

// RFC 3986 percent-encoding as SigV4 wants it (sp::url_encode: everything but A-Z a-z 0-9
// - _ . ~, upper-case hex), keeping "/" unless encode_slash.
std::string uri_encode(std::string_view s, bool encode_slash);

// The query string as signed and sent: encoded names and values, sorted, joined with '&'.
std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query);

std::string sha256_hex(std::string_view data);

// Hex SHA-256 of nothing: the payload hash of bodiless requests.
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace sp::storage
