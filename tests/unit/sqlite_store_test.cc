// Tests for runtime/local/sqlite_store.h: Kubernetes API semantics, events, notifications,
// persistence, concurrency and crash safety of the embedded store.
#include "runtime/local/sqlite_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

#include "common/error.h"
#include "common/time_format.h"
#include "common/uuid.h"
#include "runtime/local/label_selector.h"
#include "store_test_util.h"

namespace sp::local {
namespace {

using controller::Change;
using controller::kScheduledSparkApplications;
using controller::kSparkApplications;
using testing::TempDir;

const Time kStart = Time(std::chrono::seconds(1'800'000'000));

Json app(const std::string& name, const std::string& ns = "default", Json labels = nullptr) {
  Json j = {{"apiVersion", "sparkoperator.k8s.io/v1beta2"},
            {"kind", "SparkApplication"},
            {"metadata", {{"name", name}, {"namespace", ns}}},
            {"spec",
             {{"type", "Scala"},
              {"mode", "cluster"},
              {"mainClass", "org.apache.spark.examples.SparkPi"},
              {"driver", {{"cores", 1}, {"memory", "512m"}}}}}};
  if (!labels.is_null()) j["metadata"]["labels"] = labels;
  return j;
}

std::string what(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  SqliteStoreTest() : db_(std::make_unique<Database>(tmp_.state())), store_(*db_, clock_) {
    store_.subscribe([this](const Change& c) {
      std::lock_guard lock(changes_mu_);
      changes_.push_back(c);
    });
  }

  std::vector<Change> take_changes() {
    std::lock_guard lock(changes_mu_);
    return std::exchange(changes_, {});
  }

  TempDir tmp_;
  FakeClock clock_{kStart};
  std::unique_ptr<Database> db_;
  SqliteStore store_;
  std::mutex changes_mu_;
  std::vector<Change> changes_;
};

TEST_F(SqliteStoreTest, CreateAssignsServerFieldsAndDropsStatus) {
  Json in = app("pi");
  in["metadata"].erase("namespace");
  in["status"] = {{"applicationState", {{"state", "COMPLETED"}}}};
  in["metadata"]["uid"] = "caller-uid";
  in["metadata"]["resourceVersion"] = "999";
  const Json out = store_.create(kSparkApplications, in);
  const Json& m = out["metadata"];
  EXPECT_TRUE(is_uuid(m["uid"].get<std::string>()));
  EXPECT_EQ(m["uid"].get<std::string>()[14], '4');
  EXPECT_EQ(m["resourceVersion"], "1");
  EXPECT_EQ(m["generation"], 1);
  EXPECT_EQ(m["creationTimestamp"], format_rfc3339(kStart));
  EXPECT_EQ(m["namespace"], "default");
  EXPECT_FALSE(out.contains("status"));
  EXPECT_EQ(out["spec"], in["spec"]);
  EXPECT_EQ(store_.get(kSparkApplications, "default", "pi"), out);
  EXPECT_EQ(store_.get(kSparkApplications, "default", "nope"), std::nullopt);
  EXPECT_EQ(store_.get(kScheduledSparkApplications, "default", "pi"), std::nullopt);
}

TEST_F(SqliteStoreTest, CreateConflictsOnATakenNameOnlyInTheSameResourceAndNamespace) {
  store_.create(kSparkApplications, app("x"));
  EXPECT_EQ(what([&] { store_.create(kSparkApplications, app("x")); }),
            "sparkapplications \"x\" already exists");
  EXPECT_THROW(store_.create(kSparkApplications, app("x")), Conflict);
  EXPECT_NO_THROW(store_.create(kSparkApplications, app("x", "other")));
  EXPECT_NO_THROW(store_.create(kScheduledSparkApplications, app("x")));
}

TEST_F(SqliteStoreTest, CreateNeedsANameOrGenerateName) {
  Json nameless = app("");
  EXPECT_THROW(store_.create(kSparkApplications, nameless), Invalid);
  EXPECT_THROW(store_.create(kSparkApplications, Json::array()), Invalid);
  nameless["metadata"]["generateName"] = "pi-";
  const Json a = store_.create(kSparkApplications, nameless);
  const Json b = store_.create(kSparkApplications, nameless);
  const std::string na = a["metadata"]["name"], nb = b["metadata"]["name"];
  EXPECT_EQ(na.rfind("pi-", 0), 0u);
  EXPECT_EQ(na.size(), 8u);
  EXPECT_NE(na, nb);
}

TEST_F(SqliteStoreTest, ResourceVersionIsGlobalAndIncreasing) {
  const Json a = store_.create(kSparkApplications, app("a"));
  const Json b = store_.create(kScheduledSparkApplications, app("b"));
  Json a2 = a;
  a2["metadata"]["labels"] = {{"k", "v"}};
  const Json a3 = store_.update(kSparkApplications, a2);
  EXPECT_EQ(a["metadata"]["resourceVersion"], "1");
  EXPECT_EQ(b["metadata"]["resourceVersion"], "2");
  EXPECT_EQ(a3["metadata"]["resourceVersion"], "3");
}

TEST_F(SqliteStoreTest, UpdateBumpsGenerationOnlyWhenSpecChanges) {
  Json obj = store_.create(kSparkApplications, app("pi"));
  obj["metadata"]["labels"] = {{"team", "data"}};
  obj["metadata"]["annotations"] = {{"note", "x"}};
  obj = store_.update(kSparkApplications, obj);
  EXPECT_EQ(obj["metadata"]["generation"], 1);
  EXPECT_EQ(obj["metadata"]["labels"]["team"], "data");
  EXPECT_EQ(obj["metadata"]["resourceVersion"], "2");

  // The same spec with its keys in another order is the same spec.
  Json reordered = obj;
  reordered["spec"] = Json::object();
  for (auto it = obj["spec"].rbegin(); it != obj["spec"].rend(); ++it) {
    reordered["spec"][it.key()] = *it;
  }
  ASSERT_NE(reordered["spec"].dump(), obj["spec"].dump());
  EXPECT_EQ(store_.update(kSparkApplications, reordered)["metadata"]["generation"], 1);

  obj["spec"]["driver"]["cores"] = 2;
  obj = store_.update(kSparkApplications, obj);
  EXPECT_EQ(obj["metadata"]["generation"], 2);
  EXPECT_EQ(store_.get(kSparkApplications, "default", "pi")->at("spec")["driver"]["cores"], 2);
}

TEST_F(SqliteStoreTest, UpdateKeepsStoredStatusAndServerFields) {
  Json obj = store_.create(kSparkApplications, app("pi"));
  Json with_status = obj;
  with_status["status"] = {{"applicationState", {{"state", "RUNNING"}}}};
  obj = store_.update_status(kSparkApplications, with_status);

  Json edit = obj;
  edit["status"] = {{"applicationState", {{"state", "COMPLETED"}}}};
  edit["metadata"]["uid"] = "forged";
  edit["metadata"]["generation"] = 42;
  edit["metadata"]["creationTimestamp"] = "2000-01-01T00:00:00Z";
  edit["metadata"]["deletionTimestamp"] = "2000-01-01T00:00:00Z";
  edit["spec"]["arguments"] = {"1000"};
  const Json out = store_.update(kSparkApplications, edit);
  EXPECT_EQ(out["status"]["applicationState"]["state"], "RUNNING");
  EXPECT_EQ(out["metadata"]["uid"], obj["metadata"]["uid"]);
  EXPECT_EQ(out["metadata"]["generation"], 2);
  EXPECT_EQ(out["metadata"]["creationTimestamp"], obj["metadata"]["creationTimestamp"]);
  EXPECT_FALSE(out["metadata"].contains("deletionTimestamp"));
  EXPECT_EQ(out["spec"]["arguments"][0], "1000");
  EXPECT_EQ(store_.get(kSparkApplications, "default", "pi"), out);
}

TEST_F(SqliteStoreTest, UpdateNeedsTheCurrentResourceVersion) {
  const Json v1 = store_.create(kSparkApplications, app("pi"));
  Json v2 = v1;
  v2["spec"]["driver"]["cores"] = 2;
  v2 = store_.update(kSparkApplications, v2);

  Json stale = v1;
  stale["spec"]["driver"]["cores"] = 3;
  EXPECT_EQ(what([&] { store_.update(kSparkApplications, stale); }),
            "Operation cannot be fulfilled on sparkapplications \"pi\": the object has been "
            "modified; please apply your changes to the latest version and try again");
  EXPECT_THROW(store_.update(kSparkApplications, stale), Conflict);
  EXPECT_THROW(store_.update_status(kSparkApplications, stale), Conflict);

  Json unversioned = v2;
  unversioned["metadata"].erase("resourceVersion");
  EXPECT_THROW(store_.update(kSparkApplications, unversioned), Conflict);
  EXPECT_THROW(store_.update_status(kSparkApplications, unversioned), Conflict);
  unversioned["metadata"]["resourceVersion"] = "";
  EXPECT_THROW(store_.update(kSparkApplications, unversioned), Conflict);

  Json missing = app("ghost");
  missing["metadata"]["resourceVersion"] = "1";
  EXPECT_EQ(what([&] { store_.update(kSparkApplications, missing); }),
            "sparkapplications \"ghost\" not found");
  EXPECT_THROW(store_.update(kSparkApplications, missing), NotFound);
  EXPECT_THROW(store_.update_status(kSparkApplications, missing), NotFound);
  EXPECT_EQ(store_.get(kSparkApplications, "default", "pi"), v2);
}

TEST_F(SqliteStoreTest, UpdateStatusReplacesOnlyStatus) {
  const Json obj = store_.create(kSparkApplications, app("pi"));
  Json edit = obj;
  edit["status"] = {{"applicationState", {{"state", "SUBMITTED"}}}, {"submissionAttempts", 1}};
  edit["spec"]["driver"]["cores"] = 8;
  edit["metadata"]["labels"] = {{"sneaky", "yes"}};
  const Json out = store_.update_status(kSparkApplications, edit);
  EXPECT_EQ(out["status"], edit["status"]);
  EXPECT_EQ(out["spec"], obj["spec"]);
  EXPECT_FALSE(out["metadata"].contains("labels"));
  EXPECT_EQ(out["metadata"]["generation"], 1);
  EXPECT_EQ(out["metadata"]["resourceVersion"], "2");
  EXPECT_EQ(store_.get(kSparkApplications, "default", "pi"), out);
}

TEST_F(SqliteStoreTest, WritesThatChangeNothingKeepTheVersionAndNotifyNoOne) {
  const Json obj = store_.create(kSparkApplications, app("pi"));
  take_changes();
  EXPECT_EQ(store_.update(kSparkApplications, obj), obj);
  EXPECT_EQ(store_.update_status(kSparkApplications, obj), obj);
  EXPECT_TRUE(take_changes().empty());
}

TEST_F(SqliteStoreTest, RemoveWithoutFinalizersDeletes) {
  store_.create(kSparkApplications, app("pi"));
  store_.remove(kSparkApplications, "default", "pi");
  EXPECT_EQ(store_.get(kSparkApplications, "default", "pi"), std::nullopt);
  EXPECT_EQ(what([&] { store_.remove(kSparkApplications, "default", "pi"); }),
            "sparkapplications \"pi\" not found");
  EXPECT_THROW(store_.remove(kSparkApplications, "default", "pi"), NotFound);
  EXPECT_NO_THROW(store_.create(kSparkApplications, app("pi")));  // the name is free again
}

TEST_F(SqliteStoreTest, FinalizersHoldDeletionUntilTheLastIsRemoved) {
  Json in = app("pi");
  in["metadata"]["finalizers"] = {"sparkplane.io/driver", "other/cleanup"};
  store_.create(kSparkApplications, in);
  clock_.advance(seconds(30));
  take_changes();

  store_.remove(kSparkApplications, "default", "pi");
  Json obj = *store_.get(kSparkApplications, "default", "pi");
  EXPECT_EQ(obj["metadata"]["deletionTimestamp"], format_rfc3339(kStart + seconds(30)));
  EXPECT_EQ(obj["metadata"]["resourceVersion"], "2");

  clock_.advance(seconds(30));
  store_.remove(kSparkApplications, "default", "pi");  // again: nothing changes
  EXPECT_EQ(store_.get(kSparkApplications, "default", "pi"), obj);

  Json more = obj;
  more["metadata"]["finalizers"].push_back("late/addition");
  EXPECT_THROW(store_.update(kSparkApplications, more), Invalid);

  Json fewer = obj;
  fewer["metadata"]["finalizers"] = {"other/cleanup"};
  fewer["metadata"].erase("deletionTimestamp");  // the caller cannot undo the deletion
  obj = store_.update(kSparkApplications, fewer);
  EXPECT_EQ(obj["metadata"]["deletionTimestamp"], format_rfc3339(kStart + seconds(30)));
  Json status = obj;
  status["status"] = {{"applicationState", {{"state", "COMPLETED"}}}};
  obj = store_.update_status(kSparkApplications, status);  // status still writable meanwhile

  obj["metadata"].erase("finalizers");
  const Json last = store_.update(kSparkApplications, obj);
  EXPECT_EQ(store_.get(kSparkApplications, "default", "pi"), std::nullopt);
  EXPECT_EQ(last["metadata"]["name"], "pi");

  const auto changes = take_changes();
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].type, Change::Type::kModified);  // deletionTimestamp set
  EXPECT_EQ(changes[1].type, Change::Type::kModified);  // one finalizer removed
  EXPECT_EQ(changes[2].type, Change::Type::kModified);  // status
  EXPECT_EQ(changes[3].type, Change::Type::kDeleted);
}

TEST_F(SqliteStoreTest, ListFiltersByNamespaceAndLabelsInNameOrder) {
  store_.create(kSparkApplications, app("b", "ns1", {{"app", "pi"}, {"tier", "batch"}}));
  store_.create(kSparkApplications, app("a", "ns1", {{"app", "pi"}}));
  store_.create(kSparkApplications, app("c", "ns2", {{"app", "wordcount"}}));
  store_.create(kScheduledSparkApplications, app("z", "ns1", {{"app", "pi"}}));

  auto names = [](const std::vector<Json>& objs) {
    std::vector<std::string> out;
    for (const auto& o : objs) {
      out.push_back(o["metadata"]["namespace"].get<std::string>() + "/" +
                    o["metadata"]["name"].get<std::string>());
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(store_.list(kSparkApplications, "")), (V{"ns1/a", "ns1/b", "ns2/c"}));
  EXPECT_EQ(names(store_.list(kSparkApplications, "ns1")), (V{"ns1/a", "ns1/b"}));
  EXPECT_EQ(names(store_.list(kSparkApplications, "ns3")), V{});
  EXPECT_EQ(names(store_.list(kSparkApplications, "", "app=pi")), (V{"ns1/a", "ns1/b"}));
  EXPECT_EQ(names(store_.list(kSparkApplications, "", "app=pi,tier=batch")), (V{"ns1/b"}));
  EXPECT_EQ(names(store_.list(kSparkApplications, "", "app==pi, tier != batch")), (V{"ns1/a"}));
  EXPECT_EQ(names(store_.list(kSparkApplications, "", "tier")), (V{"ns1/b"}));
  EXPECT_EQ(names(store_.list(kSparkApplications, "", "!tier")), (V{"ns1/a", "ns2/c"}));
  EXPECT_EQ(names(store_.list(kSparkApplications, "ns2", "app=pi")), V{});
  EXPECT_EQ(names(store_.list(kScheduledSparkApplications, "", "app=pi")), (V{"ns1/z"}));
  EXPECT_THROW(store_.list(kSparkApplications, "", "app in (pi)"), Invalid);
}

TEST(SqliteStoreLabelSelector, ParsesEqualityTermsAndRefusesOthers) {
  const auto reqs = parse_label_selector("a=b, c==d,e!=f,g,!h,sparkoperator.k8s.io/app-name=x");
  ASSERT_EQ(reqs.size(), 6u);
  EXPECT_EQ(reqs[0].op, LabelRequirement::Op::kEquals);
  EXPECT_EQ(reqs[1].key, "c");
  EXPECT_EQ(reqs[1].value, "d");
  EXPECT_EQ(reqs[2].op, LabelRequirement::Op::kNotEquals);
  EXPECT_EQ(reqs[3].op, LabelRequirement::Op::kExists);
  EXPECT_EQ(reqs[4].op, LabelRequirement::Op::kNotExists);
  EXPECT_EQ(reqs[4].key, "h");
  EXPECT_EQ(reqs[5].key, "sparkoperator.k8s.io/app-name");
  EXPECT_TRUE(parse_label_selector("").empty());
  EXPECT_TRUE(parse_label_selector("  ").empty());
  EXPECT_EQ(parse_label_selector("a=")[0].value, "");
  EXPECT_THROW(parse_label_selector("a=b,"), Invalid);
  EXPECT_THROW(parse_label_selector("=b"), Invalid);
  EXPECT_THROW(parse_label_selector("a=b=c"), Invalid);
  EXPECT_THROW(parse_label_selector("a b=c"), Invalid);
  EXPECT_THROW(parse_label_selector("a notin (b)"), Invalid);
  EXPECT_EQ(what([] { parse_label_selector("a=b,,c"); }),
            "label selector \"a=b,,c\": term \"\" is empty");
}

TEST(SqliteStoreLabelSelector, MatchesAsKubernetesDoes) {
  const Json labels = {{"app", "pi"}, {"tier", "batch"}};
  EXPECT_TRUE(labels_match(parse_label_selector("app=pi"), labels));
  EXPECT_FALSE(labels_match(parse_label_selector("app=wc"), labels));
  EXPECT_TRUE(labels_match(parse_label_selector("missing!=x"), labels));
  EXPECT_FALSE(labels_match(parse_label_selector("missing=x"), Json()));
  EXPECT_TRUE(labels_match(parse_label_selector("!missing"), Json()));
  EXPECT_TRUE(labels_match({}, Json()));
}

TEST_F(SqliteStoreTest, EventsAggregateRepeatsAndComeNewestLast) {
  const Json obj = store_.create(kSparkApplications, app("pi", "ns"));
  const controller::ObjectRef ref{kSparkApplications, "ns", "pi", ""};
  store_.record_event({ref, "Normal", "SparkApplicationSubmitted", "submitted"});
  clock_.advance(seconds(5));
  store_.record_event({ref, "Warning", "SparkDriverFailed", "driver exited with code 1"});
  clock_.advance(seconds(5));
  store_.record_event({ref, "Normal", "SparkApplicationSubmitted", "submitted"});
  store_.record_event({{kSparkApplications, "ns", "other", ""}, "Normal", "X", "y"});
  store_.record_event({{kSparkApplications, "ns2", "pi", ""}, "Normal", "X", "y"});

  const auto events = store_.list_events("ns", "pi");
  ASSERT_EQ(events.size(), 2u);
  const Json& failed = events[0];
  const Json& submitted = events[1];  // its repeat made it the newest
  EXPECT_EQ(failed["type"], "Warning");
  EXPECT_EQ(failed["count"], 1);
  EXPECT_EQ(submitted["apiVersion"], "v1");
  EXPECT_EQ(submitted["kind"], "Event");
  EXPECT_EQ(submitted["reason"], "SparkApplicationSubmitted");
  EXPECT_EQ(submitted["message"], "submitted");
  EXPECT_EQ(submitted["type"], "Normal");
  EXPECT_EQ(submitted["count"], 2);
  EXPECT_EQ(submitted["firstTimestamp"], format_rfc3339(kStart));
  EXPECT_EQ(submitted["lastTimestamp"], format_rfc3339(kStart + seconds(10)));
  EXPECT_EQ(submitted["metadata"]["namespace"], "ns");
  EXPECT_EQ(submitted["metadata"]["name"].get<std::string>().rfind("pi.", 0), 0u);
  EXPECT_TRUE(is_uuid(submitted["metadata"]["uid"].get<std::string>()));
  const Json& involved = submitted["involvedObject"];
  EXPECT_EQ(involved["apiVersion"], "sparkoperator.k8s.io/v1beta2");
  EXPECT_EQ(involved["kind"], "SparkApplication");
  EXPECT_EQ(involved["name"], "pi");
  EXPECT_EQ(involved["namespace"], "ns");
  EXPECT_EQ(involved["uid"], obj["metadata"]["uid"]);  // filled in from the store

  EXPECT_EQ(store_.list_events("ns", "").size(), 3u);
  EXPECT_EQ(store_.list_events("", "pi").size(), 3u);
  EXPECT_EQ(store_.list_events("", "").size(), 4u);
  EXPECT_TRUE(store_.list_events("nowhere", "").empty());
}

TEST_F(SqliteStoreTest, EventsKeepTheNewestHundredPerObject) {
  store_.create(kSparkApplications, app("pi"));
  store_.create(kSparkApplications, app("other"));
  const controller::ObjectRef ref{kSparkApplications, "default", "pi", ""};
  store_.record_event({{kSparkApplications, "default", "other", ""}, "Normal", "Kept", "k"});
  for (int i = 0; i < 150; ++i) {
    store_.record_event({ref, "Normal", "Tick", "tick " + std::to_string(i)});
  }
  const auto events = store_.list_events("default", "pi");
  ASSERT_EQ(events.size(), 100u);
  EXPECT_EQ(events.front()["message"], "tick 50");
  EXPECT_EQ(events.back()["message"], "tick 149");
  EXPECT_EQ(store_.list_events("default", "other").size(), 1u);
}

TEST_F(SqliteStoreTest, EventsOfDeletedObjectsExpireAfterAnHour) {
  store_.create(kSparkApplications, app("live"));
  store_.create(kSparkApplications, app("gone"));
  store_.record_event({{kSparkApplications, "default", "live", ""}, "Normal", "A", "a"});
  store_.record_event({{kSparkApplications, "default", "gone", ""}, "Normal", "B", "b"});
  store_.remove(kSparkApplications, "default", "gone");
  clock_.advance(std::chrono::minutes(30));
  store_.record_event({{kSparkApplications, "default", "live", ""}, "Normal", "C", "c"});
  EXPECT_EQ(store_.list_events("default", "gone").size(), 1u);  // still within the hour
  clock_.advance(std::chrono::minutes(31));
  store_.record_event({{kSparkApplications, "default", "live", ""}, "Normal", "D", "d"});
  EXPECT_TRUE(store_.list_events("default", "gone").empty());
  EXPECT_EQ(store_.list_events("default", "live").size(), 3u);
}

TEST_F(SqliteStoreTest, SubscribersHearEveryCommitAfterTheLockIsReleased) {
  std::vector<std::string> seen;
  store_.subscribe([&](const Change& c) {
    // Reading the store from the callback would deadlock if it ran under the store's lock.
    const auto obj = store_.get(c.resource, c.namespace_, c.name);
    seen.push_back(c.name + (obj ? ":present" : ":absent"));
  });
  Json obj = store_.create(kSparkApplications, app("pi", "ns"));
  obj["spec"]["driver"]["cores"] = 4;
  obj = store_.update(kSparkApplications, obj);
  obj["status"] = {{"applicationState", {{"state", "RUNNING"}}}};
  store_.update_status(kSparkApplications, obj);
  store_.remove(kSparkApplications, "ns", "pi");
  EXPECT_THROW(store_.remove(kSparkApplications, "ns", "pi"), NotFound);  // no change, no call

  const auto changes = take_changes();
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].type, Change::Type::kAdded);
  EXPECT_EQ(changes[1].type, Change::Type::kModified);
  EXPECT_EQ(changes[2].type, Change::Type::kModified);
  EXPECT_EQ(changes[3].type, Change::Type::kDeleted);
  for (const auto& c : changes) {
    EXPECT_EQ(c.resource, kSparkApplications);
    EXPECT_EQ(c.namespace_, "ns");
    EXPECT_EQ(c.name, "pi");
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"pi:present", "pi:present", "pi:present", "pi:absent"}));
}

