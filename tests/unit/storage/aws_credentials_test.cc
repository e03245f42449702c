// The AWS credentials chain: which source wins, the shared file's format, and temporary
// credentials fetched again before they expire. The container endpoint (EKS Pod Identity's
// agent, which runs only on EKS nodes) is played by a local HTTP server answering its
// documented JSON.
#include "storage/aws_credentials.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <map>
#include <thread>

#include "common/error.h"
#include "common/http_server.h"
#include "common/time_format.h"
#include "temp_dir.h"

namespace sp::storage {
namespace {

GetEnv env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(AwsCredentials, EnvironmentComesFirst) {
  test::TempDir dir;
  dir.write("credentials", "[default]\naws_access_key_id = FILE\naws_secret_access_key = s\n");
  auto c = AwsCredentials::resolve(
      env_of({{"AWS_ACCESS_KEY_ID", "ENV"},
              {"AWS_SECRET_ACCESS_KEY", "secret"},
              {"AWS_SESSION_TOKEN", "tok"},
              {"AWS_SHARED_CREDENTIALS_FILE", (dir.path() / "credentials").string()}}),
      "us-east-1");
  EXPECT_EQ(c->source(), "environment");
  const AwsKeys k = c->get();
  EXPECT_EQ(k.access_key_id, "ENV");
  EXPECT_EQ(k.secret_access_key, "secret");
  EXPECT_EQ(k.session_token, "tok");
}

TEST(AwsCredentials, HalfTheEnvironmentIsAnError) {
  try {
    AwsCredentials::resolve(env_of({{"AWS_ACCESS_KEY_ID", "ENV"}}), "us-east-1");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("AWS_SECRET_ACCESS_KEY is missing"), std::string::npos);
  }
}

TEST(AwsCredentials, SharedFileProfiles) {
  test::TempDir dir;
  dir.write("credentials",
            "# comment\n[default]\naws_access_key_id=D\naws_secret_access_key=ds\n\n"
            "[profile logs]\n; another comment\n  aws_access_key_id = L  \n"
            "aws_secret_access_key = ls\naws_session_token = lt\n[broken]\naws_access_key_id=B\n");
  const std::string file = (dir.path() / "credentials").string();
  auto d = AwsCredentials::resolve(env_of({{"AWS_SHARED_CREDENTIALS_FILE", file}}), "us-east-1");
  EXPECT_EQ(d->get().access_key_id, "D");
  EXPECT_EQ(d->source(), "profile default of " + file);
  auto l = AwsCredentials::resolve(
      env_of({{"AWS_SHARED_CREDENTIALS_FILE", file}, {"AWS_PROFILE", "logs"}}), "us-east-1");
  EXPECT_EQ(l->get().session_token, "lt");
  EXPECT_THROW(
      AwsCredentials::resolve(
          env_of({{"AWS_SHARED_CREDENTIALS_FILE", file}, {"AWS_PROFILE", "nope"}}), "us-east-1"),
      Error);
  EXPECT_THROW(
      AwsCredentials::resolve(
          env_of({{"AWS_SHARED_CREDENTIALS_FILE", file}, {"AWS_PROFILE", "broken"}}), "us-east-1"),
      Error);
  // HOME/.aws/credentials when no file is named.
  dir.write("home/.aws/credentials", "[default]\naws_access_key_id=H\naws_secret_access_key=hs\n");
  auto h = AwsCredentials::resolve(env_of({{"HOME", (dir.path() / "home").string()}}), "us-east-1");
  EXPECT_EQ(h->get().access_key_id, "H");
}

TEST(AwsCredentials, NothingConfiguredSaysWhatToSet) {
  try {
    AwsCredentials::resolve(env_of({{"HOME", "/nonexistent"}}), "us-east-1");
    FAIL();
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("no AWS credentials"), std::string::npos);
    EXPECT_NE(m.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  }
}

TEST(AwsCredentials, ContainerCredentialsAreFetchedAgainBeforeTheyExpire) {
  test::TempDir dir;
  dir.write("token", "first-token\n");
  FakeClock clock(*parse_rfc3339("2026-12-05T10:00:00Z"));
  std::atomic<int> calls{0};
  std::string seen_auth;
  httplib::Server server;
  configure_http_server(server, 2);
  server.Get("/v1/credentials", [&](const httplib::Request& req, httplib::Response& res) {
    seen_auth = req.get_header_value("Authorization");
    const int n = ++calls;
    // Valid for an hour from (fake) now, as the agent's are.
    res.set_content(R"({"AccessKeyId":"ASIA)" + std::to_string(n) +
                        R"(","SecretAccessKey":"s","Token":"t","Expiration":")" +
                        format_rfc3339(clock.now() + std::chrono::hours(1)) + R"("})",
                    "application/json");
  });
  const int port = bind_http_server(server, "127.0.0.1", 0);
  std::thread t([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  auto c = AwsCredentials::resolve(
      env_of({{"HOME", "/nonexistent"},
              {"AWS_CONTAINER_CREDENTIALS_FULL_URI",
               "http://127.0.0.1:" + std::to_string(port) + "/v1/credentials"},
              {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", (dir.path() / "token").string()}}),
      "us-east-1", clock);
  EXPECT_EQ(c->get().access_key_id, "ASIA1");
  EXPECT_EQ(seen_auth, "first-token");
  clock.advance(std::chrono::minutes(50));  // 10 min left: still good
  EXPECT_EQ(c->get().access_key_id, "ASIA1");
  dir.write("token", "rotated-token");     // the agent's token file is rotated
  clock.advance(std::chrono::minutes(6));  // 4 min left: fetched again
  EXPECT_EQ(c->get().access_key_id, "ASIA2");
  EXPECT_EQ(seen_auth, "rotated-token");
  EXPECT_EQ(calls.load(), 2);

  // The endpoint gone: the held keys serve until they expire, then a clear error.
  server.stop();
  t.join();
  clock.advance(std::chrono::minutes(56));  // 4 min before the new expiry
  EXPECT_EQ(c->get().access_key_id, "ASIA2");
  clock.advance(std::chrono::minutes(5));
  try {
    c->get();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("container credentials"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("ASIA"), std::string::npos) << "a key in a message";
  }
}

}  // namespace
}  // namespace sp::storage
