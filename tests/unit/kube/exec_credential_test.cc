#include "runtime/kube/exec_credential.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "../storage/temp_dir.h"
#include "common/error.h"
#include "common/time_format.h"
#include "runtime/kube/credentials.h"

namespace sp::kube {
namespace {

using sp::test::TempDir;
using namespace std::chrono_literals;

const std::string kV1 = "client.authentication.k8s.io/v1";
const std::string kV1beta1 = "client.authentication.k8s.io/v1beta1";

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes an executable shell script.
std::string script(const TempDir& dir, const std::string& name, const std::string& body) {
  dir.write(name, "#!/bin/sh\n" + body);
  const auto path = dir.path() / name;
  ::chmod(path.c_str(), 0755);
  return path.string();
}

TEST(KubeExecCredential, ParsesTokenAndExpiry) {
  auto c = parse_exec_credential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
          "status":{"token":"k8s-aws-v1.abc","expirationTimestamp":"2030-01-02T03:04:05Z"}})",
      kV1, "aws");
  EXPECT_EQ(c.token, "k8s-aws-v1.abc");
  ASSERT_TRUE(c.expiration);
  EXPECT_EQ(format_rfc3339(*c.expiration), "2030-01-02T03:04:05Z");
  EXPECT_TRUE(c.client_certificate_pem.empty());
}

TEST(KubeExecCredential, ParsesClientCertificate) {
  auto c = parse_exec_credential(
      R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential",
          "status":{"clientCertificateData":"CERT","clientKeyData":"KEY"}})",
      kV1beta1, "plugin");
  EXPECT_EQ(c.client_certificate_pem, "CERT");
  EXPECT_EQ(c.client_key_pem, "KEY");
  EXPECT_TRUE(c.token.empty());
  EXPECT_FALSE(c.expiration);
}

TEST(KubeExecCredential, RejectsBadOutput) {
  EXPECT_EQ(error_of([] { parse_exec_credential("Token: abc", kV1, "p"); }),
            "exec credential plugin \"p\" printed no JSON ExecCredential");
  EXPECT_EQ(
      error_of([] {
        parse_exec_credential(
            R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}})",
            kV1, "p");
      }),
      "exec credential plugin \"p\" printed apiVersion "
      "\"client.authentication.k8s.io/v1beta1\" where the kubeconfig asks for "
      "\"client.authentication.k8s.io/v1\"");
  EXPECT_EQ(
      error_of([] {
        parse_exec_credential(
            R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}})",
            kV1, "p");
      }),
      "exec credential plugin \"p\": status has neither a token nor a client certificate");
  EXPECT_EQ(
      error_of([] {
        parse_exec_credential(
            R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"secret","expirationTimestamp":"tomorrow"}})",
            kV1, "p");
      }),
      "exec credential plugin \"p\": status.expirationTimestamp \"tomorrow\" is not an RFC 3339 "
      "time");
}

TEST(KubeExecCredential, RunsThePluginWithArgsEnvAndExecInfo) {
  TempDir dir;
  ExecConfig e;
  e.api_version = kV1;
  // Relative with a slash: found next to the kubeconfig.
  script(dir, "bin/get-token",
         "echo \"$KUBERNETES_EXEC_INFO\" > \"$(dirname \"$0\")/info.json\"\n"
         "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
         "\"status\":{\"token\":\"%s-%s\"}}' \"$1\" \"$PLUGIN_VAR\"\n");
  e.command = "./bin/get-token";
  e.base_dir = dir.path().string();
  e.args = {"arg1"};
  e.env = {{"PLUGIN_VAR", "v"}};
  e.provide_cluster_info = true;
  auto c = run_exec_plugin(e, {"https://api.example:6443", "CA PEM", false});
  EXPECT_EQ(c.token, "arg1-v");
  Json info = Json::parse(read(dir.path() / "bin/info.json"));
  EXPECT_EQ(info["apiVersion"], kV1);
  EXPECT_EQ(info["kind"], "ExecCredential");
  EXPECT_EQ(info["spec"]["interactive"], false);
  EXPECT_EQ(info["spec"]["cluster"]["server"], "https://api.example:6443");
  EXPECT_EQ(info["spec"]["cluster"]["certificate-authority-data"], "Q0EgUEVN");
}

TEST(KubeExecCredential, PluginFailureNamesExitCodeAndStderr) {
  TempDir dir;
  ExecConfig e;
  e.api_version = kV1;
  e.command = script(dir, "fail", "echo 'token expired, run aws sso login' >&2\nexit 3\n");
  EXPECT_EQ(error_of([&] { run_exec_plugin(e, {}); }),
            "exec credential plugin \"" + e.command +
                "\" failed (exit code 3): token expired, run aws sso login");
}

