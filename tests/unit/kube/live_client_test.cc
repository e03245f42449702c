// KubeClient against a real kube-apiserver (see live_cluster.h).
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "live_cluster.h"
#include "runtime/kube/kube_client.h"
#include "runtime/kube/object_projection.h"

namespace sp::kube {
namespace {

using test::configmap;
using test::kWidgets;

class KubeLiveClient : public test::LiveTest {};

std::string rv_of(const Json& o) { return o["metadata"]["resourceVersion"].get<std::string>(); }

TEST_F(KubeLiveClient, ConfigMapCreateGetUpdateConflictPatchRemove) {
  const ResourceRef cm = configmaps().named("conf");
  Json created = client().create(configmaps(), configmap("conf", {{"a", "1"}}));
  EXPECT_EQ(created["metadata"]["namespace"], ns());
  EXPECT_FALSE(rv_of(created).empty());

  Json got = client().get(cm);
  EXPECT_EQ(got["data"]["a"], "1");
  EXPECT_EQ(rv_of(got), rv_of(created));

  // A second create of the name: AlreadyExists, a Conflict.
  EXPECT_THROW(client().create(configmaps(), configmap("conf")), AlreadyExists);

  // Update with the current resourceVersion, then again with the stale one: Conflict.
  Json changed = got;
  changed["data"]["a"] = "2";
  Json updated = client().update(cm, changed);
  EXPECT_EQ(updated["data"]["a"], "2");
  EXPECT_NE(rv_of(updated), rv_of(got));
  changed["data"]["a"] = "3";
  try {
    client().update(cm, changed);
    FAIL() << "a stale resourceVersion was accepted";
  } catch (const Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("the object has been modified"), std::string::npos)
        << e.what();
  }

  // Merge patch, JSON patch, strategic merge patch.
  Json merged = client().patch(cm, {{"data", {{"b", "x"}}}});
  EXPECT_EQ(merged["data"], Json({{"a", "2"}, {"b", "x"}}));
  Json patched = client().patch(
      cm, Json::parse(R"([{"op": "replace", "path": "/data/a", "value": "4"}])"), PatchType::Json);
  EXPECT_EQ(patched["data"]["a"], "4");
  Json strategic =
      client().patch(cm, {{"metadata", {{"labels", {{"k", "v"}}}}}}, PatchType::StrategicMerge);
  EXPECT_EQ(strategic["metadata"]["labels"]["k"], "v");
  // A JSON patch that does not apply is the caller's mistake.
  EXPECT_THROW(
      client().patch(cm, Json::parse(R"([{"op": "test", "path": "/data/a", "value": "no"}])"),
                     PatchType::Json),
      Error);

