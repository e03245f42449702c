// Informers against a real kube-apiserver (see live_cluster.h), including one that lives
// through an API server restart.
#include <gtest/gtest.h>

#include <cstdlib>
#include <mutex>
#include <vector>

#include "live_cluster.h"
#include "runtime/kube/informer.h"

namespace sp::kube {
namespace {

using namespace std::chrono_literals;

class KubeLiveInformer : public test::LiveTest {};

// Handler calls as "add a", "update a 1->2", "delete a" (data.v is the version shown).
class Recorder {
 public:
  InformerHandlers handlers() {
    return {[this](const Json& o) { push("add " + name(o)); },
            [this](const Json& old_o, const Json& new_o) {
              push("update " + name(new_o) + " " + v(old_o) + "->" + v(new_o));
            },
            [this](const Json& o) { push("delete " + name(o)); }};
  }
  std::vector<std::string> calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  bool saw(const std::string& call) {
    std::lock_guard lock(mu_);
    return std::find(calls_.begin(), calls_.end(), call) != calls_.end();
  }

 private:
  static std::string name(const Json& o) { return o["metadata"]["name"]; }
  static std::string v(const Json& o) {
    const Json* d = json_at(o, "data.v");
    return d != nullptr ? d->get<std::string>() : "";
  }
  void push(std::string s) {
    std::lock_guard lock(mu_);
    calls_.push_back(std::move(s));
  }
  std::mutex mu_;
  std::vector<std::string> calls_;
};

TEST_F(KubeLiveInformer, ListsInPagesThenFollowsChangesInOrder) {
  for (const char* n : {"a", "b", "c"}) {
    client().create(configmaps(), test::configmap(n, {{"v", "1"}}, {{"app", "spark"}}));
  }
  client().create(configmaps(), test::configmap("unlabelled"));
  Recorder rec;
  InformerOptions o;
  o.collection = configmaps();
  o.label_selector = "app=spark";
  o.page_size = 2;  // two pages for three objects
  Informer informer(client(), o, rec.handlers());
  EXPECT_FALSE(informer.has_synced());
  informer.start();
  ASSERT_TRUE(informer.wait_for_sync(20s));
  EXPECT_EQ(rec.calls(), (std::vector<std::string>{"add a", "add b", "add c"}));
  EXPECT_EQ(informer.size(), 3u);
  ASSERT_NE(informer.get(ns(), "b"), nullptr);
  EXPECT_EQ((*informer.get(ns(), "b"))["kind"], "ConfigMap");
  EXPECT_EQ(informer.get(ns(), "unlabelled"), nullptr);  // filtered by the server

  client().create(configmaps(), test::configmap("d", {{"v", "1"}}, {{"app", "spark"}}));
  client().patch(configmaps().named("a"), {{"data", {{"v", "2"}}}});
  client().remove(configmaps().named("b"));
  client().patch(configmaps().named("unlabelled"), {{"data", {{"v", "9"}}}});
  ASSERT_TRUE(test::eventually([&] { return rec.calls().size() >= 6; }));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(rec.calls(), (std::vector<std::string>{"add a", "add b", "add c", "add d",
                                                   "update a 1->2", "delete b"}));
  EXPECT_EQ(informer.get(ns(), "b"), nullptr);
  EXPECT_EQ((*informer.get(ns(), "a"))["data"]["v"], "2");

  // Client-side selection over the cache.
  client().patch(configmaps().named("c"), {{"metadata", {{"labels", {{"tier", "gold"}}}}}});
  ASSERT_TRUE(test::eventually([&] { return rec.saw("update c 1->1"); }));
  auto gold = informer.list(ns(), LabelSelector::parse("tier=gold"));
  ASSERT_EQ(gold.size(), 1u);
  EXPECT_EQ((*gold[0])["metadata"]["name"], "c");
  EXPECT_EQ(informer.list(ns()).size(), 3u);
  EXPECT_EQ(informer.list("elsewhere").size(), 0u);
  EXPECT_EQ(informer.list_count(), 1);
  informer.stop();
}

TEST_F(KubeLiveInformer, KeepsTrimmedObjectsAndIndexesThemByALabel) {
  client().create(configmaps(), test::configmap("a1", {{"v", "1"}}, {{"app", "a"}}));
  client().create(configmaps(), test::configmap("b1", {{"v", "1"}}, {{"app", "b"}}));
  Recorder rec;
  InformerOptions o;
  o.collection = configmaps();
  o.label_selector = "app";
  o.index_label = "app";
  o.index_if = [](const Json& cm) {
    return cm["metadata"]["labels"].value("role", "") != "driver";
  };
  o.transform = [](Json& cm) { cm.erase("kind"); };
  Informer informer(client(), o, rec.handlers());
  informer.start();
  ASSERT_TRUE(informer.wait_for_sync(20s));
  client().create(configmaps(), test::configmap("a2", {{"v", "1"}}, {{"app", "a"}}));
  ASSERT_TRUE(test::eventually([&] { return rec.saw("add a2"); }));

  auto names = [&](const std::string& value) {
    std::vector<std::string> out;
    for (const auto& cm : informer.list_by_label(ns(), value)) {
      out.push_back((*cm)["metadata"]["name"]);
    }
    return out;
  };
  EXPECT_EQ(names("a"), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(names("b"), (std::vector<std::string>{"b1"}));
  EXPECT_TRUE(informer.list_by_label("elsewhere", "a").empty());
  const auto a1 = informer.get(ns(), "a1");
  ASSERT_NE(a1, nullptr);
  EXPECT_FALSE(a1->contains("kind"));                         // the transform ran
  EXPECT_FALSE((*a1)["metadata"].contains("managedFields"));  // always dropped
  EXPECT_TRUE(client().get(configmaps().named("a1"))["metadata"].contains("managedFields"));
  EXPECT_EQ((*a1)["data"]["v"], "1");

  // A label change moves the object in the index; a delete takes it out.
  client().patch(configmaps().named("a1"), {{"metadata", {{"labels", {{"app", "b"}}}}}});
  client().remove(configmaps().named("b1"));
  ASSERT_TRUE(test::eventually([&] { return rec.saw("delete b1"); }));
  EXPECT_EQ(names("a"), (std::vector<std::string>{"a2"}));
  EXPECT_EQ(names("b"), (std::vector<std::string>{"a1"}));

  // index_if leaves some out of the index, not out of the cache; a change can bring them in.
  client().create(configmaps(),
                  test::configmap("d1", {{"v", "1"}}, {{"app", "a"}, {"role", "driver"}}));
  ASSERT_TRUE(test::eventually([&] { return rec.saw("add d1"); }));
  EXPECT_EQ(names("a"), (std::vector<std::string>{"a2"}));
  EXPECT_NE(informer.get(ns(), "d1"), nullptr);
  client().patch(configmaps().named("d1"), {{"metadata", {{"labels", {{"role", "executor"}}}}}});
  ASSERT_TRUE(test::eventually([&] { return names("a").size() == 2; }));
  EXPECT_EQ(names("a"), (std::vector<std::string>{"a2", "d1"}));
  client().remove(configmaps().named("d1"));
  ASSERT_TRUE(test::eventually([&] { return rec.saw("delete d1"); }));
  EXPECT_EQ(names("a"), (std::vector<std::string>{"a2"}));
  informer.stop();
}

TEST_F(KubeLiveInformer, RelistDeliversWhatChangedWhileItWasNotWatching) {
  client().create(configmaps(), test::configmap("keep", {{"v", "1"}}, {{"app", "spark"}}));
  client().create(configmaps(), test::configmap("gone", {{"v", "1"}}, {{"app", "spark"}}));
  Recorder rec;
  InformerOptions o;
  o.collection = configmaps();
  o.label_selector = "app=spark";
  Informer informer(client(), o, rec.handlers());
  informer.start();
  ASSERT_TRUE(informer.wait_for_sync(20s));
  informer.stop();

  client().remove(configmaps().named("gone"));
  client().patch(configmaps().named("keep"), {{"data", {{"v", "2"}}}});
  client().create(configmaps(), test::configmap("new", {{"v", "1"}}, {{"app", "spark"}}));

  informer.start();  // lists again, against the cache it has
  ASSERT_TRUE(test::eventually([&] { return rec.calls().size() >= 5; }));
  EXPECT_EQ(rec.calls(), (std::vector<std::string>{"add gone", "add keep", "update keep 1->2",
                                                   "add new", "delete gone"}));
  EXPECT_EQ(informer.size(), 2u);
  EXPECT_EQ(informer.list_count(), 2);
}

TEST_F(KubeLiveInformer, SurvivesAnApiServerRestart) {
  const std::string dir = test::live_cluster_dir();
  if (dir.empty()) GTEST_SKIP() << "SPARKPLANE_TEST_KUBE_DIR is not set";
  for (const char* n : {"x", "y", "z"}) {
    client().create(configmaps(), test::configmap(n, {{"v", "1"}}, {{"app", "spark"}}));
  }
  Recorder rec;
  InformerOptions o;
  o.collection = configmaps();
  o.label_selector = "app=spark";
  o.backoff_initial = 200ms;
  o.backoff_max = 2s;
  Informer informer(client(), o, rec.handlers());
  informer.start();
  ASSERT_TRUE(informer.wait_for_sync(20s));
  const int watches_before = informer.watch_count();

  const std::string restart = std::string(SPARKPLANE_SOURCE_DIR) +
                              "/scripts/cluster/restart-apiserver.sh '" + dir + "' >/dev/null";
  ASSERT_EQ(std::system(restart.c_str()), 0) << restart;

  // Changes right after the restart reach the handlers and the cache.
  client().patch(configmaps().named("x"), {{"data", {{"v", "2"}}}});
  client().remove(configmaps().named("y"));
  client().create(configmaps(), test::configmap("w", {{"v", "1"}}, {{"app", "spark"}}));
  ASSERT_TRUE(test::eventually(
      [&] { return rec.saw("update x 1->2") && rec.saw("delete y") && rec.saw("add w"); }, 60s))
      << testing::PrintToString(rec.calls());
  EXPECT_GT(informer.watch_count(), watches_before);
  EXPECT_EQ(informer.get(ns(), "y"), nullptr);
  EXPECT_EQ((*informer.get(ns(), "x"))["data"]["v"], "2");
  EXPECT_EQ(informer.size(), 3u);
  // Nothing was delivered twice or out of order for one object.
  auto calls = rec.calls();
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "delete y"), 1);
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "add w"), 1);
}

}  // namespace
}  // namespace sp::kube
