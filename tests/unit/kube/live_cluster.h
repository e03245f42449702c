// Test helper for the KubeLive* tests, which run against a real kube-apiserver:
// SPARKPLANE_TEST_KUBECONFIG names an admin kubeconfig of a test cluster (and
// SPARKPLANE_TEST_KUBE_DIR its directory, for the API server restart), as
// tests/integration/test_kube_client.py sets them; without it they skip. Each test gets a
// namespace of its own, deleted afterwards.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "common/uuid.h"
#include "runtime/kube/kube_client.h"
#include "runtime/kube/kubeconfig.h"

namespace sp::kube::test {

inline std::string env_or_empty(const char* name) {
  const char* v = ::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}
inline std::string live_kubeconfig() { return env_or_empty("SPARKPLANE_TEST_KUBECONFIG"); }
inline std::string live_cluster_dir() { return env_or_empty("SPARKPLANE_TEST_KUBE_DIR"); }

inline std::string unique_name(const std::string& prefix) {
  return prefix + "-" + uuid_v4().substr(0, 8);
}

// Polls `pred` until it holds or `timeout` passes; the last answer.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

inline Json configmap(const std::string& name, Json data = Json::object(),
                      Json labels = Json::object()) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"labels", std::move(labels)}}},
          {"data", std::move(data)}};
}

// A namespaced CRD with a status subresource: widgets.test.sparkplane.io/v1, kind Widget,
// spec.size (integer) and spec.color, status.phase and status.observed.
inline const GroupVersionResource kWidgets{"test.sparkplane.io", "v1", "widgets"};

inline void ensure_widget_crd(KubeClient& client) {
  const Json crd = Json::parse(R"j({
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.test.sparkplane.io"},
    "spec": {"group": "test.sparkplane.io", "scope": "Namespaced",
      "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
      "versions": [{"name": "v1", "served": true, "storage": true,
        "subresources": {"status": {}},
        "schema": {"openAPIV3Schema": {"type": "object", "properties": {
          "spec": {"type": "object", "properties": {
            "size": {"type": "integer"}, "color": {"type": "string"}}},
          "status": {"type": "object", "properties": {
            "phase": {"type": "string"}, "observed": {"type": "integer"}}}}}}}]}})j");
  try {
    client.create(ResourceRef(resources::kCustomResourceDefinitions), crd);
  } catch (const Conflict&) {
    // made by an earlier test
  }
  const bool served = eventually([&] {
    try {
      client.list(ResourceRef(kWidgets, "default"));
      return true;
    } catch (const Error&) {
      return false;
    }
  });
  ASSERT_TRUE(served) << "the Widget CRD was not served in time";
}

class LiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (live_kubeconfig().empty()) {
      GTEST_SKIP() << "SPARKPLANE_TEST_KUBECONFIG is not set (tests/integration/"
                      "test_kube_client.py runs these against a real cluster)";
    }
    client_ = std::make_unique<KubeClient>(load_kubeconfig_file(live_kubeconfig()));
    ns_ = unique_name("sp-test");
    client_->create(ResourceRef(resources::kNamespaces),
                    {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns_}}}});
  }
  void TearDown() override {
    if (client_ && !ns_.empty()) {
      try {
        client_->remove(ResourceRef(resources::kNamespaces, "", ns_));
      } catch (const std::exception&) {
        // the cluster goes away with the test run
      }
    }
  }

  KubeClient& client() { return *client_; }
  const std::string& ns() const { return ns_; }
  ResourceRef configmaps() const { return ResourceRef(resources::kConfigMaps, ns_); }

  std::unique_ptr<KubeClient> client_;
  std::string ns_;
};

}  // namespace sp::kube::test