  client().remove(cm);
  try {
    client().get(cm);
    FAIL() << "deleted object still there";
  } catch (const NotFound& e) {
    EXPECT_EQ(std::string(e.what()), "configmaps \"conf\" not found");
  }
  EXPECT_FALSE(client().find(cm));
  EXPECT_THROW(client().remove(cm), NotFound);
}

TEST_F(KubeLiveClient, DeleteWithPreconditions) {
  Json created = client().create(configmaps(), configmap("pre"));
  DeleteOptions stale;
  stale.precondition_resource_version = "1";
  EXPECT_THROW(client().remove(configmaps().named("pre"), stale), Conflict);
  DeleteOptions exact;
  exact.precondition_uid = created["metadata"]["uid"];
  exact.propagation_policy = "Background";
  client().remove(configmaps().named("pre"), exact);
  EXPECT_FALSE(client().find(configmaps().named("pre")));
}

TEST_F(KubeLiveClient, CustomResourceWithStatusSubresource) {
  test::ensure_widget_crd(client());
  const ResourceRef widgets(kWidgets, ns());
  Json w = {{"apiVersion", "test.sparkplane.io/v1"},
            {"kind", "Widget"},
            {"metadata", {{"name", "w"}}},
            {"spec", {{"size", 3}, {"color", "red"}}},
            {"status", {{"phase", "ignored on create"}}}};
  Json created = client().create(widgets, w);
  EXPECT_EQ(created["spec"]["size"], 3);
  EXPECT_FALSE(created.contains("status"));  // the status subresource owns it

  Json with_status = created;
  with_status["status"] = {{"phase", "Running"}, {"observed", 1}};
  Json s = client().update_status(widgets.named("w"), with_status);
  EXPECT_EQ(s["status"]["phase"], "Running");
  EXPECT_EQ(s["metadata"]["generation"], 1);  // status writes leave the generation

  // An update of the main resource keeps the status as it is.
  Json spec_change = s;
  spec_change["spec"]["size"] = 4;
  spec_change["status"]["phase"] = "Overwritten?";
  Json u = client().update(widgets.named("w"), spec_change);
  EXPECT_EQ(u["spec"]["size"], 4);
  EXPECT_EQ(u["status"]["phase"], "Running");
  EXPECT_EQ(u["metadata"]["generation"], 2);

  // A stale status write conflicts.
  EXPECT_THROW(client().update_status(widgets.named("w"), with_status), Conflict);

  // Schema violations come back as Invalid with the API server's field path.
  Json bad = w;
  bad["metadata"]["name"] = "bad";
  bad["spec"]["size"] = "big";
  try {
    client().create(widgets, bad);
    FAIL() << "schema violation accepted";
  } catch (const Invalid& e) {
    EXPECT_NE(std::string(e.what()).find("spec.size"), std::string::npos) << e.what();
  }
  // Merge patch of the status subresource.
  Json p = client().patch(widgets.named("w").status(), {{"status", {{"observed", 2}}}});
  EXPECT_EQ(p["status"]["observed"], 2);
  EXPECT_EQ(p["status"]["phase"], "Running");
}

// Writes whose answer is read for its metadata alone get the metadata alone from the server
// (the whole object is never encoded); a status write without the spec keeps the stored spec.
TEST_F(KubeLiveClient, MetadataOnlyAnswers) {
  Json cm = client().create(configmaps(), configmap("meta", {{"a", "1"}}), Projection::metadata());
  EXPECT_EQ(cm["kind"], "PartialObjectMetadata");
  EXPECT_EQ(cm["apiVersion"], "meta.k8s.io/v1");
  EXPECT_FALSE(cm["metadata"]["uid"].get<std::string>().empty());
  EXPECT_FALSE(cm.contains("data"));
  EXPECT_EQ(client().get(configmaps().named("meta"))["data"]["a"], "1");  // stored whole

  test::ensure_widget_crd(client());
  const ResourceRef widgets(kWidgets, ns());
  Json w = client().create(widgets, {{"apiVersion", "test.sparkplane.io/v1"},
                                     {"kind", "Widget"},
                                     {"metadata", {{"name", "slim"}}},
                                     {"spec", {{"size", 3}, {"color", "red"}}}});
  Json slim = {{"apiVersion", "test.sparkplane.io/v1"},
               {"kind", "Widget"},
               {"metadata", {{"name", "slim"}, {"resourceVersion", rv_of(w)}}},
               {"status", {{"phase", "Running"}}}};
  Json answer = client().update_status(widgets.named("slim"), slim, Projection::metadata());
  EXPECT_EQ(answer["kind"], "PartialObjectMetadata");
  EXPECT_NE(rv_of(answer), rv_of(w));
  Json stored = client().get(widgets.named("slim"));
  EXPECT_EQ(stored["spec"], w["spec"]);
  EXPECT_EQ(stored["status"]["phase"], "Running");
  EXPECT_EQ(rv_of(stored), rv_of(answer));
}

TEST_F(KubeLiveClient, ListsInPagesAndSelectsLabelsOnTheServer) {
  constexpr int kCount = 1200;
  // Four threads share the client: it is thread-safe.
  std::atomic<int> next{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      for (int i = next++; i < kCount; i = next++) {
        char name[32];
        std::snprintf(name, sizeof name, "cm-%04d", i);
        client().create(configmaps(), configmap(name, {{"i", std::to_string(i)}},
                                                {{"parity", i % 2 == 0 ? "even" : "odd"}}));
      }
    });
  }
  for (auto& w : writers) w.join();

  ListOptions page;
  page.limit = 500;
  Json first = client().list(configmaps(), page);
  EXPECT_EQ(first["items"].size(), 500u);
  EXPECT_EQ(first["items"][0]["kind"], "ConfigMap");  // filled in from ConfigMapList
  EXPECT_EQ(first["items"][0]["apiVersion"], "v1");
  const std::string token = first["metadata"].value("continue", "");
  ASSERT_FALSE(token.empty());
  page.continue_token = token;
  Json second = client().list(configmaps(), page);
  EXPECT_EQ(second["items"].size(), 500u);
  EXPECT_EQ(second["metadata"]["resourceVersion"], first["metadata"]["resourceVersion"]);

  ListOptions all;
  all.limit = 500;
  Json everything = client().list_all(configmaps(), all);
  // kube-root-ca.crt is made in every namespace by the controller manager.
  std::set<std::string> names;
  for (const auto& item : everything["items"]) {
    const std::string name = item["metadata"]["name"];
    if (name.starts_with("cm-")) names.insert(name);
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kCount));
  EXPECT_FALSE(everything["metadata"].contains("continue"));
  EXPECT_FALSE(everything["metadata"]["resourceVersion"].get<std::string>().empty());

  ListOptions even;
  even.label_selector = "parity=even";
  even.limit = 500;
  Json evens = client().list_all(configmaps(), even);
  EXPECT_EQ(evens["items"].size(), static_cast<std::size_t>(kCount / 2));
  for (const auto& item : evens["items"]) EXPECT_EQ(item["metadata"]["labels"]["parity"], "even");
}

