// Events recorded on a real API server (see live_cluster.h).
#include <gtest/gtest.h>

#include "live_cluster.h"
#include "runtime/kube/event_recorder.h"

namespace sp::kube {
namespace {

class KubeLiveEvents : public test::LiveTest {
 protected:
  Json events_about(const std::string& name) {
    ListOptions o;
    o.field_selector = "involvedObject.name=" + name;
    return client().list(ResourceRef(resources::kEvents, ns()), o)["items"];
  }
};

TEST_F(KubeLiveEvents, RecordsAndCountsRepeats) {
  Json cm = client().create(configmaps(), test::configmap("app"));
  EventRecorder recorder(client(), "sparkplane", "operator-0");
  recorder.normal(cm, "SparkApplicationSubmitted", "submitted app to the cluster");
  recorder.normal(cm, "SparkApplicationSubmitted", "submitted app to the cluster");
  recorder.normal(cm, "SparkApplicationSubmitted", "submitted app to the cluster");
  recorder.warning(cm, "SparkApplicationFailed", "driver exited with code 1");
  recorder.flush();

  Json events = events_about("app");
  ASSERT_EQ(events.size(), 2u) << events.dump();
  const Json* submitted = nullptr;
  const Json* failed = nullptr;
  for (const auto& e : events)
    (e["reason"] == "SparkApplicationSubmitted" ? submitted : failed) = &e;
  ASSERT_NE(submitted, nullptr);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ((*submitted)["count"], 3);
  EXPECT_EQ((*submitted)["type"], "Normal");
  EXPECT_EQ((*submitted)["message"], "submitted app to the cluster");
  EXPECT_EQ((*submitted)["source"]["component"], "sparkplane");
  EXPECT_EQ((*submitted)["source"]["host"], "operator-0");
  EXPECT_EQ((*submitted)["involvedObject"]["kind"], "ConfigMap");
  EXPECT_EQ((*submitted)["involvedObject"]["uid"], cm["metadata"]["uid"]);
  EXPECT_FALSE((*submitted)["firstTimestamp"].get<std::string>().empty());
  EXPECT_EQ((*failed)["type"], "Warning");
  EXPECT_EQ((*failed)["count"], 1);
}

TEST_F(KubeLiveEvents, RecreatesAnEventThatExpired) {
  Json cm = client().create(configmaps(), test::configmap("exp"));
  EventRecorder recorder(client());
  recorder.normal(cm, "Tick", "tick");
  recorder.flush();
  Json first = events_about("exp");
  ASSERT_EQ(first.size(), 1u);
  client().remove(ResourceRef(resources::kEvents, ns(), first[0]["metadata"]["name"]));
  recorder.normal(cm, "Tick", "tick");  // the patch finds nothing: a new Event
  recorder.flush();
  Json second = events_about("exp");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0]["count"], 1);
}

TEST_F(KubeLiveEvents, FailuresAreNotThrown) {
  EventRecorder recorder(client());
  ObjectReference nowhere{"v1", "ConfigMap", "no-such-namespace-xyz", "x", "", ""};
  EXPECT_NO_THROW(recorder.record(nowhere, EventType::Normal, "Tick", "tick"));
  recorder.flush();  // the write failed, and was logged
}

}  // namespace
}  // namespace sp::kube
