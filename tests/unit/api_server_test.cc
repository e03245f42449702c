// The embedded API server over a real SqliteStore, through the libcurl client.
#include "runtime/local/api_server.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "common/http_client.h"
#include "runtime/local/database.h"
#include "runtime/local/sqlite_store.h"

namespace sp::local {
namespace {

namespace fs = std::filesystem;

const char* kApps = "/apis/sparkoperator.k8s.io/v1beta2/namespaces/default/sparkapplications";
const char* kScheduled =
    "/apis/sparkoperator.k8s.io/v1beta2/namespaces/default/scheduledsparkapplications";

Json app(const std::string& name) {
  return Json::parse(R"({
    "apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
    "metadata": {"name": ")" +
                     name + R"(", "labels": {"team": "a"}},
    "spec": {"type": "Scala", "mode": "cluster", "sparkVersion": "3.5.1",
             "mainClass": "org.apache.spark.examples.SparkPi",
             "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
             "driver": {"cores": 1, "memory": "512m"},
             "executor": {"instances": 1, "cores": 1, "memory": "512m"}}
  })");
}

class FakeLogs : public LogSource {
 public:
  std::vector<LogAttempt> attempts(const std::string&, const std::string& name) override {
    if (name != "spark-pi") return {};
    return attempts_;
  }
  std::vector<LogAttempt> attempts_;
};

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("sp-api-test-" + std::to_string(rd()));
    db_ = std::make_unique<Database>(dir_ / "state");
    store_ = std::make_unique<SqliteStore>(*db_, clock_);
    server_ = std::make_unique<ApiServer>(
        *store_,
        [this](const std::string& ns, const std::string& name) {
          return store_->list_events(ns, name);
        },
        logs_, [] { return std::string("sparkplane_up 1\n"); });
    int port = server_->bind("127.0.0.1", 0);
    server_->start();
    client_ = std::make_unique<HttpClient>("http://127.0.0.1:" + std::to_string(port));
  }
  void TearDown() override {
    client_.reset();  // closes the kept-alive connection, so stop() need not wait for it
    server_->stop();
    server_.reset();
    store_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  Json create(const Json& obj, long expect = 201) {
    auto r = client_->post(kApps, obj.dump());
    EXPECT_EQ(r.status, expect) << r.body;
    return Json::parse(r.body);
  }

  SystemClock clock_;
  fs::path dir_;
  FakeLogs logs_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(ApiServerTest, CreatesGetsAndListsApplications) {
  Json created = create(app("spark-pi"));
  EXPECT_EQ(created["metadata"]["namespace"], "default");
  EXPECT_EQ(created["metadata"]["generation"], 1);
  EXPECT_FALSE(created["metadata"]["uid"].get<std::string>().empty());
  // The stored spec stays as sent: no defaults written.
  EXPECT_FALSE(created["spec"].contains("restartPolicy"));

  auto got = client_->get(std::string(kApps) + "/spark-pi");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Json::parse(got.body)["spec"]["mainClass"], "org.apache.spark.examples.SparkPi");

  create(app("other"));
  auto list = client_->get(kApps);
  ASSERT_EQ(list.status, 200);
  Json body = Json::parse(list.body);
  EXPECT_EQ(body["kind"], "SparkApplicationList");
  EXPECT_EQ(body["apiVersion"], "sparkoperator.k8s.io/v1beta2");
  EXPECT_EQ(body["items"].size(), 2u);
  EXPECT_FALSE(body["metadata"]["resourceVersion"].get<std::string>().empty());

  auto all = client_->get("/apis/sparkoperator.k8s.io/v1beta2/sparkapplications");
  EXPECT_EQ(Json::parse(all.body)["items"].size(), 2u);
  auto other_ns =
      client_->get("/apis/sparkoperator.k8s.io/v1beta2/namespaces/prod/sparkapplications");
  EXPECT_EQ(Json::parse(other_ns.body)["items"].size(), 0u);
}

