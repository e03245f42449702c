// Who may read an application's history: Spark's SecurityManager semantics for the history
// server (spark.history.ui.acls.enable, the history admin ACLs and groups, and each app's own
// view/admin ACLs and groups from its environment, its owner always included, "*" for all).
#pragma once

#include <string>
#include <vector>

namespace sp::history {

// The server's ACL settings (Spark: spark.history.ui.acls.enable, spark.history.ui.admin.acls,
// spark.history.ui.admin.acls.groups).
struct AclConfig {
  bool enabled = false;
  std::vector<std::string> admins;
  std::vector<std::string> admin_groups;
};

// One application's own ACLs, from its spark properties (spark.ui.view.acls,
// spark.ui.view.acls.groups, spark.admin.acls, spark.admin.acls.groups) and its owner.
struct AppAcls {
  std::string owner;  // sparkUser: may always view its own app
  std::vector<std::string> view;
  std::vector<std::string> view_groups;
  std::vector<std::string> admins;
  std::vector<std::string> admin_groups;
};

// The requesting user, as a trusted proxy reported it (X-Forwarded-User, X-Forwarded-Groups).
struct Viewer {
  std::string user;  // empty when no user was given
  std::vector<std::string> groups;
};

// Spark's checkUIViewPermissions: true when ACLs are off, or the user is named (directly or
// by "*") in the history admins or the app's view/admin ACLs or its owner, or one of the
// user's groups is in the matching group lists. Unlike Spark, a request without a user is
// refused when ACLs are on (Spark lets it through, which exposes every app when the proxy
// header is missing).
bool may_view(const AclConfig& config, const AppAcls& app, const Viewer& viewer);

// Splits Spark's comma-separated ACL lists ("alice, bob,,carol" -> alice, bob, carol).
std::vector<std::string> split_acl_list(const std::string& value);

}  // namespace sp::history
