// KubeStore and KubeRuntime against a real kube-apiserver (see live_cluster.h: skipped unless
// SPARKPLANE_TEST_KUBECONFIG is set; tests/integration/test_operator.py runs them): the Store
// contract of store.h as the API server gives it, reads of one's own writes before the informer
// has them, and submissions that are idempotent by name.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "api/types.h"
#include "common/error.h"
#include "common/yaml.h"
#include "controller/labels.h"
#include "live_cluster.h"
#include "runtime/kube/event_recorder.h"
#include "runtime/kube/kube_runtime.h"
#include "runtime/kube/kube_store.h"

namespace sp::kube::test {
namespace {

using controller::Change;
using controller::kSparkApplications;

void ensure_spark_crds(KubeClient& client) {
  for (const char* file : {"sparkoperator.k8s.io_sparkapplications.yaml",
                           "sparkoperator.k8s.io_scheduledsparkapplications.yaml"}) {
    const std::string path =
        std::string(SPARKPLANE_SOURCE_DIR) + "/deploy/helm/sparkplane/crds/" + file;
    std::ifstream in(path);
    ASSERT_TRUE(in) << path;
    std::stringstream text;
    text << in.rdbuf();
    try {
      client.create(ResourceRef(resources::kCustomResourceDefinitions),
                    parse_yaml_documents(text.str(), path).at(0));
    } catch (const Conflict&) {
      // applied by an earlier test
    }
  }
  ASSERT_TRUE(eventually([&] {
    try {
      client.list(ResourceRef(resources::kSparkApplications, "default"));
      client.list(ResourceRef(resources::kScheduledSparkApplications, "default"));
      return true;
    } catch (const Error&) {
      return false;
    }
  })) << "the SparkApplication CRDs were not served in time";
}

Json spark_app(const std::string& ns, const std::string& name) {
  return {{"apiVersion", api::kApiVersion},
          {"kind", api::kSparkApplicationKind},
          {"metadata", {{"name", name}, {"namespace", ns}, {"labels", {{"team", "a"}}}}},
          {"spec",
           {{"type", "Scala"},
            {"mode", "cluster"},
            {"image", "apache/spark:4.1.1"},
            {"mainClass", "org.apache.spark.examples.SparkPi"},
            {"mainApplicationFile", "local:///opt/spark/examples/jars/spark-examples.jar"},
            {"sparkVersion", "4.1.1"},
            {"driver", {{"cores", 1}, {"memory", "512m"}}},
            {"executor", {{"cores", 1}, {"instances", 1}, {"memory", "512m"}}}}}};
}

class OperatorLive : public LiveTest {
 protected:
  void SetUp() override {
    LiveTest::SetUp();
    if (IsSkipped()) return;
    ensure_spark_crds(client());
    recorder_ = std::make_unique<EventRecorder>(client(), "sparkplane-test");
    KubeStoreOptions o;
    o.namespaces = {ns()};
    store_ = std::make_unique<KubeStore>(client(), *recorder_, o);
    store_->subscribe([this](const Change& c) {
      std::lock_guard lock(mu_);
      changes_.push_back(c);
    });
    store_->start();
    ASSERT_TRUE(eventually([&] { return store_->has_synced(); }));
  }
  void TearDown() override {
    if (store_) store_->stop();
    LiveTest::TearDown();
  }
  bool heard(Change::Type type, const std::string& name) {
    std::lock_guard lock(mu_);
    for (const auto& c : changes_) {
      if (c.type == type && c.name == name && c.namespace_ == ns()) return true;
    }
    return false;
  }