TEST_F(ApiServerTest, ListFiltersByLabelSelector) {
  create(app("a1"));
  Json b = app("b1");
  b["metadata"]["labels"]["team"] = "b";
  create(b);
  auto r = client_->get(std::string(kApps) + "?labelSelector=" + url_encode("team=b"));
  ASSERT_EQ(r.status, 200) << r.body;
  Json items = Json::parse(r.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["metadata"]["name"], "b1");
}

TEST_F(ApiServerTest, CreateTwiceIsAlreadyExists) {
  create(app("spark-pi"));
  Json s = create(app("spark-pi"), 409);
  EXPECT_EQ(s["kind"], "Status");
  EXPECT_EQ(s["apiVersion"], "v1");
  EXPECT_EQ(s["status"], "Failure");
  EXPECT_EQ(s["reason"], "AlreadyExists");
  EXPECT_EQ(s["code"], 409);
  EXPECT_EQ(s["message"], "sparkapplications.sparkoperator.k8s.io \"spark-pi\" already exists");
}

TEST_F(ApiServerTest, MissingObjectIsNotFoundStatus) {
  auto r = client_->get(std::string(kApps) + "/nope");
  EXPECT_EQ(r.status, 404);
  Json s = Json::parse(r.body);
  EXPECT_EQ(s["reason"], "NotFound");
  EXPECT_EQ(s["code"], 404);
  EXPECT_EQ(s["message"], "sparkapplications.sparkoperator.k8s.io \"nope\" not found");
  EXPECT_EQ(client_->del(std::string(kApps) + "/nope").status, 404);
  EXPECT_EQ(client_->get("/apis/sparkoperator.k8s.io/v1beta2/namespaces/default/pods").status, 404);
}

TEST_F(ApiServerTest, InvalidSpecIs422WithCauses) {
  Json bad = app("bad");
  bad["spec"]["driver"]["cores"] = -1;
  bad["spec"]["type"] = "Cobol";
  Json s = create(bad, 422);
  EXPECT_EQ(s["kind"], "Status");
  EXPECT_EQ(s["reason"], "Invalid");
  EXPECT_EQ(s["code"], 422);
  ASSERT_GE(s["details"]["causes"].size(), 2u) << s.dump();
  std::string fields;
  for (const auto& c : s["details"]["causes"]) fields += c["field"].get<std::string>() + " ";
  EXPECT_NE(fields.find("spec.driver.cores"), std::string::npos) << fields;
  EXPECT_NE(fields.find("spec.type"), std::string::npos) << fields;
  EXPECT_EQ(client_->get(std::string(kApps) + "/bad").status, 404);

  Json wrong_type = app("bad2");
  wrong_type["spec"]["driver"]["cores"] = "two";
  Json s2 = create(wrong_type, 422);
  EXPECT_EQ(s2["details"]["causes"][0]["field"], "spec.driver.cores") << s2.dump();
}

