// S3Client and S3Store against a real MinIO server. tests/integration/test_s3.py starts one
// (scripts/minio/up.sh) and runs these with SPARKPLANE_TEST_S3=1 and the server's
// AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION; without them
// they skip. Each test works in a bucket of its own.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/uuid.h"
#include "storage/s3_store.h"

namespace sp::storage {
namespace {

std::string env(const char* name) {
  const char* v = ::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

class S3Live : public ::testing::Test {
 protected:
  void SetUp() override {
    if (env("SPARKPLANE_TEST_S3") != "1") GTEST_SKIP() << "set by tests/integration/test_s3.py";
    options_.endpoint = env("AWS_ENDPOINT_URL_S3");
    options_.region = env("AWS_REGION").empty() ? "us-east-1" : env("AWS_REGION");
    creds_ = AwsCredentials::resolve(process_env(), options_.region);
    client_ = std::make_shared<S3Client>(options_, creds_);
    bucket_ = "t-" + uuid_v4().substr(0, 12);
    client_->create_bucket(bucket_);
  }

  std::shared_ptr<S3Client> client_with(S3Options o, std::shared_ptr<AwsCredentials> c) {
    return std::make_shared<S3Client>(std::move(o), std::move(c));
  }

  S3Options options_;
  std::shared_ptr<AwsCredentials> creds_;
  std::shared_ptr<S3Client> client_;
  std::string bucket_;
};

TEST_F(S3Live, RoundTripStatRangesListAndDelete) {
  S3Store store(client_, bucket_, "events/");
  const std::string body = "0123456789abcdefghij";
  store.put("app-1/events_1", body);
  store.put("app-1/events_2", "x");
  store.put("top", "t");

  auto info = store.stat("app-1/events_1");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size, body.size());
  EXPECT_FALSE(info->etag.empty());
  EXPECT_GT(info->mtime_ms, 0);
  EXPECT_FALSE(store.stat("app-1/missing").has_value());

  EXPECT_EQ(store.read_string("app-1/events_1", 5, 4), "5678");
  EXPECT_EQ(store.read_string("app-1/events_1", 15, 100), "fghij");  // short at the end
  EXPECT_EQ(store.read_string("app-1/events_1", 20, 10), "");        // at the end
  EXPECT_EQ(store.read_string("app-1/events_1", 99, 10), "");        // past it
  EXPECT_THROW(store.read_string("app-1/missing", 0, 10), NotFound);

  auto root = store.list("");
  ASSERT_EQ(root.size(), 2u);
  EXPECT_EQ(root[0].key, "app-1/");
  EXPECT_TRUE(root[0].is_prefix);
  EXPECT_EQ(root[1].key, "top");
  EXPECT_EQ(root[1].size, 1u);
  auto inside = store.list("app-1");
  ASSERT_EQ(inside.size(), 2u);
  EXPECT_EQ(inside[0].key, "app-1/events_1");
  EXPECT_EQ(inside[0].etag, info->etag);
  EXPECT_TRUE(store.list("nothing/").empty());

  // Replacing changes the ETag; deleting twice is fine.
  store.put("app-1/events_1", "changed");
  EXPECT_NE(store.stat("app-1/events_1")->etag, info->etag);
  store.remove("app-1/events_1");
  store.remove("app-1/events_1");
  EXPECT_FALSE(store.stat("app-1/events_1").has_value());
  EXPECT_EQ(store.describe("top"), "s3://" + bucket_ + "/events/top");
}

TEST_F(S3Live, KeysThatWouldEscapeThePrefixAreRefused) {
  S3Store store(client_, bucket_, "logs");
  for (const char* bad : {"../x", "/abs", "a//b", "a/./b", ""}) {
    EXPECT_THROW(store.put(bad, "x"), Invalid) << bad;
  }
  EXPECT_THROW(store.list("../"), Invalid);
}

TEST_F(S3Live, ListingPagesThroughMoreThanAThousandKeys) {
  S3Store store(client_, bucket_, "");
  constexpr int kKeys = 1100;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kKeys; i += 8) {
        char name[32];
        std::snprintf(name, sizeof name, "many/k%05d", i);
        store.put(name, std::to_string(i));
      }
    });
  }
  for (auto& th : threads) th.join();
  store.put("many/sub/inner", "x");
  auto all = store.list("many/");
  ASSERT_EQ(all.size(), kKeys + 1u);
  EXPECT_EQ(all.front().key, "many/k00000");
  EXPECT_EQ(all[kKeys - 1].key, "many/k01099");
  EXPECT_EQ(all.back().key, "many/sub/");
  EXPECT_EQ(client_->list(bucket_, "many/", "").objects.size(), kKeys + 1u);  // no delimiter
}

TEST_F(S3Live, LargeObjectsGoInParts) {
  S3Options o = options_;
  o.part_size = 5u << 20;
  auto client = client_with(o, creds_);
  S3Store store(client, bucket_, "");
  std::string big(12u << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
  store.put("big", big);
  auto info = store.stat("big");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size, big.size());
  EXPECT_NE(info->etag.find("-3"), std::string::npos) << info->etag;  // three parts
  const std::uint64_t boundary = 5u << 20;
  EXPECT_EQ(store.read_string("big", boundary - 10, 20), big.substr(boundary - 10, 20));
  EXPECT_EQ(store.read_string("big", big.size() - 5, 100), big.substr(big.size() - 5));
  std::string whole(big.size(), '\0');
  EXPECT_EQ(store.read("big", 0, whole), big.size());
  EXPECT_TRUE(whole == big);
}

TEST_F(S3Live, WrongCredentialsSayWhereTheyCameFromNotWhatTheyAre) {
  const std::string secret = "not-the-secret-" + uuid_v4();
  auto wrong = AwsCredentials::fixed({creds_->get().access_key_id, secret, ""}, "--s3-secret");
  S3Options o = options_;
  o.max_attempts = 2;
  S3Store store(client_with(o, wrong), bucket_, "");
  try {
    store.list("");
    FAIL() << "listing with a wrong secret worked";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("S3 refused"), std::string::npos) << m;
    EXPECT_NE(m.find("--s3-secret"), std::string::npos) << m;
    EXPECT_NE(m.find("SignatureDoesNotMatch"), std::string::npos) << m;
    EXPECT_EQ(m.find(secret), std::string::npos) << "the secret is in the message";
  }
  auto unknown = AwsCredentials::fixed({"NOSUCHKEY", secret, ""}, "environment");
  EXPECT_THROW(S3Store(client_with(o, unknown), bucket_, "").stat("x"), Error);
}

TEST_F(S3Live, MissingBucketAndUnreachableEndpointAreNamed) {
  S3Store missing(client_, bucket_ + "-none", "");
  for (auto op : {+[](S3Store& s) { s.list(""); }, +[](S3Store& s) { s.stat("k"); },
                  +[](S3Store& s) { s.put("k", "v"); }}) {
    try {
      op(missing);
      FAIL() << "no error for a missing bucket";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("bucket " + bucket_ + "-none does not exist"),
                std::string::npos)
          << e.what();
    }
  }
  S3Options o = options_;
  o.endpoint = "http://127.0.0.1:1";
  o.max_attempts = 2;
  o.first_backoff = std::chrono::milliseconds(1);
  try {
    S3Store(client_with(o, creds_), bucket_, "").list("");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach the S3 endpoint at http://127.0.0.1:1"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace sp::storage