  std::unique_ptr<EventRecorder> recorder_;
  std::unique_ptr<KubeStore> store_;
  std::mutex mu_;
  std::vector<Change> changes_;
};

TEST_F(OperatorLive, StoreContract) {
  KubeStore& s = *store_;
  Json created = s.create(kSparkApplications, spark_app(ns(), "a"));
  EXPECT_FALSE(created["metadata"]["uid"].get<std::string>().empty());
  EXPECT_EQ(created["metadata"]["generation"], 1);
  EXPECT_THROW(s.create(kSparkApplications, spark_app(ns(), "a")), Conflict);
  // Read at once: the store answers its own write even before its informer has it.
  auto got = s.get(kSparkApplications, ns(), "a");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ((*got)["metadata"]["resourceVersion"], created["metadata"]["resourceVersion"]);

  // Optimistic concurrency.
  Json stale = created;
  Json changed = created;
  changed["spec"]["arguments"] = {"5"};
  Json updated = s.update(kSparkApplications, changed);
  EXPECT_EQ(updated["metadata"]["generation"], 2);
  EXPECT_EQ((*s.get(kSparkApplications, ns(), "a"))["spec"]["arguments"][0], "5");
  stale["spec"]["arguments"] = {"6"};
  EXPECT_THROW(s.update(kSparkApplications, stale), Conflict);
  Json no_version = updated;
  no_version["metadata"].erase("resourceVersion");
  EXPECT_THROW(s.update(kSparkApplications, no_version), Conflict);

  // Status through its subresource: spec untouched, generation kept.
  Json with_status = updated;
  with_status["status"] = {{"applicationState", {{"state", "SUBMITTED"}}}};
  with_status["spec"]["arguments"] = {"ignored"};
  Json after = s.update_status(kSparkApplications, with_status);
  EXPECT_EQ(after["status"]["applicationState"]["state"], "SUBMITTED");
  EXPECT_EQ(after["spec"]["arguments"][0], "5");
  EXPECT_EQ((*s.get(kSparkApplications, ns(), "a"))["status"]["applicationState"]["state"],
            "SUBMITTED");
  EXPECT_THROW(s.update_status(kSparkApplications, updated), Conflict);  // stale

  // Lists: namespace and labels; the cache catches up with the writes and subscribers hear.
  s.create(kSparkApplications, spark_app(ns(), "b"));
  EXPECT_EQ(s.list(kSparkApplications, ns()).size(), 2u);
  EXPECT_EQ(s.list(kSparkApplications, ns(), "team=a").size(), 2u);
  EXPECT_TRUE(s.list(kSparkApplications, ns(), "team=b").empty());
  EXPECT_TRUE(s.list(kSparkApplications, "elsewhere").empty());
  EXPECT_TRUE(eventually([&] { return heard(Change::Type::kAdded, "b"); }));
  EXPECT_TRUE(eventually([&] { return heard(Change::Type::kModified, "a"); }));

  // Finalizers hold a deletion; removing the last one deletes.
  Json held = *s.get(kSparkApplications, ns(), "a");
  held["metadata"]["finalizers"] = {controller::kFinalizer};
  held = s.update(kSparkApplications, held);
  s.remove(kSparkApplications, ns(), "a");
  auto deleting = s.get(kSparkApplications, ns(), "a");
  ASSERT_TRUE(deleting.has_value());
  EXPECT_TRUE(deleting->contains("metadata") &&
              (*deleting)["metadata"].contains("deletionTimestamp"));
  Json released = *deleting;
  released["metadata"]["finalizers"] = Json::array();
  s.update(kSparkApplications, released);
  EXPECT_FALSE(s.get(kSparkApplications, ns(), "a").has_value());  // at once
  s.remove(kSparkApplications, ns(), "b");
  EXPECT_FALSE(s.get(kSparkApplications, ns(), "b").has_value());
  EXPECT_THROW(s.remove(kSparkApplications, ns(), "b"), NotFound);
  EXPECT_TRUE(eventually([&] { return heard(Change::Type::kDeleted, "a"); }));
  EXPECT_TRUE(eventually([&] { return s.list(kSparkApplications, ns()).empty(); }));
  EXPECT_FALSE(s.get(kSparkApplications, ns(), "a").has_value());
}

TEST_F(OperatorLive, RuntimeSubmitsOnceByName) {
  // Pods need the namespace's default service account.
  ASSERT_TRUE(eventually([&] {
    return client().find(ResourceRef(resources::kServiceAccounts, ns(), "default")).has_value();
  }));
  Json stored = store_->create(kSparkApplications, spark_app(ns(), "pi"));
  api::SparkApplication app = api::spark_application_from_json(stored);

  KubeRuntimeOptions o;
  o.namespaces = {ns()};
  KubeRuntime runtime(client(), o);
  std::atomic<int> heard_pi{0};
  runtime.subscribe([&](const std::string& key) {
    if (key == ns() + "/pi") ++heard_pi;
  });
  runtime.start();
  ASSERT_TRUE(eventually([&] { return runtime.has_synced(); }));

  auto first = runtime.submit(app, "sub-1");
  ASSERT_TRUE(first.ok) << first.error;
  EXPECT_EQ(first.pod_name, "pi-driver");
  auto again = runtime.submit(app, "sub-1");  // a repeated reconcile, or another replica
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_THROW(runtime.submit(app, "sub-2"), Error);  // the first run's pod is still there
  auto pods = client().list(ResourceRef(resources::kPods, ns()));
  ASSERT_EQ(pods["items"].size(), 1u);
  EXPECT_EQ(pods["items"][0]["metadata"]["labels"][controller::kLabelSubmissionId], "sub-1");
  auto cms = client().list(ResourceRef(resources::kConfigMaps, ns()));
  int properties = 0;
  for (const auto& c : cms["items"]) properties += c["data"].contains("spark.properties") ? 1 : 0;
  EXPECT_EQ(properties, 1);
  EXPECT_TRUE(eventually([&] { return heard_pi.load() > 0; }));

  app.status.submission_id = "sub-1";
  auto obs = runtime.observe(app);
  EXPECT_TRUE(obs.exists);
  EXPECT_EQ(obs.pod_name, "pi-driver");
  EXPECT_FALSE(obs.spark_application_id.empty());
  EXPECT_EQ(obs.web_ui_service_name, "pi-ui-svc");
  EXPECT_EQ(obs.web_ui_port, 4040);
  app.status.submission_id = "sub-other";
  EXPECT_FALSE(runtime.observe(app).exists);  // another submission's pod is not this run's

  app.status.submission_id = "sub-1";
  EXPECT_TRUE(eventually([&] { return runtime.delete_resources(app); }));
  EXPECT_FALSE(client().find(ResourceRef(resources::kPods, ns(), "pi-driver")).has_value());
  EXPECT_FALSE(client().find(ResourceRef(resources::kServices, ns(), "pi-ui-svc")).has_value());
  auto second = runtime.submit(app, "sub-2");
  EXPECT_TRUE(second.ok) << second.error;
  runtime.stop();
}

}  // namespace
}  // namespace sp::kube::test