TEST_F(ApiServerTest, BadRequestsAre400) {
  auto r = client_->post(kApps, "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Json::parse(r.body)["reason"], "BadRequest");

  auto bad_ns =
      client_->get("/apis/sparkoperator.k8s.io/v1beta2/namespaces/Bad_NS/sparkapplications");
  EXPECT_EQ(bad_ns.status, 400);
  EXPECT_EQ(Json::parse(bad_ns.body)["reason"], "BadRequest");

  auto bad_name = client_->get(std::string(kApps) + "/..%2Fetc");
  EXPECT_EQ(bad_name.status, 400);

  Json other_ns = app("x");
  other_ns["metadata"]["namespace"] = "prod";
  Json s = create(other_ns, 400);
  EXPECT_EQ(s["reason"], "BadRequest");

  Json wrong_kind = app("x");
  wrong_kind["kind"] = "Pod";
  create(wrong_kind, 400);
}

TEST_F(ApiServerTest, UnknownFieldsAreKeptAndReportedInWarningHeader) {
  Json obj = app("typo");
  obj["spec"]["driver"]["coress"] = 2;
  auto r = client_->post(kApps, obj.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  auto warnings = r.headers_named("Warning");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "299 - \"unknown field \\\"spec.driver.coress\\\"\"");
  Json stored = Json::parse(client_->get(std::string(kApps) + "/typo").body);
  EXPECT_EQ(stored["spec"]["driver"]["coress"], 2);
}

TEST_F(ApiServerTest, UpdateNeedsCurrentResourceVersion) {
  Json created = create(app("spark-pi"));
  Json next = created;
  next["spec"]["arguments"] = {"100"};
  auto ok = client_->put(std::string(kApps) + "/spark-pi", next.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  Json updated = Json::parse(ok.body);
  EXPECT_EQ(updated["metadata"]["generation"], 2);
  EXPECT_NE(updated["metadata"]["resourceVersion"], created["metadata"]["resourceVersion"]);

  // The same resourceVersion again is stale now.
  auto stale = client_->put(std::string(kApps) + "/spark-pi", next.dump());
  EXPECT_EQ(stale.status, 409);
  Json s = Json::parse(stale.body);
  EXPECT_EQ(s["reason"], "Conflict");
  EXPECT_NE(s["message"].get<std::string>().find("the object has been modified"),
            std::string::npos);

  // No resourceVersion at all is refused.
  next["metadata"].erase("resourceVersion");
  auto missing = client_->put(std::string(kApps) + "/spark-pi", next.dump());
  EXPECT_EQ(missing.status, 422);

  // Name in the body must match the URL.
  Json renamed = updated;
  renamed["metadata"]["name"] = "other";
  EXPECT_EQ(client_->put(std::string(kApps) + "/spark-pi", renamed.dump()).status, 400);
}

TEST_F(ApiServerTest, UnchangedUpdateKeepsGenerationAndResourceVersion) {
  Json created = create(app("spark-pi"));
  auto r = client_->put(std::string(kApps) + "/spark-pi", created.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  Json same = Json::parse(r.body);
  EXPECT_EQ(same["metadata"]["generation"], 1);
  EXPECT_EQ(same["metadata"]["resourceVersion"], created["metadata"]["resourceVersion"]);
}

TEST_F(ApiServerTest, UpdateCannotWriteStatusAndKeepsServerFields) {
  Json created = create(app("spark-pi"));
  Json next = created;
  next["status"] = {{"applicationState", {{"state", "COMPLETED"}}}};
  next["metadata"]["uid"] = "forged";
  auto r = client_->put(std::string(kApps) + "/spark-pi", next.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  Json got = Json::parse(r.body);
  EXPECT_EQ(got["metadata"]["uid"], created["metadata"]["uid"]);
  EXPECT_EQ(json_at(got, "status.applicationState.state"), nullptr);
}

TEST_F(ApiServerTest, MergePatchChangesSpec) {
  create(app("spark-pi"));
  auto r = client_->patch(std::string(kApps) + "/spark-pi",
                          R"({"spec":{"driver":{"memory":"1g"}},"metadata":{"labels":{"x":"y"}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  Json got = Json::parse(r.body);
  EXPECT_EQ(got["spec"]["driver"]["memory"], "1g");
  EXPECT_EQ(got["spec"]["driver"]["cores"], 1);
  EXPECT_EQ(got["metadata"]["labels"]["x"], "y");
  EXPECT_EQ(got["metadata"]["generation"], 2);

  // An invalid result is refused.
  auto bad = client_->patch(std::string(kApps) + "/spark-pi", R"({"spec":{"driver":{"cores":0}}})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  // A stale resourceVersion in the patch is a precondition.
  auto stale = client_->patch(std::string(kApps) + "/spark-pi",
                              R"({"metadata":{"resourceVersion":"1"},"spec":{"arguments":["1"]}})");
  EXPECT_EQ(stale.status, 409) << stale.body;
  // JSON patch works too; strategic merge patch does not.
  auto jp = client_->patch(std::string(kApps) + "/spark-pi",
                           R"([{"op":"add","path":"/spec/arguments","value":["5"]}])",
                           "application/json-patch+json");
  EXPECT_EQ(jp.status, 200) << jp.body;
  EXPECT_EQ(
      client_
          ->patch(std::string(kApps) + "/spark-pi", "{}", "application/strategic-merge-patch+json")
          .status,
      415);
  EXPECT_EQ(client_->patch(std::string(kApps) + "/missing", "{}").status, 404);
}

TEST_F(ApiServerTest, StatusSubresource) {
  Json created = create(app("spark-pi"));
  Json next = created;
  next["status"] = {{"applicationState", {{"state", "RUNNING"}}}, {"executionAttempts", 1}};
  next["spec"]["arguments"] = {"ignored"};
  auto r = client_->put(std::string(kApps) + "/spark-pi/status", next.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  Json got = Json::parse(client_->get(std::string(kApps) + "/spark-pi/status").body);
  EXPECT_EQ(got["status"]["applicationState"]["state"], "RUNNING");
  EXPECT_FALSE(got["spec"].contains("arguments"));
  EXPECT_EQ(got["metadata"]["generation"], 1);

  auto stale = client_->put(std::string(kApps) + "/spark-pi/status", next.dump());
  EXPECT_EQ(stale.status, 409);

  auto p = client_->patch(std::string(kApps) + "/spark-pi/status",
                          R"({"status":{"applicationState":{"state":"COMPLETED"}}})");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(Json::parse(p.body)["status"]["applicationState"]["state"], "COMPLETED");
  EXPECT_EQ(Json::parse(p.body)["status"]["executionAttempts"], 1);
}

TEST_F(ApiServerTest, DeleteRemovesTheObject) {
  create(app("spark-pi"));
  auto r = client_->del(std::string(kApps) + "/spark-pi");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body)["metadata"]["name"], "spark-pi");
  EXPECT_EQ(client_->get(std::string(kApps) + "/spark-pi").status, 404);
}

TEST_F(ApiServerTest, DeleteWithFinalizerSetsDeletionTimestamp) {
  Json obj = app("spark-pi");
  obj["metadata"]["finalizers"] = {"sparkoperator.k8s.io/finalizer"};
  create(obj);
  auto r = client_->del(std::string(kApps) + "/spark-pi");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Json::parse(r.body)["metadata"].contains("deletionTimestamp"));
  EXPECT_EQ(client_->get(std::string(kApps) + "/spark-pi").status, 200);
}

TEST_F(ApiServerTest, ScheduledApplications) {
  Json sched = Json::parse(R"({
    "apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "ScheduledSparkApplication",
    "metadata": {"name": "nightly"},
    "spec": {"schedule": "@every 1h", "template": {"type": "Scala", "mode": "cluster", "sparkVersion": "3.5.1",
      "mainApplicationFile": "local:///x.jar", "mainClass": "X",
      "driver": {"cores": 1}, "executor": {"instances": 1}}}
  })");
  auto r = client_->post(kScheduled, sched.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json::parse(r.body)["kind"], "ScheduledSparkApplication");
  auto list = client_->get(kScheduled);
  EXPECT_EQ(Json::parse(list.body)["kind"], "ScheduledSparkApplicationList");

  sched["metadata"]["name"] = "broken";
  sched["spec"]["schedule"] = "every tuesday";
  auto bad = client_->post(kScheduled, sched.dump());
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Json::parse(bad.body)["details"]["causes"][0]["field"], "spec.schedule") << bad.body;
}

TEST_F(ApiServerTest, EventsOfOneObject) {
  Json created = create(app("spark-pi"));
  controller::Event e;
  e.object = {"sparkapplications", "default", "spark-pi", created["metadata"]["uid"]};
  e.type = "Normal";
  e.reason = "SparkApplicationSubmitted";
  e.message = "submitted";
  store_->record_event(e);
  e.object.name = "other";
  store_->record_event(e);
  auto r = client_->get("/api/v1/namespaces/default/events?fieldSelector=" +
                        url_encode("involvedObject.name=spark-pi"));
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["kind"], "EventList");
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["reason"], "SparkApplicationSubmitted");
  EXPECT_EQ(Json::parse(client_->get("/api/v1/events").body)["items"].size(), 2u);
}

