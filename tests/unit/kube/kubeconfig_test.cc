#include "runtime/kube/kubeconfig.h"

#include <gtest/gtest.h>

#include <string>

#include "../storage/temp_dir.h"
#include "common/error.h"
#include "runtime/kube/base64.h"
#include "scoped_env.h"

namespace sp::kube {
namespace {

using sp::test::TempDir;
using test::ScopedEnv;

const std::string kCa = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
const std::string kCert = "-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n";
const std::string kKey = "-----BEGIN EC PRIVATE KEY-----\nKEY\n-----END EC PRIVATE KEY-----\n";

std::string two_contexts() {
  return "apiVersion: v1\n"
         "kind: Config\n"
         "clusters:\n"
         "- name: prod\n"
         "  cluster:\n"
         "    server: https://prod.example:6443/\n"
         "    certificate-authority-data: " +
         base64_encode(kCa) +
         "\n"
         "- name: dev\n"
         "  cluster:\n"
         "    server: https://127.0.0.1:6443\n"
         "    insecure-skip-tls-verify: true\n"
         "users:\n"
         "- name: admin\n"
         "  user:\n"
         "    client-certificate-data: " +
         base64_encode(kCert) +
         "\n"
         "    client-key-data: " +
         base64_encode(kKey) +
         "\n"
         "- name: dev-user\n"
         "  user:\n"
         "    token: 12345\n"
         "contexts:\n"
         "- name: prod-admin\n"
         "  context: {cluster: prod, user: admin, namespace: spark}\n"
         "- name: dev\n"
         "  context: {cluster: dev, user: dev-user}\n"
         "current-context: prod-admin\n";
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(KubeConfig, CurrentContextWithDataFields) {
  KubeConfig c = parse_kubeconfig(two_contexts(), "~/.kube/config", "/nowhere");
  EXPECT_EQ(c.context, "prod-admin");
  EXPECT_EQ(c.user_name, "admin");
  EXPECT_EQ(c.server, "https://prod.example:6443");  // trailing slash dropped
  EXPECT_EQ(c.ca_pem, kCa);
  EXPECT_EQ(c.client_cert_pem, kCert);
  EXPECT_EQ(c.client_key_pem, kKey);
  EXPECT_FALSE(c.insecure_skip_tls_verify);
  EXPECT_EQ(c.ns, "spark");
  EXPECT_TRUE(c.token.empty());
  EXPECT_FALSE(c.exec);
  EXPECT_EQ(c.source, "kubeconfig ~/.kube/config");
}

TEST(KubeConfig, ExplicitContext) {
  KubeConfig c = parse_kubeconfig(two_contexts(), "k", "/nowhere", "dev");
  EXPECT_EQ(c.context, "dev");
  EXPECT_EQ(c.server, "https://127.0.0.1:6443");
  EXPECT_TRUE(c.insecure_skip_tls_verify);
  EXPECT_TRUE(c.ca_pem.empty());
  EXPECT_EQ(c.token, "12345");  // a YAML integer read as text
  EXPECT_EQ(c.ns, "default");
  EXPECT_TRUE(c.client_cert_pem.empty());
}

TEST(KubeConfig, DescribeAndIdentityHoldNoSecrets) {
  KubeConfig c = parse_kubeconfig(two_contexts(), "~/.kube/config", "/nowhere", "dev");
  EXPECT_EQ(c.describe(),
            "context \"dev\" (user \"dev-user\", server https://127.0.0.1:6443) from kubeconfig "
            "~/.kube/config");
  EXPECT_EQ(c.identity(), "user \"dev-user\" of context \"dev\" (kubeconfig ~/.kube/config)");
  EXPECT_EQ(c.describe().find("12345"), std::string::npos);
}

TEST(KubeConfig, FileFieldsAreReadRelativeToTheKubeconfig) {
  TempDir dir;
  dir.write("pki/ca.crt", kCa);
  dir.write("pki/me.crt", kCert);
  dir.write("pki/me.key", kKey);
  dir.write("token", "file-token\n");
  dir.write("config",
            "clusters:\n"
            "- name: c\n"
            "  cluster: {server: 'https://h:1', certificate-authority: pki/ca.crt}\n"
            "users:\n"
            "- name: u\n"
            "  user: {client-certificate: pki/me.crt, client-key: pki/me.key, tokenFile: token}\n"
            "contexts:\n"
            "- name: x\n"
            "  context: {cluster: c, user: u}\n"
            "current-context: x\n");
  KubeConfig c = load_kubeconfig_file((dir.path() / "config").string());
  EXPECT_EQ(c.ca_pem, kCa);
  EXPECT_EQ(c.client_cert_pem, kCert);
  EXPECT_EQ(c.client_key_pem, kKey);
  EXPECT_EQ(c.token_file, (dir.path() / "token").string());
  EXPECT_TRUE(c.token.empty());  // read per request by CredentialSource
}

TEST(KubeConfig, DataFieldsWinOverFiles) {
  const std::string text =
      "clusters:\n"
      "- name: c\n"
      "  cluster: {server: 'https://h:1', certificate-authority: /does/not/exist,\n"
      "            certificate-authority-data: " +
      base64_encode(kCa) +
      "}\n"
      "contexts: [{name: x, context: {cluster: c}}]\n"
      "current-context: x\n";
  KubeConfig c = parse_kubeconfig(text, "k", "/");
  EXPECT_EQ(c.ca_pem, kCa);
  EXPECT_TRUE(c.user_name.empty());  // anonymous
}

TEST(KubeConfig, TokenWinsOverTokenFile) {
  KubeConfig c = parse_kubeconfig(
      "clusters: [{name: c, cluster: {server: 'https://h:1'}}]\n"
      "users: [{name: u, user: {token: abc, tokenFile: /does/not/exist}}]\n"
      "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
      "current-context: x\n",
      "k", "/");
  EXPECT_EQ(c.token, "abc");
  EXPECT_TRUE(c.token_file.empty());
}

TEST(KubeConfig, ExecPlugin) {
  KubeConfig c = parse_kubeconfig(
      "clusters: [{name: c, cluster: {server: 'https://eks.example'}}]\n"
      "users:\n"
      "- name: eks\n"
      "  user:\n"
      "    exec:\n"
      "      apiVersion: client.authentication.k8s.io/v1beta1\n"
      "      command: aws\n"
      "      args: [--region, eu-west-1, eks, get-token, --cluster-name, spark]\n"
      "      env: [{name: AWS_PROFILE, value: prod}]\n"
      "      provideClusterInfo: true\n"
      "      installHint: install the AWS CLI\n"
      "contexts: [{name: x, context: {cluster: c, user: eks}}]\n"
      "current-context: x\n",
      "k", "/srv/kube");
  ASSERT_TRUE(c.exec);
  EXPECT_EQ(c.exec->api_version, "client.authentication.k8s.io/v1beta1");
  EXPECT_EQ(c.exec->command, "aws");
  EXPECT_EQ(c.exec->args.size(), 6u);
  EXPECT_EQ(c.exec->args[5], "spark");
  ASSERT_EQ(c.exec->env.size(), 1u);
  EXPECT_EQ(c.exec->env[0], std::make_pair(std::string("AWS_PROFILE"), std::string("prod")));
  EXPECT_TRUE(c.exec->provide_cluster_info);
  EXPECT_EQ(c.exec->install_hint, "install the AWS CLI");
  EXPECT_EQ(c.exec->base_dir, "/srv/kube");
}

TEST(KubeConfig, ClearOneLineErrors) {
  const std::string base =
      "clusters: [{name: c, cluster: {server: 'https://h:1'}}]\n"
      "users: [{name: u, user: {}}]\n";
  EXPECT_EQ(error_of([&] { parse_kubeconfig(two_contexts(), "~/.kube/config", "/", "x"); }),
            "kubeconfig ~/.kube/config: context \"x\" not found");
  EXPECT_EQ(error_of([&] { parse_kubeconfig(base, "k", "/"); }),
            "kubeconfig k: no current-context is set (pass --context)");
  EXPECT_EQ(error_of([&] {
              parse_kubeconfig(base + "contexts: [{name: x, context: {cluster: nope, user: u}}]",
                               "k", "/", "x");
            }),
            "kubeconfig k: cluster \"nope\" of context \"x\" not found");
  EXPECT_EQ(error_of([&] {
              parse_kubeconfig(base + "contexts: [{name: x, context: {cluster: c, user: who}}]",
                               "k", "/", "x");
            }),
            "kubeconfig k: user \"who\" of context \"x\" not found");
  EXPECT_EQ(error_of([] {
              parse_kubeconfig(
                  "clusters: [{name: c, cluster: {server: 'https://h', certificate-authority-data: "
                  "'!!notbase64!!'}}]\ncontexts: [{name: x, context: {cluster: c}}]",
                  "k", "/", "x");
            }),
            "kubeconfig k: cluster \"c\": certificate-authority-data is not valid base64");
  EXPECT_EQ(error_of([] {
              parse_kubeconfig(
                  "clusters: [{name: c, cluster: {server: 'https://h', certificate-authority: "
                  "ca.pem}}]\ncontexts: [{name: x, context: {cluster: c}}]",
                  "k", "/does/not", "x");
            }),
            "kubeconfig k: cluster \"c\": cannot read certificate-authority /does/not/ca.pem: No "
            "such file or directory");
  EXPECT_EQ(error_of([] {
              parse_kubeconfig(
                  "clusters: [{name: c, cluster: {}}]\ncontexts: [{name: x, context: {cluster: "
                  "c}}]",
                  "k", "/", "x");
            }),
            "kubeconfig k: cluster \"c\" has no server");
  EXPECT_EQ(error_of([&] {
              parse_kubeconfig(
                  "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
                  "users: [{name: u, user: {exec: {apiVersion: "
                  "client.authentication.k8s.io/v1alpha1, command: x}}}]\n"
                  "contexts: [{name: x, context: {cluster: c, user: u}}]",
                  "k", "/", "x");
            }),
            "kubeconfig k: user \"u\": exec apiVersion \"client.authentication.k8s.io/v1alpha1\" "
            "is not supported (client.authentication.k8s.io/v1 or v1beta1)");
  EXPECT_EQ(error_of([&] {
              parse_kubeconfig(
                  "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
                  "users: [{name: u, user: {auth-provider: {name: gcp}}}]\n"
                  "contexts: [{name: x, context: {cluster: c, user: u}}]",
                  "k", "/", "x");
            }),
            "kubeconfig k: user \"u\": auth-provider \"gcp\" is not supported; use an exec "
            "credential plugin (users[].user.exec)");
  EXPECT_EQ(error_of([&] {
              parse_kubeconfig(
                  "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
                  "users: [{name: u, user: {client-certificate-data: " +
                      base64_encode(kCert) +
                      "}}]\n"
                      "contexts: [{name: x, context: {cluster: c, user: u}}]",
                  "k", "/", "x");
            }),
            "kubeconfig k: user \"u\": a client certificate needs a client key and the other way "
            "round");
  // A YAML syntax error keeps the parser's position.
  EXPECT_NE(error_of([] { parse_kubeconfig("clusters: [", "k", "/"); }).find("k:"),
            std::string::npos);
}

TEST(KubeConfig, MissingFileError) {
  EXPECT_EQ(error_of([] { load_kubeconfig_file("/does/not/exist/config"); }),
            "kubeconfig /does/not/exist/config: cannot read: No such file or directory");
}

class KubeConfigLoading : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.set("KUBECONFIG", std::nullopt)
        .set("KUBERNETES_SERVICE_HOST", std::nullopt)
        .set("KUBERNETES_SERVICE_PORT", std::nullopt)
        .set("HOME", dir_.path().string());
  }
  static std::string config_for(const std::string& server) {
    return "clusters: [{name: c, cluster: {server: '" + server +
           "'}}]\ncontexts: [{name: x, context: {cluster: c}}]\ncurrent-context: x\n";
  }
  TempDir dir_;
  ScopedEnv env_;
};

TEST_F(KubeConfigLoading, ExplicitPathThenKubeconfigEnvThenHome) {
  dir_.write(".kube/config", config_for("https://home:1"));
  dir_.write("a", config_for("https://a:1"));
  dir_.write("b", config_for("https://b:1"));
  EXPECT_EQ(load_kube_config().server, "https://home:1");
  EXPECT_EQ(load_kube_config().source, "kubeconfig ~/.kube/config");
  // The first file of the list that exists.
  env_.set("KUBECONFIG", (dir_.path() / "missing").string() + ":" + (dir_.path() / "b").string() +
                             ":" + (dir_.path() / "a").string());
  EXPECT_EQ(load_kube_config().server, "https://b:1");
  EXPECT_EQ(load_kube_config({(dir_.path() / "a").string(), ""}).server, "https://a:1");
  env_.set("KUBECONFIG", (dir_.path() / "missing").string());
  EXPECT_EQ(error_of([] { load_kube_config(); }),
            "KUBECONFIG=" + (dir_.path() / "missing").string() + ": no such file");
}

TEST_F(KubeConfigLoading, NothingToLoad) {
  EXPECT_EQ(error_of([] { load_kube_config(); }),
            "no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, or run in a pod "
            "(~/.kube/config does not exist)");
}

TEST_F(KubeConfigLoading, InCluster) {
  dir_.write("sa/token", "sa-token\n");
  dir_.write("sa/ca.crt", kCa);
  dir_.write("sa/namespace", "spark-jobs\n");
  const std::string sa = (dir_.path() / "sa").string();
  EXPECT_EQ(error_of([&] { load_in_cluster_config(sa); }),
            "in-cluster config: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set "
            "(not running in a pod? pass --kubeconfig)");
  env_.set("KUBERNETES_SERVICE_HOST", "10.96.0.1").set("KUBERNETES_SERVICE_PORT", "443");
  KubeConfig c = load_in_cluster_config(sa);
  EXPECT_EQ(c.server, "https://10.96.0.1:443");
  EXPECT_EQ(c.ca_pem, kCa);
  EXPECT_EQ(c.token_file, sa + "/token");
  EXPECT_EQ(c.ns, "spark-jobs");
  EXPECT_EQ(c.source, "in-cluster config");
  EXPECT_EQ(c.identity(), "the service account of the in-cluster config");
  env_.set("KUBERNETES_SERVICE_HOST", "fd00::1");
  EXPECT_EQ(load_in_cluster_config(sa).server, "https://[fd00::1]:443");
  std::filesystem::remove(dir_.path() / "sa/ca.crt");
  EXPECT_EQ(error_of([&] { load_in_cluster_config(sa); }),
            "in-cluster config: cannot read " + sa + "/ca.crt: No such file or directory");
}

TEST_F(KubeConfigLoading, DisplayPathAbbreviatesHome) {
  EXPECT_EQ(display_path((dir_.path() / ".kube/config").string()), "~/.kube/config");
  EXPECT_EQ(display_path("/etc/kubeconfig"), "/etc/kubeconfig");
}

TEST(KubeBase64, RoundTripAndErrors) {
  EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
  EXPECT_EQ(base64_decode("aGVsbG8="), "hello");
  EXPECT_EQ(base64_decode("aGVs\nbG8="), "hello");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_FALSE(base64_decode("a$b="));
}

}  // namespace
}  // namespace sp::kube
