// Credentials against a real kube-apiserver: a service account token read from an in-cluster
// directory (and read again when the file changes), and an exec plugin fetched again after a 401.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "../storage/temp_dir.h"
#include "live_cluster.h"
#include "runtime/kube/kube_client.h"
#include "scoped_env.h"

namespace sp::kube {
namespace {

using sp::test::TempDir;

class KubeLiveAuth : public test::LiveTest {
 protected:
  // Makes service account `name` and returns a token for it (TokenRequest API).
  std::string service_account_token(const std::string& name) {
    try {
      client().create(
          ResourceRef(resources::kServiceAccounts, ns()),
          {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", {{"name", name}}}});
    } catch (const AlreadyExists&) {
    }
    const Json request = {{"apiVersion", "authentication.k8s.io/v1"},
                          {"kind", "TokenRequest"},
                          {"spec", {{"expirationSeconds", 3600}}}};
    const std::string path = ResourceRef(resources::kServiceAccounts, ns(), name, "token").path();
    Json answer = Json::parse(client().request("POST", path, request.dump()));
    return answer["status"]["token"];
  }

  // Lets service account `name` read and write ConfigMaps of the test namespace.
  void grant_configmaps(const std::string& name) {
    const GroupVersionResource roles{"rbac.authorization.k8s.io", "v1", "roles"};
    const GroupVersionResource bindings{"rbac.authorization.k8s.io", "v1", "rolebindings"};
    client().create(ResourceRef(roles, ns()),
                    Json::parse(R"({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                      "metadata": {"name": "configmaps"},
                      "rules": [{"apiGroups": [""], "resources": ["configmaps"],
                                 "verbs": ["get", "list", "watch", "create"]}]})"));
    Json binding = Json::parse(R"({"apiVersion": "rbac.authorization.k8s.io/v1",
      "kind": "RoleBinding", "metadata": {"name": "configmaps"},
      "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "configmaps"},
      "subjects": [{"kind": "ServiceAccount"}]})");
    binding["subjects"][0]["name"] = name;
    binding["subjects"][0]["namespace"] = ns();
    client().create(ResourceRef(bindings, ns()), binding);
  }
};

TEST_F(KubeLiveAuth, InClusterServiceAccountTokenFileIsReadAgainWhenItChanges) {
  const std::string token = service_account_token("operator");
  const KubeConfig admin = load_kubeconfig_file(test::live_kubeconfig());
  TempDir dir;
  dir.write("sa/token", token);
  dir.write("sa/ca.crt", admin.ca_pem);
  dir.write("sa/namespace", ns());
  const auto url_rest = admin.server.substr(std::string("https://").size());
  test::ScopedEnv env;
  env.set("KUBERNETES_SERVICE_HOST", url_rest.substr(0, url_rest.rfind(':')))
      .set("KUBERNETES_SERVICE_PORT", url_rest.substr(url_rest.rfind(':') + 1));

  KubeClient pod_client(load_in_cluster_config((dir.path() / "sa").string()));
  EXPECT_EQ(pod_client.default_namespace(), ns());
  const ResourceRef cms(resources::kConfigMaps, ns());
  try {
    pod_client.list(cms);
    FAIL() << "the service account may list configmaps without a role";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.status(), 403);
    EXPECT_NE(std::string(e.what()).find("system:serviceaccount:" + ns() + ":operator"),
              std::string::npos)
        << e.what();
  }
  grant_configmaps("operator");
  EXPECT_TRUE(test::eventually([&] {
    try {
      pod_client.list(cms);
      return true;
    } catch (const AuthError&) {
      return false;  // RBAC caches catch up
    }
  }));

  // A rotated token that is not valid: refused; the valid one again: accepted, same client.
  dir.write("sa/token.new", "garbage-token");
  std::filesystem::rename(dir.path() / "sa/token.new", dir.path() / "sa/token");
  EXPECT_THROW(pod_client.list(cms), AuthError);
  dir.write("sa/token.new", token);
  std::filesystem::rename(dir.path() / "sa/token.new", dir.path() / "sa/token");
  EXPECT_NO_THROW(pod_client.list(cms));
}

TEST_F(KubeLiveAuth, ExecPluginRunsAgainAfter401) {
  const std::string token = service_account_token("exec-user");
  grant_configmaps("exec-user");
  TempDir dir;
  dir.write("token", token);
  // First run: an invalid token; later runs: the real one.
  dir.write("plugin",
            "#!/bin/sh\n"
            "d=$(dirname \"$0\")\n"
            "if [ -f \"$d/ran\" ]; then t=$(cat \"$d/token\"); else t=stale; touch \"$d/ran\"; fi\n"
            "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":"
            "\"ExecCredential\",\"status\":{\"token\":\"%s\"}}' \"$t\"\n");
  ::chmod((dir.path() / "plugin").c_str(), 0755);

  KubeConfig config = load_kubeconfig_file(test::live_kubeconfig());
  config.client_cert_pem.clear();
  config.client_key_pem.clear();
  config.user_name = "exec-user";
  config.exec = ExecConfig{};
  config.exec->api_version = "client.authentication.k8s.io/v1beta1";
  config.exec->command = (dir.path() / "plugin").string();
  KubeClient exec_client(config);
  const ResourceRef cms(resources::kConfigMaps, ns());
  EXPECT_TRUE(test::eventually([&] {
    try {
      exec_client.list(cms);
      return true;
    } catch (const AuthError& e) {
      if (e.status() != 403) throw;
      return false;  // RBAC caches catch up with the binding
    }
  }));
  EXPECT_EQ(exec_client.exec_runs(), 2);  // the stale token's 401 ran the plugin again
  exec_client.create(cms, test::configmap("from-exec"));
  EXPECT_EQ(exec_client.exec_runs(), 2);  // cached: no expiry given
}

}  // namespace
}  // namespace sp::kube
