// ScheduledSparkApplication: schedule validation, runs at each activation, concurrency
// policies, suspend and run history, over the real SQLite store and a fake clock.
#include "controller/scheduled_reconciler.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "api/types.h"
#include "common/time_format.h"
#include "controller/labels.h"
#include "runtime/local/database.h"
#include "runtime/local/sqlite_store.h"

namespace sp::controller {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class ScheduledReconcilerTest : public ::testing::Test {
 protected:
  ScheduledReconcilerTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("sp-scheduled-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())),
        // 2026-11-22T10:00:30Z
        clock_(*parse_rfc3339("2026-11-22T10:00:30Z")),
        db_((std::filesystem::remove_all(dir_), dir_)),
        store_(db_, clock_),
        reconciler_(store_, clock_) {}
  ~ScheduledReconcilerTest() override { std::filesystem::remove_all(dir_); }

  void create(Json spec_extra = Json::object()) {
    Json spec = {{"schedule", "*/5 * * * *"},
                 {"timeZone", "UTC"},
                 {"template",
                  {{"type", "Python"},
                   {"mainApplicationFile", "local:///app.py"},
                   {"driver", {{"cores", 1}}},
                   {"executor", {{"instances", 1}}}}}};
    spec.update(spec_extra);
    store_.create(
        kScheduledSparkApplications,
        {{"apiVersion", "sparkoperator.k8s.io/v1beta2"},
         {"kind", "ScheduledSparkApplication"},
         {"metadata", {{"name", "nightly"}, {"namespace", "ns"}, {"labels", {{"team", "a"}}}}},
         {"spec", spec}});
  }
  api::ScheduledSparkApplication sched() {
    return api::scheduled_spark_application_from_json(
        *store_.get(kScheduledSparkApplications, "ns", "nightly"));
  }
  std::vector<Json> runs() {
    return store_.list(kSparkApplications, "ns", std::string(kLabelScheduledAppName) + "=nightly");
  }
  void set_run_state(const std::string& name, const std::string& state) {
    auto obj = *store_.get(kSparkApplications, "ns", name);
    obj["status"] = {{"applicationState", {{"state", state}}}};
    store_.update_status(kSparkApplications, obj);
  }
  Result reconcile() { return reconciler_.reconcile("ns", "nightly"); }
  // Moves to the next activation and reconciles; returns the run created, if any.
  void tick() {
    clock_.set(*parse_rfc3339(sched().status.next_run));
    reconcile();
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  local::Database db_;
  local::SqliteStore store_;
  ScheduledReconciler reconciler_;
};

TEST_F(ScheduledReconcilerTest, InvalidScheduleFailsValidation) {
  create({{"schedule", "61 * * * *"}});
  EXPECT_FALSE(reconcile().requeue_after.has_value());
  auto s = sched();
  EXPECT_EQ(s.status.schedule_state, "FailedValidation");
  EXPECT_FALSE(s.status.reason.empty());
  EXPECT_TRUE(runs().empty());
}

TEST_F(ScheduledReconcilerTest, FirstReconcileSchedulesTheNextRun) {
  create();
  Result r = reconcile();
  auto s = sched();
  EXPECT_EQ(s.status.schedule_state, "Scheduled");
  EXPECT_EQ(s.status.next_run, "2026-11-22T10:05:00Z");
  EXPECT_EQ(*r.requeue_after, minutes(4) + seconds(30));
  EXPECT_TRUE(runs().empty());
}

TEST_F(ScheduledReconcilerTest, DueActivationCreatesOneOwnedRunFromTheTemplate) {
  create();
  reconcile();
  tick();
  reconcile();  // the same instant again: no second run
  auto all = runs();
  ASSERT_EQ(all.size(), 1u);
  auto run = api::spark_application_from_json(all[0]);
  auto s = sched();
  EXPECT_EQ(run.metadata.name,
            scheduled_run_name("nightly", *parse_rfc3339("2026-11-22T10:05:00Z")));
  EXPECT_EQ(run.metadata.labels.at("team"), "a");
  ASSERT_EQ(run.metadata.owner_references.size(), 1u);
  EXPECT_EQ(run.metadata.owner_references[0].uid, s.metadata.uid);
  EXPECT_EQ(run.metadata.owner_references[0].kind, "ScheduledSparkApplication");
  EXPECT_EQ(run.spec_raw, s.spec.template_raw);
  EXPECT_EQ(s.status.last_run_name, run.metadata.name);
  EXPECT_EQ(s.status.last_run, "2026-11-22T10:05:00Z");
  EXPECT_EQ(s.status.next_run, "2026-11-22T10:10:00Z");
}

TEST_F(ScheduledReconcilerTest, ForbidSkipsWhileTheLastRunIsGoing) {
  create({{"concurrencyPolicy", "Forbid"}});
  reconcile();
  tick();
  ASSERT_EQ(runs().size(), 1u);
  set_run_state(sched().status.last_run_name, "RUNNING");
  tick();
  EXPECT_EQ(runs().size(), 1u);
  EXPECT_EQ(sched().status.next_run, "2026-11-22T10:15:00Z");
  set_run_state(sched().status.last_run_name, "COMPLETED");
  tick();
  EXPECT_EQ(runs().size(), 2u);
}

TEST_F(ScheduledReconcilerTest, AllowStartsWhileTheLastRunIsGoing) {
  create({{"concurrencyPolicy", "Allow"}});
  reconcile();
  tick();
  set_run_state(sched().status.last_run_name, "RUNNING");
  tick();
  EXPECT_EQ(runs().size(), 2u);
}

TEST_F(ScheduledReconcilerTest, ReplaceDeletesTheRunningRun) {
  create({{"concurrencyPolicy", "Replace"}});
  reconcile();
  tick();
  auto first = sched().status.last_run_name;
  set_run_state(first, "RUNNING");
  tick();
  auto all = runs();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_NE(all[0]["metadata"]["name"], first);
}

TEST_F(ScheduledReconcilerTest, SuspendStartsNothing) {
  create({{"suspend", true}});
  reconcile();
  clock_.advance(std::chrono::hours(1));
  reconcile();
  EXPECT_TRUE(runs().empty());
}

TEST_F(ScheduledReconcilerTest, HistoryKeepsTheNewestRunsWithinTheLimits) {
  create({{"successfulRunHistoryLimit", 2}, {"failedRunHistoryLimit", 1}});
  reconcile();
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    tick();
    names.push_back(sched().status.last_run_name);
    set_run_state(names.back(), i % 2 == 0 ? "COMPLETED" : "FAILED");
    clock_.advance(seconds(1));
  }
  reconcile();
  auto s = sched();
  EXPECT_EQ(s.status.past_successful_run_names, (std::vector<std::string>{names[4], names[2]}));
  EXPECT_EQ(s.status.past_failed_run_names, std::vector<std::string>{names[3]});
  EXPECT_EQ(runs().size(), 3u);
}

}  // namespace
}  // namespace sp::controller
