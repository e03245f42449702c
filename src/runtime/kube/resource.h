// Naming Kubernetes resources: a GroupVersionResource, a reference to one object or collection
// (namespace, name, subresource) and the query options of list and watch, turned into the
// API server's URL paths ("/apis/coordination.k8s.io/v1/namespaces/ns/leases/name").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sp::kube {

struct GroupVersionResource {
  std::string group;     // "" for the core API ("/api/v1")
  std::string version;   // "v1", "v1beta2"
  std::string resource;  // plural, lower case: "pods", "sparkapplications"

  // "/api/v1" or "/apis/<group>/<version>".
  std::string api_path() const;
  // "pods", "leases.coordination.k8s.io": for messages.
  std::string str() const;
  bool operator==(const GroupVersionResource&) const = default;
};

// The resources sparkplane talks to.
namespace resources {
inline const GroupVersionResource kNamespaces{"", "v1", "namespaces"};
inline const GroupVersionResource kPods{"", "v1", "pods"};
inline const GroupVersionResource kServices{"", "v1", "services"};
inline const GroupVersionResource kConfigMaps{"", "v1", "configmaps"};
inline const GroupVersionResource kEvents{"", "v1", "events"};
inline const GroupVersionResource kServiceAccounts{"", "v1", "serviceaccounts"};
inline const GroupVersionResource kLeases{"coordination.k8s.io", "v1", "leases"};
inline const GroupVersionResource kCustomResourceDefinitions{"apiextensions.k8s.io", "v1",
                                                             "customresourcedefinitions"};
inline const GroupVersionResource kSparkApplications{"sparkoperator.k8s.io", "v1beta2",
                                                     "sparkapplications"};
inline const GroupVersionResource kScheduledSparkApplications{"sparkoperator.k8s.io", "v1beta2",
                                                              "scheduledsparkapplications"};
}  // namespace resources

// One object (name set) or a collection (name empty); ns empty means cluster-scoped, or every
// namespace for a list or watch of a namespaced resource.
struct ResourceRef {
  GroupVersionResource gvr;
  std::string ns;
  std::string name;
  std::string subresource;  // "status", "scale", ... (needs a name)

  ResourceRef() = default;
  explicit ResourceRef(GroupVersionResource g, std::string namespace_name = "",
                       std::string object_name = "", std::string sub = "")
      : gvr(std::move(g)),
        ns(std::move(namespace_name)),
        name(std::move(object_name)),
        subresource(std::move(sub)) {}

  ResourceRef named(std::string object_name) const;
  ResourceRef status() const;      // the "status" subresource of this object
  ResourceRef collection() const;  // the same without name and subresource

  // "/api/v1/namespaces/<ns>/pods[/<name>[/<subresource>]]"
  std::string path() const;
  // 'configmaps "x" in namespace "ns"': for messages.
  std::string str() const;
};

// Query parameters of list and watch calls.
struct ListOptions {
  std::string label_selector;  // "app=spark,spark-role in (driver)": see label_selector.h
  std::string field_selector;  // "metadata.name=x"
  std::string resource_version;
  std::string resource_version_match;  // "NotOlderThan", "Exact"
  std::int64_t limit = 0;              // page size; 0: everything at once
  std::string continue_token;
  // Watch only.
  std::optional<int> timeout_seconds;
  bool allow_watch_bookmarks = false;

  // "?labelSelector=...&limit=500" ("" when nothing is set); watch adds "watch=1".
  std::string query(bool watch = false) const;
};

}  // namespace sp::kube
