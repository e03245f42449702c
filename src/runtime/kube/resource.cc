#include "runtime/kube/resource.h"

#include "common/error.h"
#include "common/http_client.h"

namespace sp::kube {

std::string GroupVersionResource::api_path() const {
  // Appended rather than "literal" + string: GCC 12 warns falsely (-Wrestrict) on that at -O3.
  std::string p = group.empty() ? std::string("/api/") : std::string("/apis/").append(group) + "/";
  return p.append(version);
}

std::string GroupVersionResource::str() const {
  return group.empty() ? resource : resource + "." + group;
}

ResourceRef ResourceRef::named(std::string object_name) const {
  ResourceRef r = *this;
  r.name = std::move(object_name);
  return r;
}

ResourceRef ResourceRef::status() const {
  ResourceRef r = *this;
  r.subresource = "status";
  return r;
}

ResourceRef ResourceRef::collection() const { return ResourceRef(gvr, ns); }

std::string ResourceRef::path() const {
  if (gvr.version.empty() || gvr.resource.empty()) {
    throw Invalid(std::string("resource reference without version or resource: \"")
                      .append(gvr.str())
                      .append("\""));
  }
  if (!subresource.empty() && name.empty()) {
    throw Invalid(std::string("subresource \"")
                      .append(subresource)
                      .append("\" of ")
                      .append(gvr.str())
                      .append(" needs a name"));
  }
  std::string p = gvr.api_path();
  if (!ns.empty()) p.append("/namespaces/").append(url_encode(ns));
  p.append("/").append(gvr.resource);
  if (!name.empty()) p.append("/").append(url_encode(name));
  if (!subresource.empty()) p.append("/").append(subresource);
  return p;
}

std::string ResourceRef::str() const {
  std::string s = gvr.str();
  if (!name.empty()) s += " \"" + name + "\"";
  if (!subresource.empty()) s += " (" + subresource + ")";
  if (!ns.empty()) s += " in namespace \"" + ns + "\"";
  return s;
}

std::string ListOptions::query(bool watch) const {
  std::string q;
  auto add = [&q](const char* key, const std::string& value) {
    q += q.empty() ? '?' : '&';
    q += key;
    q += '=';
    q += url_encode(value);
  };
  if (watch) add("watch", "1");
  if (!label_selector.empty()) add("labelSelector", label_selector);
  if (!field_selector.empty()) add("fieldSelector", field_selector);
  if (!resource_version.empty()) add("resourceVersion", resource_version);
  if (!resource_version_match.empty()) add("resourceVersionMatch", resource_version_match);
  if (limit > 0) add("limit", std::to_string(limit));
  if (!continue_token.empty()) add("continue", continue_token);
  if (timeout_seconds) add("timeoutSeconds", std::to_string(*timeout_seconds));
  if (watch && allow_watch_bookmarks) add("allowWatchBookmarks", "true");
  return q;
}

}  // namespace sp::kube
