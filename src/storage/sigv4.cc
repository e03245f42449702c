#include "storage/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

#include "common/error.h"
#include "common/http_client.h"

namespace sp::storage {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string hex(const unsigned char* data, std::size_t n) {
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0xf]);
  }
  return out;
}

using Digest = std::array<unsigned char, 32>;

Digest hmac(std::string_view key, std::string_view data) {
  Digest out{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
           &len) == nullptr ||
      len != out.size()) {
    throw Error("SigV4: HMAC-SHA256 from libcrypto failed");
  }
  return out;
}

std::string_view as_view(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trims and collapses runs of spaces, as the canonical headers want.
std::string canonical_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// "20130524T000000Z"
std::string amz_date_of(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 32> buf{};
  const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y%m%dT%H%M%SZ", &tm);
  return {buf.data(), n};
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  Digest d{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), d.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != d.size()) {
    throw Error("SigV4: SHA-256 from libcrypto failed");
  }
  return hex(d.data(), d.size());
}

std::string uri_encode(std::string_view s, bool encode_slash) {
  if (encode_slash) return url_encode(std::string(s));
  std::string out;
  for (std::size_t at = 0;;) {  // each "/"-separated segment, the slashes kept
    const auto slash = s.find('/', at);
    out +=
        url_encode(std::string(s.substr(at, slash == std::string_view::npos ? slash : slash - at)));
    if (slash == std::string_view::npos) return out;
    out += '/';
    at = slash + 1;
  }
}

std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [k, v] : query) encoded.emplace_back(uri_encode(k, true), uri_encode(v, true));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [k, v] : encoded) {
    if (!out.empty()) out.push_back('&');
    out.append(k).append("=").append(v);
  }
  return out;
}

Headers sign_v4(const SignedRequest& request, const AwsKeys& keys, std::string_view region,
                std::string_view service, std::chrono::system_clock::time_point now) {
  const std::string amz_date = amz_date_of(now);
  const std::string day = amz_date.substr(0, 8);

  Headers added;
  added.emplace_back("x-amz-date", amz_date);
  if (service == "s3") added.emplace_back("x-amz-content-sha256", request.payload_sha256);
  if (!keys.session_token.empty()) added.emplace_back("x-amz-security-token", keys.session_token);

  std::vector<std::pair<std::string, std::string>> headers;
  for (const Headers* list : {&request.headers, static_cast<const Headers*>(&added)}) {
    for (const auto& [name, value] : *list)
      headers.emplace_back(lower(name), canonical_value(value));
  }
  std::sort(headers.begin(), headers.end());
  std::string canonical_headers, signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers.append(name).append(":").append(value).append("\n");
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers.append(name);
  }

  const std::string canonical_request =
      request.method + "\n" + (request.encoded_path.empty() ? "/" : request.encoded_path) + "\n" +
      canonical_query(request.query) + "\n" + canonical_headers + "\n" + signed_headers + "\n" +
      request.payload_sha256;
  const std::string scope =
      day + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + sha256_hex(canonical_request);

  const Digest k_date = hmac("AWS4" + keys.secret_access_key, day);
  const Digest k_region = hmac(as_view(k_date), region);
  const Digest k_service = hmac(as_view(k_region), service);
  const Digest k_signing = hmac(as_view(k_service), "aws4_request");
  const Digest signature = hmac(as_view(k_signing), string_to_sign);

  added.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + keys.access_key_id + "/" +
                                          scope + ",SignedHeaders=" + signed_headers +
                                          ",Signature=" + hex(signature.data(), signature.size()));
  return added;
}

}  // namespace sp::storage
