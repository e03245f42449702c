#include "history/acl.h"

#include <gtest/gtest.h>

namespace sp::history {
namespace {

AppAcls app_of(std::string owner) {
  AppAcls a;
  a.owner = std::move(owner);
  return a;
}

Viewer as(std::string user, std::vector<std::string> groups = {}) {
  Viewer v;
  v.user = std::move(user);
  v.groups = std::move(groups);
  return v;
}

AclConfig enabled() {
  AclConfig c;
  c.enabled = true;
  return c;
}

TEST(HistoryAcl, EveryoneWhenDisabled) {
  EXPECT_TRUE(may_view(AclConfig{}, app_of("alice"), Viewer{}));
  EXPECT_TRUE(may_view(AclConfig{}, app_of("alice"), as("mallory")));
}

TEST(HistoryAcl, OwnerViewersAndAdmins) {
  AclConfig on = enabled();
  on.admins = {"root"};
  on.admin_groups = {"ops"};
  AppAcls app = app_of("alice");
  app.view = {"bob"};
  app.view_groups = {"analysts"};
  app.admins = {"carol"};
  EXPECT_TRUE(may_view(on, app, as("alice")));
  EXPECT_TRUE(may_view(on, app, as("bob")));
  EXPECT_TRUE(may_view(on, app, as("carol")));
  EXPECT_TRUE(may_view(on, app, as("root")));
  EXPECT_TRUE(may_view(on, app, as("dave", {"analysts"})));
  EXPECT_TRUE(may_view(on, app, as("erin", {"x", "ops"})));
  EXPECT_FALSE(may_view(on, app, as("mallory", {"guests"})));
}

TEST(HistoryAcl, StarAndMissingUser) {
  AppAcls everyone = app_of("alice");
  everyone.view = {"*"};
  AppAcls every_group = app_of("alice");
  every_group.view_groups = {"*"};
  EXPECT_TRUE(may_view(enabled(), everyone, as("anyone")));
  EXPECT_TRUE(may_view(enabled(), every_group, as("anyone")));
  // No user from the proxy: refused, even where Spark would let it through.
  EXPECT_FALSE(may_view(enabled(), everyone, Viewer{}));
}

TEST(HistoryAcl, SplitsSparkLists) {
  EXPECT_EQ(split_acl_list("alice, bob,,carol ,"),
            (std::vector<std::string>{"alice", "bob", "carol"}));
  EXPECT_TRUE(split_acl_list("").empty());
  EXPECT_TRUE(split_acl_list(" , ").empty());
}

}  // namespace
}  // namespace sp::history