TEST_F(ApiServerTest, HealthMetricsVersion) {
  auto h = client_->get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, "ok");
  EXPECT_EQ(client_->get("/readyz").body, "ok");
  auto m = client_->get("/metrics");
  EXPECT_EQ(m.body, "sparkplane_up 1\n");
  EXPECT_EQ(m.header("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  auto v = client_->get("/version");
  EXPECT_EQ(Json::parse(v.body)["gitVersion"], std::string("v") + SPARKPLANE_VERSION);
}

TEST_F(ApiServerTest, DriverLogsByAttemptAndOffset) {
  create(app("spark-pi"));
  const std::string base =
      "/apis/sparkplane.io/v1/namespaces/default/sparkapplications/spark-pi/log";
  auto none = client_->get(base);
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(Json::parse(none.body)["reason"], "NotFound");

  fs::create_directories(dir_ / "logs");
  for (int i = 1; i <= 2; ++i) {
    LogAttempt a{i, (dir_ / "logs" / (std::to_string(i) + ".out")).string(),
                 (dir_ / "logs" / (std::to_string(i) + ".err")).string()};
    std::ofstream(a.stdout_path) << "out" << i << "\n";
    std::ofstream(a.stderr_path) << "err" << i << "\n";
    logs_.attempts_.push_back(a);
  }
  auto all = client_->get(base);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.body, "err2\nout2\n");
  EXPECT_EQ(all.header("X-Sparkplane-Attempt"), "2");
  EXPECT_EQ(all.header("X-Sparkplane-Attempt-Finished"), "false");

  auto first = client_->get(base + "?attempt=1&stream=stdout&offset=1");
  EXPECT_EQ(first.body, "ut1\n");
  EXPECT_EQ(first.header("X-Sparkplane-Next-Offset"), "5");
  EXPECT_EQ(first.header("X-Sparkplane-Attempt-Finished"), "true");
  auto past = client_->get(base + "?attempt=1&stream=stdout&offset=5");
  EXPECT_EQ(past.body, "");
  EXPECT_EQ(past.header("X-Sparkplane-Next-Offset"), "5");

  EXPECT_EQ(client_->get(base + "?attempt=7").status, 404);
  EXPECT_EQ(client_->get(base + "?stream=both").status, 400);
  EXPECT_EQ(client_->get(base + "?stream=all&offset=3").status, 400);
}