TEST(KubeExecCredential, MissingPluginShowsInstallHint) {
  ExecConfig e;
  e.api_version = kV1;
  e.command = "sparkplane-no-such-plugin";
  e.install_hint = "install it with: brew install sparkplane-no-such-plugin";
  EXPECT_EQ(error_of([&] { run_exec_plugin(e, {}); }),
            "exec credential plugin \"sparkplane-no-such-plugin\" cannot be run: No such file or "
            "directory. install it with: brew install sparkplane-no-such-plugin");
}

TEST(KubeExecCredential, SlowPluginIsKilled) {
  TempDir dir;
  ExecConfig e;
  e.api_version = kV1;
  e.command = script(dir, "slow", "exec sleep 30\n");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_of([&] { run_exec_plugin(e, {}, 300ms); }),
            "exec credential plugin \"" + e.command + "\" did not finish in 300 ms");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

// A plugin that counts its runs in a file and prints token "t<run>" valid until 2030-01-01.
class CountingPlugin {
 public:
  CountingPlugin() {
    command_ = script(dir_, "plugin",
                      "n=$(cat \"$(dirname \"$0\")/runs\" 2>/dev/null || echo 0)\n"
                      "n=$((n + 1))\necho $n > \"$(dirname \"$0\")/runs\"\n"
                      "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":"
                      "\"ExecCredential\",\"status\":{\"token\":\"t%s\",\"expirationTimestamp\":"
                      "\"2030-01-01T00:00:00Z\"}}' $n\n");
  }
  KubeConfig config() const {
    KubeConfig c;
    c.source = "kubeconfig test";
    c.server = "https://h:1";
    c.exec = ExecConfig{};
    c.exec->api_version = kV1;
    c.exec->command = command_;
    return c;
  }

 private:
  TempDir dir_;
  std::string command_;
};

TEST(KubeCredentialSource, ExecOutputIsCachedUntilItExpires) {
  CountingPlugin plugin;
  const KubeConfig config = plugin.config();
  FakeClock clock(*parse_rfc3339("2029-12-31T23:00:00Z"));
  CredentialSource source(config, clock);
  EXPECT_EQ(source.get().bearer_token, "t1");
  EXPECT_EQ(source.get().bearer_token, "t1");
  EXPECT_EQ(source.exec_runs(), 1);
  clock.advance(std::chrono::minutes(59));
  EXPECT_EQ(source.get().bearer_token, "t1");
  clock.advance(std::chrono::minutes(1));  // at the expiration time: expired
  EXPECT_EQ(source.get().bearer_token, "t2");
  EXPECT_EQ(source.exec_runs(), 2);
}

TEST(KubeCredentialSource, InvalidateRunsThePluginAgain) {
  CountingPlugin plugin;
  const KubeConfig config = plugin.config();
  FakeClock clock(*parse_rfc3339("2029-01-01T00:00:00Z"));
  CredentialSource source(config, clock);
  EXPECT_EQ(source.get().bearer_token, "t1");
  EXPECT_TRUE(source.invalidate());
  EXPECT_EQ(source.get().bearer_token, "t2");
}

TEST(KubeCredentialSource, TokenFileIsReadAgainWhenItChanges) {
  TempDir dir;
  dir.write("token", "first\n");
  KubeConfig config;
  config.source = "in-cluster config";
  config.token_file = (dir.path() / "token").string();
  FakeClock clock(Time{});
  CredentialSource source(config, clock);
  EXPECT_EQ(source.get().bearer_token, "first");
  // Projected tokens are replaced by renaming a new file over the old one.
  dir.write("token.new", "second-longer\n");
  std::filesystem::rename(dir.path() / "token.new", dir.path() / "token");
  EXPECT_EQ(source.get().bearer_token, "second-longer");
  std::filesystem::remove(dir.path() / "token");
  EXPECT_EQ(error_of([&] { source.get(); }), "in-cluster config: cannot read token file " +
                                                 config.token_file + ": No such file or directory");
}

TEST(KubeCredentialSource, StaticCredentials) {
  KubeConfig config;
  config.token = "static";
  config.client_cert_pem = "CERT";
  config.client_key_pem = "KEY";
  FakeClock clock(Time{});
  CredentialSource source(config, clock);
  const Credentials c = source.get();
  EXPECT_EQ(c.bearer_token, "static");
  EXPECT_EQ(c.client_cert_pem, "CERT");
  EXPECT_EQ(c.client_key_pem, "KEY");
  EXPECT_FALSE(source.invalidate());  // nothing would change on a retry
}

}  // namespace
}  // namespace sp::kube