TEST_F(SqliteStoreTest, EverythingSurvivesAReopen) {
  Json obj = store_.create(kSparkApplications, app("pi", "ns", {{"app", "pi"}}));
  obj["status"] = {{"applicationState", {{"state", "COMPLETED"}}}};
  obj = store_.update_status(kSparkApplications, obj);
  store_.record_event({{kSparkApplications, "ns", "pi", ""}, "Normal", "Done", "done"});
  const auto events = store_.list_events("ns", "pi");

  db_.reset();
  Database reopened(tmp_.state());
  SqliteStore store(reopened, clock_);
  EXPECT_EQ(store.get(kSparkApplications, "ns", "pi"), obj);
  EXPECT_EQ(store.list(kSparkApplications, "", "app=pi").size(), 1u);
  EXPECT_EQ(store.list_events("ns", "pi"), events);
  const Json next = store.create(kSparkApplications, app("pi2"));
  EXPECT_GT(std::stoll(next["metadata"]["resourceVersion"].get<std::string>()),
            std::stoll(events[0]["metadata"]["resourceVersion"].get<std::string>()));
}

TEST_F(SqliteStoreTest, ConcurrentWritersAndReadersStayConsistent) {
  constexpr int kThreads = 4, kPerThread = 25;
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  store_.create(kSparkApplications, app("shared"));
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        store_.create(kSparkApplications, app("t" + std::to_string(t) + "-" + std::to_string(i)));
        Json shared = *store_.get(kSparkApplications, "default", "shared");
        shared["metadata"]["labels"] = {{"writer", std::to_string(t) + "-" + std::to_string(i)}};
        try {
          store_.update(kSparkApplications, shared);
        } catch (const Conflict&) {
          ++conflicts;
        }
        store_.list(kSparkApplications, "default");
        store_.record_event({{kSparkApplications, "default", "shared", ""}, "Normal", "W", "w"});
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto all = store_.list(kSparkApplications, "");
  EXPECT_EQ(all.size(), 1u + kThreads * kPerThread);
  std::set<std::string> versions, uids;
  for (const auto& o : all) {
    versions.insert(o["metadata"]["resourceVersion"].get<std::string>());
    uids.insert(o["metadata"]["uid"].get<std::string>());
  }
  EXPECT_EQ(versions.size(), all.size());
  EXPECT_EQ(uids.size(), all.size());
  const auto events = store_.list_events("default", "shared");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["count"], kThreads * kPerThread);
  // Every update either won or was told to retry.
  EXPECT_LE(conflicts.load(), kThreads * kPerThread);
}