TEST_F(ApiServerTest, AReadOnlyServerServesReadsAndRefusesEveryWrite) {
  create(app("spark-pi"));
  struct Unreachable : LogSource {
    std::vector<LogAttempt> attempts(const std::string&, const std::string&) override {
      return {LogAttempt{1, "pod", ""}};
    }
    std::string read(const LogAttempt&, LogStream, uint64_t, size_t) override {
      throw Unavailable("the API server could not give the driver's log: kubelet unreachable");
    }
  } logs;
  ApiServer::Options o;
  o.read_only = true;
  ApiServer ro(*store_, nullptr, logs, nullptr, o);
  const int port = ro.bind("127.0.0.1", 0);
  ro.start();
  {
    HttpClient c("http://127.0.0.1:" + std::to_string(port));
    EXPECT_EQ(c.get(std::string(kApps) + "/spark-pi").status, 200);
    EXPECT_EQ(Json::parse(c.get(kApps).body)["items"].size(), 1u);
    const std::string one = std::string(kApps) + "/spark-pi";
    for (const auto& r : {c.post(kApps, app("other").dump()), c.put(one, app("spark-pi").dump()),
                          c.patch(one, "{}", "application/merge-patch+json"), c.del(one)}) {
      EXPECT_EQ(r.status, 405) << r.body;
      EXPECT_NE(r.body.find("read-only"), std::string::npos) << r.body;
      EXPECT_NE(r.body.find("kubectl"), std::string::npos) << r.body;
    }
    auto log = c.get("/apis/sparkplane.io/v1/namespaces/default/sparkapplications/spark-pi/log");
    EXPECT_EQ(log.status, 503);
    EXPECT_EQ(Json::parse(log.body)["reason"], "ServiceUnavailable");
    EXPECT_NE(log.body.find("kubelet unreachable"), std::string::npos) << log.body;
  }
  ro.stop();
  EXPECT_EQ(store_->list(controller::kSparkApplications, "").size(), 1u);  // nothing changed
  EXPECT_TRUE(store_->get(controller::kSparkApplications, "default", "spark-pi").has_value());
}

