// SigV4 against the four worked examples of AWS's S3 documentation ("Examples: Signature
// Calculations in AWS Signature Version 4": GET Object, PUT Object, GET Bucket Lifecycle,
// GET Bucket / List Objects), with their published keys, time and signatures.
#include "storage/sigv4.h"

#include <gtest/gtest.h>

namespace sp::storage {
namespace {

const AwsKeys kKeys{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
constexpr const char* kHost = "examplebucket.s3.amazonaws.com";

std::chrono::system_clock::time_point example_time() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1369353600));  // 2013-05-24
}

std::string header(const Headers& h, const std::string& name) {
  for (const auto& [k, v] : h) {
    if (k == name) return v;
  }
  return "";
}

std::string signature_of(const Headers& h) {
  const std::string auth = header(h, "Authorization");
  const auto at = auth.find("Signature=");
  return at == std::string::npos ? "" : auth.substr(at + 10);
}

TEST(SigV4, GetObjectWithARange) {
  SignedRequest r{
      "GET", "/test.txt", {}, {{"Host", kHost}, {"Range", "bytes=0-9"}}, std::string(kEmptySha256)};
  const Headers h = sign_v4(r, kKeys, "us-east-1", "s3", example_time());
  EXPECT_EQ(header(h, "x-amz-date"), "20130524T000000Z");
  EXPECT_EQ(header(h, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, PutObjectWithAKeyToEncode) {
  const std::string body = "Welcome to Amazon S3.";
  SignedRequest r{"PUT",
                  "/" + uri_encode("test$file.text", false),
                  {},
                  {{"Host", kHost},
                   {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                   {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                  sha256_hex(body)};
  EXPECT_EQ(r.encoded_path, "/test%24file.text");
  EXPECT_EQ(r.payload_sha256, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  const Headers h = sign_v4(r, kKeys, "us-east-1", "s3", example_time());
  EXPECT_EQ(signature_of(h), "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  EXPECT_NE(
      header(h, "Authorization")
          .find("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"),
      std::string::npos);
}

TEST(SigV4, QueryFlagWithoutAValue) {
  SignedRequest r{"GET", "/", {{"lifecycle", ""}}, {{"Host", kHost}}, std::string(kEmptySha256)};
  EXPECT_EQ(signature_of(sign_v4(r, kKeys, "us-east-1", "s3", example_time())),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4, QueryParametersAreSorted) {
  SignedRequest r{"GET",
                  "/",
                  {{"prefix", "J"}, {"max-keys", "2"}},
                  {{"Host", kHost}},
                  std::string(kEmptySha256)};
  EXPECT_EQ(signature_of(sign_v4(r, kKeys, "us-east-1", "s3", example_time())),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  EXPECT_EQ(canonical_query(r.query), "max-keys=2&prefix=J");
}

TEST(SigV4, SessionTokenIsSentAndSigned) {
  AwsKeys temp = kKeys;
  temp.session_token = "token/with+chars";
  SignedRequest r{"GET", "/test.txt", {}, {{"Host", kHost}}, std::string(kEmptySha256)};
  const Headers h = sign_v4(r, temp, "us-east-1", "s3", example_time());
  EXPECT_EQ(header(h, "x-amz-security-token"), "token/with+chars");
  EXPECT_NE(header(h, "Authorization").find(";x-amz-security-token,"), std::string::npos);
  EXPECT_NE(signature_of(h), signature_of(sign_v4(r, kKeys, "us-east-1", "s3", example_time())));
}

TEST(SigV4, EncodingKeepsUnreservedOnly) {
  EXPECT_EQ(uri_encode("a b/c~d_e.f-g+h=i&j%", true), "a%20b%2Fc~d_e.f-g%2Bh%3Di%26j%25");
  EXPECT_EQ(uri_encode("logs/app 1", false), "logs/app%201");
  EXPECT_EQ(uri_encode("\xc3\xa9", true), "%C3%A9");
  EXPECT_EQ(canonical_query({{"list-type", "2"}, {"delimiter", "/"}, {"prefix", "a b/"}}),
            "delimiter=%2F&list-type=2&prefix=a%20b%2F");
}

}  // namespace
}  // namespace sp::storage
