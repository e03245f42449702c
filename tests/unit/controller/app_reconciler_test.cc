// Every transition of the SparkApplication state machine, over the real SQLite store,
// a fake clock and a scripted runtime.
#include "controller/app_reconciler.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/time_format.h"
#include "common/uuid.h"
#include "controller/labels.h"
#include "runtime/local/database.h"
#include "runtime/local/sqlite_store.h"
#include "scripted_runtime.h"

namespace sp::controller {
namespace {

using api::AppState;
using std::chrono::seconds;

class AppReconcilerTest : public ::testing::Test {
 protected:
  AppReconcilerTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("sp-reconciler-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())),
        clock_(Time{} + std::chrono::hours(24 * 365 * 56)),
        db_((std::filesystem::remove_all(dir_), dir_)),
        store_(db_, clock_),
        metrics_(registry_),
        reconciler_(store_, runtime_, clock_, &metrics_) {}
  ~AppReconcilerTest() override { std::filesystem::remove_all(dir_); }

  void create(Json spec_extra = Json::object()) {
    Json spec = {{"type", "Python"},
                 {"mainApplicationFile", "local:///app.py"},
                 {"sparkVersion", "4.1.1"},
                 {"driver", {{"cores", 1}}},
                 {"executor", {{"instances", 1}}}};
    spec.update(spec_extra);
    store_.create(kSparkApplications, {{"apiVersion", "sparkoperator.k8s.io/v1beta2"},
                                       {"kind", "SparkApplication"},
                                       {"metadata", {{"name", "pi"}, {"namespace", "ns"}}},
                                       {"spec", spec}});
  }
  Result reconcile() { return reconciler_.reconcile("ns", "pi"); }
  api::SparkApplication app() {
    auto obj = store_.get(kSparkApplications, "ns", "pi");
    EXPECT_TRUE(obj.has_value());
    return api::spark_application_from_json(*obj);
  }
  AppState state() { return app().status.app_state.state; }
  std::string sid() { return app().status.submission_id; }
  void set_spec(const std::string& key, Json value) {
    auto obj = *store_.get(kSparkApplications, "ns", "pi");
    obj["spec"][key] = std::move(value);
    store_.update(kSparkApplications, obj);
  }
  // Each event's reason, repeated as many times as it was recorded (the store aggregates).
  std::vector<std::string> event_reasons() {
    std::vector<std::string> out;
    for (const auto& e : store_.list_events("ns", "pi")) {
      for (int i = 0; i < e.value("count", 1); ++i) out.push_back(e["reason"]);
    }
    return out;
  }
  // Runs reconciles until one asks for a delay or nothing (at most 20).
  Result settle() {
    Result r;
    for (int i = 0; i < 20; ++i) {
      r = reconcile();
      if (!r.requeue_after || *r.requeue_after > Duration::zero()) return r;
    }
    ADD_FAILURE() << "reconcile did not settle";
    return r;
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  local::Database db_;
  local::SqliteStore store_;
  MetricsRegistry registry_;
  AppMetrics metrics_;
  testing::ScriptedRuntime runtime_;
  AppReconciler reconciler_;
};

TEST_F(AppReconcilerTest, NewAppIsSubmitted) {
  create();
  settle();
  auto a = app();
  EXPECT_EQ(a.status.app_state.state, AppState::kSubmitted);
  EXPECT_EQ(a.status.submission_attempts, 1);
  EXPECT_EQ(a.status.execution_attempts, 1);
  EXPECT_FALSE(a.status.submission_id.empty());
  EXPECT_EQ(a.status.driver_info.pod_name, "pi-driver");
  EXPECT_EQ(a.status.last_submission_attempt_time, format_rfc3339(clock_.now()));
  EXPECT_EQ(a.metadata.finalizers, std::vector<std::string>{kFinalizer});
  EXPECT_TRUE(a.metadata.annotations.empty());
  EXPECT_EQ(a.status.submission_id[14], '8');  // a version 8 UUID carrying the spec's hash
  EXPECT_EQ(runtime_.submits.size(), 1u);
  // As the Kubeflow operator (v2): no SparkApplicationAdded before the submission.
  EXPECT_EQ(event_reasons(), (std::vector<std::string>{"SparkApplicationSubmitted"}));
  EXPECT_NE(registry_.render().find("spark_application_submit_count 1"), std::string::npos);
}

TEST_F(AppReconcilerTest, ReconcilingAgainChangesNothing) {
  create();
  settle();
  auto rv = app().metadata.resource_version;
  reconcile();
  reconcile();
  EXPECT_EQ(app().metadata.resource_version, rv);
  EXPECT_EQ(runtime_.submits.size(), 1u);
}

TEST_F(AppReconcilerTest, DriverPhasesDriveTheAppToCompleted) {
  create();
  settle();
  runtime_.set_phase(sid(), DriverPhase::kRunning);
  settle();
  EXPECT_EQ(state(), AppState::kRunning);
  EXPECT_EQ(app().status.spark_application_id, "local-123");
  clock_.advance(seconds(7));
  runtime_.set_phase(sid(), DriverPhase::kSucceeded);
  EXPECT_EQ(reconcile().requeue_after, Duration::zero());
  EXPECT_EQ(state(), AppState::kSucceeding);
  settle();
  auto a = app();
  EXPECT_EQ(a.status.app_state.state, AppState::kCompleted);
  EXPECT_EQ(a.status.termination_time, format_rfc3339(clock_.now()));
  auto reasons = event_reasons();
  EXPECT_NE(std::find(reasons.begin(), reasons.end(), "SparkDriverRunning"), reasons.end());
  EXPECT_EQ(reasons.back(), "SparkApplicationCompleted");
  auto text = registry_.render();
  EXPECT_NE(text.find("spark_application_success_count 1"), std::string::npos);
  EXPECT_NE(text.find("spark_application_running_count 0"), std::string::npos);
  EXPECT_NE(text.find("spark_application_success_execution_time_seconds_sum 7"), std::string::npos);
}

TEST_F(AppReconcilerTest, NeverPolicyFailsWithTheDriverMessage) {
  create();
  settle();
  runtime_.set_phase(sid(), DriverPhase::kFailed, "driver exited with code 3");
  settle();
  auto a = app();
  EXPECT_EQ(a.status.app_state.state, AppState::kFailed);
  EXPECT_EQ(a.status.app_state.error_message, "driver exited with code 3");
  EXPECT_FALSE(a.status.termination_time.empty());
  EXPECT_EQ(runtime_.submits.size(), 1u);
}

TEST_F(AppReconcilerTest, OnFailureRetriesWithLinearBackoffThenFails) {
  create({{"restartPolicy",
           {{"type", "OnFailure"}, {"onFailureRetries", 2}, {"onFailureRetryInterval", 10}}}});
  settle();
  for (int attempt = 1; attempt <= 2; ++attempt) {
    runtime_.set_phase(sid(), DriverPhase::kFailed, "boom");
    Result r = settle();
    ASSERT_EQ(state(), AppState::kFailing);
    // interval x submission attempts since the last attempt
    ASSERT_TRUE(r.requeue_after.has_value());
    EXPECT_EQ(*r.requeue_after, seconds(10 * attempt));
    clock_.advance(seconds(10 * attempt - 1));
    EXPECT_GT(*reconcile().requeue_after, Duration::zero());
    EXPECT_EQ(state(), AppState::kFailing);
    clock_.advance(seconds(1));
    settle();
    EXPECT_EQ(state(), AppState::kSubmitted);
    EXPECT_EQ(app().status.execution_attempts, attempt + 1);
    EXPECT_TRUE(app().status.spark_application_id.empty());
  }
  runtime_.set_phase(sid(), DriverPhase::kFailed, "boom");
  settle();
  EXPECT_EQ(state(), AppState::kFailed);
  EXPECT_EQ(runtime_.submits.size(), 3u);
  auto reasons = event_reasons();
  EXPECT_EQ(std::count(reasons.begin(), reasons.end(), "SparkApplicationPendingRerun"), 2);
}

TEST_F(AppReconcilerTest, AlwaysPolicyRerunsASucceededApp) {
  create({{"restartPolicy", {{"type", "Always"}}}});
  settle();
  auto first = sid();
  runtime_.set_phase(first, DriverPhase::kSucceeded);
  settle();
  EXPECT_EQ(state(), AppState::kSubmitted);
  EXPECT_NE(sid(), first);
  EXPECT_EQ(app().status.execution_attempts, 2);
}

TEST_F(AppReconcilerTest, SubmissionFailureWithNeverFails) {
  create();
  runtime_.next_submit_error = "spec.mainApplicationFile: file not found: /app.py";
  settle();
  auto a = app();
  EXPECT_EQ(a.status.app_state.state, AppState::kFailed);
  EXPECT_EQ(a.status.app_state.error_message, "spec.mainApplicationFile: file not found: /app.py");
  EXPECT_NE(registry_.render().find("spark_application_failed_submission_count 1"),
            std::string::npos);
}

TEST_F(AppReconcilerTest, SubmissionFailureIsRetriedAfterItsInterval) {
  create({{"restartPolicy",
           {{"type", "OnFailure"},
            {"onSubmissionFailureRetries", 1},
            {"onSubmissionFailureRetryInterval", 3}}}});
  runtime_.next_submit_error = "no java";
  Result r = settle();
  EXPECT_EQ(state(), AppState::kSubmissionFailed);
  EXPECT_EQ(*r.requeue_after, seconds(3));
  runtime_.next_submit_error.clear();
  clock_.advance(seconds(3));
  settle();
  EXPECT_EQ(state(), AppState::kSubmitted);
  EXPECT_EQ(app().status.submission_attempts, 2);
}

TEST_F(AppReconcilerTest, MissingDriverFailsAfterTheGracePeriod) {
  create();
  settle();
  runtime_.drivers.clear();
  EXPECT_EQ(reconcile().requeue_after, seconds(1));
  EXPECT_EQ(state(), AppState::kSubmitted);
  clock_.advance(seconds(11));
  settle();
  EXPECT_EQ(state(), AppState::kFailed);
  EXPECT_EQ(app().status.app_state.error_message, "driver pod not found");
}

TEST_F(AppReconcilerTest, SpecChangeWhileRunningInvalidatesAndReruns) {
  create();
  settle();
  auto first = sid();
  runtime_.set_phase(first, DriverPhase::kRunning);
  settle();
  set_spec("arguments", Json::array({"100"}));
  EXPECT_EQ(reconcile().requeue_after, Duration::zero());
  EXPECT_EQ(state(), AppState::kInvalidating);
  settle();
  auto a = app();
  EXPECT_EQ(a.status.app_state.state, AppState::kSubmitted);
  EXPECT_NE(a.status.submission_id, first);
  EXPECT_EQ(a.status.submission_attempts, 1);  // counters reset by INVALIDATING
  EXPECT_EQ(a.status.execution_attempts, 1);
  EXPECT_FALSE(runtime_.drivers.count(first));  // the old driver was stopped
}

TEST_F(AppReconcilerTest, GarbageCollectingRuntimeGetsOneWritePerSubmission) {
  runtime_.collects_garbage = true;
  int writes = 0;
  store_.subscribe([&](const Change& c) { writes += c.type == Change::Type::kModified; });
  create();
  settle();
  auto a = app();
  EXPECT_EQ(a.status.app_state.state, AppState::kSubmitted);
  EXPECT_EQ(writes, 1);  // the status; no finalizer, no annotation
  EXPECT_TRUE(a.metadata.finalizers.empty());
  EXPECT_TRUE(a.metadata.annotations.empty());
  // Deleted at once; the runtime's garbage collector removes the driver.
  store_.remove(kSparkApplications, "ns", "pi");
  EXPECT_FALSE(store_.get(kSparkApplications, "ns", "pi").has_value());
  EXPECT_FALSE(reconcile().requeue_after.has_value());
  EXPECT_TRUE(runtime_.deletes.empty());
}

TEST_F(AppReconcilerTest, GarbageCollectingRuntimeStillDetectsSpecChanges) {
  runtime_.collects_garbage = true;
  create();
  settle();
  runtime_.set_phase(sid(), DriverPhase::kRunning);
  settle();
  set_spec("arguments", Json::array({"100"}));
  reconcile();
  EXPECT_EQ(state(), AppState::kInvalidating);
}

TEST_F(AppReconcilerTest, FinalizerOfAnEarlierOperatorIsRemovedOnDeletion) {
  runtime_.collects_garbage = true;
  create();
  auto obj = *store_.get(kSparkApplications, "ns", "pi");
  obj["metadata"]["finalizers"] = {kFinalizer};
  store_.update(kSparkApplications, obj);
  settle();
  store_.remove(kSparkApplications, "ns", "pi");
  EXPECT_TRUE(store_.get(kSparkApplications, "ns", "pi").has_value());  // held
  settle();
  EXPECT_FALSE(store_.get(kSparkApplications, "ns", "pi").has_value());
  EXPECT_EQ(runtime_.deletes.size(), 1u);
}

TEST_F(AppReconcilerTest, RunSubmittedByAnotherOperatorIsNotInvalidated) {
  create();
  settle();
  // As the Kubeflow operator leaves it: a random submission id, nothing to compare the spec to.
  auto obj = *store_.get(kSparkApplications, "ns", "pi");
  const std::string theirs = uuid_v4();
  obj["status"]["submissionID"] = theirs;
  obj["status"]["applicationState"]["state"] = "RUNNING";
  store_.update_status(kSparkApplications, obj);
  runtime_.set_phase(theirs, DriverPhase::kRunning);
  set_spec("arguments", Json::array({"100"}));
  settle();
  EXPECT_EQ(state(), AppState::kRunning);
  EXPECT_EQ(sid(), theirs);
}

TEST_F(AppReconcilerTest, TtlChangeAfterCompletionDoesNotRerun) {
  create();
  settle();
  runtime_.set_phase(sid(), DriverPhase::kSucceeded);
  settle();
  ASSERT_EQ(state(), AppState::kCompleted);
  set_spec("timeToLiveSeconds", 3600);
  set_spec("suspend", false);
  settle();
  EXPECT_EQ(state(), AppState::kCompleted);
  EXPECT_EQ(runtime_.submits.size(), 1u);
}

TEST_F(AppReconcilerTest, SuspendAndTtlChangesDoNotInvalidate) {
  create();
  settle();
  runtime_.set_phase(sid(), DriverPhase::kRunning);
  settle();
  set_spec("timeToLiveSeconds", 60);
  settle();
  EXPECT_EQ(state(), AppState::kRunning);
}

TEST_F(AppReconcilerTest, SuspendStopsTheDriverAndResumeResubmits) {
  create();
  settle();
  runtime_.set_phase(sid(), DriverPhase::kRunning);
  settle();
  set_spec("suspend", true);
  settle();
  EXPECT_EQ(state(), AppState::kSuspended);
  EXPECT_EQ(runtime_.deletes.size(), 1u);
  EXPECT_TRUE(app().status.spark_application_id.empty());
  set_spec("suspend", false);
  EXPECT_EQ(reconcile().requeue_after, Duration::zero());
  EXPECT_EQ(state(), AppState::kResuming);
  settle();
  EXPECT_EQ(state(), AppState::kSubmitted);
  EXPECT_EQ(runtime_.submits.size(), 2u);
  auto reasons = event_reasons();
  for (const char* r :
       {"SparkApplicationSuspending", "SparkApplicationSuspended", "SparkApplicationResuming"}) {
    EXPECT_NE(std::find(reasons.begin(), reasons.end(), r), reasons.end()) << r;
  }
}

TEST_F(AppReconcilerTest, SuspendedBeforeSubmissionNeverRuns) {
  create({{"suspend", true}});
  settle();
  EXPECT_EQ(state(), AppState::kSuspended);
  EXPECT_TRUE(runtime_.submits.empty());
}

TEST_F(AppReconcilerTest, TimeToLiveDeletesTheAppAfterItEnds) {
  create({{"timeToLiveSeconds", 60}});
  settle();
  runtime_.set_phase(sid(), DriverPhase::kSucceeded);
  Result r = settle();
  EXPECT_EQ(state(), AppState::kCompleted);
  ASSERT_TRUE(r.requeue_after.has_value());
  EXPECT_EQ(*r.requeue_after, seconds(60));
  clock_.advance(seconds(60));
  settle();
  EXPECT_FALSE(store_.get(kSparkApplications, "ns", "pi").has_value());
}

TEST_F(AppReconcilerTest, DeletionCleansUpTheDriverBeforeTheObjectGoes) {
  create();
  settle();
  runtime_.set_phase(sid(), DriverPhase::kRunning);
  settle();
  runtime_.deletion_completes = false;
  store_.remove(kSparkApplications, "ns", "pi");
  EXPECT_EQ(reconcile().requeue_after, seconds(1));
  EXPECT_TRUE(store_.get(kSparkApplications, "ns", "pi").has_value());
  runtime_.deletion_completes = true;
  settle();
  EXPECT_FALSE(store_.get(kSparkApplications, "ns", "pi").has_value());
}

TEST_F(AppReconcilerTest, AbsentAppIsNoWork) {
  EXPECT_FALSE(reconcile().requeue_after.has_value());
}

}  // namespace
}  // namespace sp::controller