TEST_F(ApiServerTest, EveryRouteIsAlsoServedUnderTheBasePath) {
  create(app("spark-pi"));
  ApiServer::Options o;
  o.base_path = "/spark.plane";
  ApiServer prefixed(*store_, nullptr, logs_, nullptr, o);
  const int port = prefixed.bind("127.0.0.1", 0);
  prefixed.start();
  {
    HttpClient c("http://127.0.0.1:" + std::to_string(port));
    EXPECT_EQ(c.get(std::string("/spark.plane") + kApps + "/spark-pi").status, 200);
    EXPECT_EQ(c.get(std::string(kApps) + "/spark-pi").status, 200);
    EXPECT_EQ(c.get("/spark.plane/api/v1/namespaces/default/events").status, 200);
    EXPECT_EQ(c.get("/spark.plane/healthz").body, "ok");
    auto made = c.post(std::string("/spark.plane") + kApps, app("other").dump());
    EXPECT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(c.get(std::string("/sparkXplane") + kApps).status, 404);  // "." is not a wildcard
  }
  prefixed.stop();
  EXPECT_TRUE(store_->get(controller::kSparkApplications, "default", "other").has_value());
}

TEST_F(ApiServerTest, OversizedBodyIsRefused) {
  std::string big(5 * 1024 * 1024, ' ');
  auto r = client_->post(kApps, big);
  EXPECT_EQ(r.status, 413);
}

TEST(ApiServerBind, PortInUseGivesAClearError) {
  struct NoLogs : LogSource {
    std::vector<LogAttempt> attempts(const std::string&, const std::string&) override { return {}; }
  } logs;
  SystemClock clock;
  std::random_device rd;
  auto dir = fs::temp_directory_path() / ("sp-api-bind-" + std::to_string(rd()));
  {
    Database db(dir);
    SqliteStore store(db, clock);
    ApiServer a(store, nullptr, logs, nullptr);
    int port = a.bind("127.0.0.1", 0);
    a.start();
    ApiServer b(store, nullptr, logs, nullptr);
    try {
      b.bind("127.0.0.1", port);
      FAIL() << "expected a bind error";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                "cannot listen on 127.0.0.1:" + std::to_string(port) +
                    ": address already in use (is another sparkplane running? use --listen)");
    }
  }
  fs::remove_all(dir);
}

TEST(ApiServerClient, UnreachableServerGivesAClearError) {
  HttpClient client("http://127.0.0.1:1");
  try {
    client.get("/healthz");
    FAIL() << "expected an error";
  } catch (const Unreachable& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot reach sparkplane at http://127.0.0.1:1 (Couldn't connect to server): is "
              "\"sparkplane up\" running? (start it, or pass --server)");
  }
}

TEST(ApiServerListen, ParsesListenAddresses) {
  EXPECT_EQ(parse_listen_address("127.0.0.1:18080"),
            std::make_pair(std::string("127.0.0.1"), 18080));
  EXPECT_EQ(parse_listen_address(":9000"), std::make_pair(std::string("127.0.0.1"), 9000));
  EXPECT_EQ(parse_listen_address("0.0.0.0:1"), std::make_pair(std::string("0.0.0.0"), 1));
  EXPECT_THROW(parse_listen_address("host:port"), Invalid);
  EXPECT_THROW(parse_listen_address("h:70000"), Invalid);
}

}  // namespace
}  // namespace sp::local
