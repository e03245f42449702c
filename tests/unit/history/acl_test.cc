#include "history/acl.h"

#include <gtest/gtest.h>

namespace sp::history {
namespace {

TEST(HistoryAcl, EveryoneWhenDisabled) {
  EXPECT_TRUE(may_view(AclConfig{}, AppAcls{.owner = "alice"}, Viewer{}));
  EXPECT_TRUE(may_view(AclConfig{}, AppAcls{.owner = "alice"}, Viewer{.user = "mallory"}));
}

TEST(HistoryAcl, OwnerViewersAndAdmins) {
  AclConfig on{.enabled = true, .admins = {"root"}, .admin_groups = {"ops"}};
  AppAcls app{.owner = "alice", .view = {"bob"}, .view_groups = {"analysts"}, .admins = {"carol"}};
  EXPECT_TRUE(may_view(on, app, {.user = "alice"}));
  EXPECT_TRUE(may_view(on, app, {.user = "bob"}));
  EXPECT_TRUE(may_view(on, app, {.user = "carol"}));
  EXPECT_TRUE(may_view(on, app, {.user = "root"}));
  EXPECT_TRUE(may_view(on, app, {.user = "dave", .groups = {"analysts"}}));
  EXPECT_TRUE(may_view(on, app, {.user = "erin", .groups = {"x", "ops"}}));
  EXPECT_FALSE(may_view(on, app, {.user = "mallory", .groups = {"guests"}}));
}

TEST(HistoryAcl, StarAndMissingUser) {
  AclConfig on{.enabled = true};
  EXPECT_TRUE(may_view(on, {.owner = "alice", .view = {"*"}}, {.user = "anyone"}));
  EXPECT_TRUE(may_view(on, {.owner = "alice", .view_groups = {"*"}}, {.user = "anyone"}));
  // No user from the proxy: refused, even where Spark would let it through.
  EXPECT_FALSE(may_view(on, {.owner = "alice", .view = {"*"}}, {}));
}

TEST(HistoryAcl, SplitsSparkLists) {
  EXPECT_EQ(split_acl_list("alice, bob,,carol ,"),
            (std::vector<std::string>{"alice", "bob", "carol"}));
  EXPECT_TRUE(split_acl_list("").empty());
  EXPECT_TRUE(split_acl_list(" , ").empty());
}

}  // namespace
}  // namespace sp::history
