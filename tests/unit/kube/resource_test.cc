#include "runtime/kube/resource.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace sp::kube {
namespace {

TEST(KubeResourceRef, Paths) {
  EXPECT_EQ(ResourceRef(resources::kPods, "spark").path(), "/api/v1/namespaces/spark/pods");
  EXPECT_EQ(ResourceRef(resources::kPods).path(), "/api/v1/pods");
  EXPECT_EQ(ResourceRef(resources::kPods, "spark", "driver").path(),
            "/api/v1/namespaces/spark/pods/driver");
  EXPECT_EQ(ResourceRef(resources::kSparkApplications, "ns", "pi").status().path(),
            "/apis/sparkoperator.k8s.io/v1beta2/namespaces/ns/sparkapplications/pi/status");
  EXPECT_EQ(ResourceRef(resources::kNamespaces, "", "spark").path(), "/api/v1/namespaces/spark");
  EXPECT_EQ(ResourceRef(resources::kCustomResourceDefinitions, "", "x.y.z").path(),
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.y.z");
  const ResourceRef one = ResourceRef(resources::kLeases, "kube-system").named("op").status();
  EXPECT_EQ(one.collection().path(), "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases");
  EXPECT_THROW(ResourceRef(resources::kPods, "ns", "", "status").path(), Invalid);
  EXPECT_THROW(ResourceRef(GroupVersionResource{"x", "", "y"}).path(), Invalid);
}

TEST(KubeResourceRef, ForMessages) {
  EXPECT_EQ(ResourceRef(resources::kLeases, "ns", "op").str(),
            "leases.coordination.k8s.io \"op\" in namespace \"ns\"");
  EXPECT_EQ(ResourceRef(resources::kPods).str(), "pods");
}

TEST(KubeListOptions, Query) {
  EXPECT_EQ(ListOptions{}.query(), "");
  ListOptions o;
  o.field_selector = "metadata.name=a";
  o.resource_version = "123";
  o.continue_token = "abc=";
  o.timeout_seconds = 30;
  o.allow_watch_bookmarks = true;
  EXPECT_EQ(o.query(),
            "?fieldSelector=metadata.name%3Da&resourceVersion=123&continue=abc%3D"
            "&timeoutSeconds=30");
  EXPECT_EQ(o.query(true),
            "?watch=1&fieldSelector=metadata.name%3Da&resourceVersion=123&continue=abc%3D"
            "&timeoutSeconds=30&allowWatchBookmarks=true");
}

}  // namespace
}  // namespace sp::kube