TEST_F(KubeLiveClient, KeepsTheConnectionAlive) {
  KubeClient fresh(load_kubeconfig_file(test::live_kubeconfig()));
  EXPECT_FALSE(fresh.server_version().value("gitVersion", "").empty());
  for (int i = 0; i < 20; ++i) fresh.list(configmaps());
  EXPECT_EQ(fresh.connections_opened(), 1);
}

TEST_F(KubeLiveClient, RefusedTokenNamesTheUserAndContext) {
  KubeConfig config = load_kubeconfig_file(test::live_kubeconfig());
  config.client_cert_pem.clear();
  config.client_key_pem.clear();
  config.token = "not-a-valid-token";
  config.user_name = "bogus";
  KubeClient bogus(config);
  try {
    bogus.list(configmaps());
    FAIL() << "a bogus token was accepted";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.status(), 401);
    const std::string msg = e.what();
    EXPECT_NE(msg.find("user \"bogus\" of context \"" + config.context + "\""), std::string::npos)
        << msg;
    EXPECT_EQ(msg.find("not-a-valid-token"), std::string::npos) << "token in the message";
  }
}

TEST_F(KubeLiveClient, AnonymousIsForbidden) {
  KubeConfig config = load_kubeconfig_file(test::live_kubeconfig());
  config.client_cert_pem.clear();
  config.client_key_pem.clear();
  KubeClient anonymous(config);
  try {
    anonymous.list(configmaps());
    FAIL() << "anonymous list allowed";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.status(), 403);
    EXPECT_NE(std::string(e.what()).find("system:anonymous"), std::string::npos) << e.what();
  }
}

TEST_F(KubeLiveClient, TlsNeedsTheClustersCa) {
  KubeConfig config = load_kubeconfig_file(test::live_kubeconfig());
  config.ca_pem.clear();  // the system's CAs do not know the test cluster's
  KubeClient client_without_ca(config);
  try {
    client_without_ca.list(configmaps());
    FAIL() << "TLS without the cluster's CA succeeded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("TLS with the Kubernetes API server at " + config.server),
              std::string::npos)
        << e.what();
  }
  config.insecure_skip_tls_verify = true;
  KubeClient insecure(config);
  EXPECT_NO_THROW(insecure.list(configmaps()));
}

}  // namespace
}  // namespace sp::kube