TEST_F(SqliteStoreTest, ThousandCreatesThenListAll) {
  for (int i = 0; i < 1000; ++i) {
    store_.create(kSparkApplications, app("app-" + std::to_string(i), "ns" + std::to_string(i % 4),
                                          {{"shard", std::to_string(i % 10)}}));
  }
  EXPECT_EQ(store_.list(kSparkApplications, "").size(), 1000u);
  EXPECT_EQ(store_.list(kSparkApplications, "ns1").size(), 250u);
  EXPECT_EQ(store_.list(kSparkApplications, "", "shard=3").size(), 100u);
}

// A writer killed with SIGKILL at an arbitrary point loses nothing it reported as committed,
// and the database it leaves behind opens clean.
TEST(SqliteStoreCrash, KilledWriterLosesNoCommittedObject) {
  TempDir tmp;
  std::set<int> committed;
  int next = 0;
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      try {
        Database db(tmp.state());
        SystemClock clock;
        SqliteStore store(db, clock);
        for (int i = next;; ++i) {
          Json obj = app("obj-" + std::to_string(i));
          obj["spec"]["arguments"] = {std::string(2000, 'x'), std::to_string(i)};
          Json created = store.create(kSparkApplications, obj);
          created["status"] = {{"attempt", i}};
          store.update_status(kSparkApplications, created);
          if (::write(fds[1], &i, sizeof(i)) != sizeof(i)) ::_exit(3);
        }
      } catch (...) {
        ::_exit(2);
      }
    }
    ::close(fds[1]);
    int reported = 0, value = 0;
    while (reported < 40 + 25 * round && ::read(fds[0], &value, sizeof(value)) == sizeof(value)) {
      committed.insert(value);
      ++reported;
    }
    ASSERT_EQ(reported, 40 + 25 * round) << "the writer stopped early";
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status));
    while (::read(fds[0], &value, sizeof(value)) == sizeof(value)) committed.insert(value);
    ::close(fds[0]);

    Database db(tmp.state());  // runs quick_check; throws if the file were damaged
    auto check = db.prepare("PRAGMA quick_check");
    ASSERT_TRUE(check.step());
    EXPECT_EQ(check.text(0), "ok");
    FakeClock clock(kStart);
    SqliteStore store(db, clock);
    for (int i : committed) {
      const auto obj = store.get(kSparkApplications, "default", "obj-" + std::to_string(i));
      ASSERT_TRUE(obj.has_value()) << "lost committed object " << i;
      EXPECT_EQ((*obj)["spec"]["arguments"][1], std::to_string(i));
      EXPECT_EQ((*obj)["status"]["attempt"], i);
    }
    next = static_cast<int>(store.list(kSparkApplications, "").size()) + 1000 * (round + 1);
  }
  EXPECT_GE(committed.size(), 40u + 65u + 90u);
}

}  // namespace
}  // namespace sp::local
