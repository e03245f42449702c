// The Manager's wiring: store changes reach the reconciler and the metrics, with worker
// threads, over the real SQLite store and a scripted runtime.
#include "controller/manager.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <thread>

#include "runtime/local/database.h"
#include "runtime/local/sqlite_store.h"
#include "scripted_runtime.h"

namespace sp::controller {
namespace {

class ManagerTest : public ::testing::TestWithParam<bool> {
 protected:
  ManagerTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("sp-manager-" + std::to_string(::getpid()) + "-" +
              std::to_string(static_cast<int>(GetParam())))),
        clock_(Time{} + std::chrono::hours(24 * 365 * 56)),
        db_((std::filesystem::remove_all(dir_), dir_)),
        store_(db_, clock_) {
    runtime_.collects_garbage = GetParam();
  }
  ~ManagerTest() override { std::filesystem::remove_all(dir_); }

  // Waits (up to 10 s) for `done`, polling.
  static bool eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 1000; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }
  std::string state() {
    auto obj = store_.get(kSparkApplications, "ns", "pi");
    if (!obj) return "<gone>";
    const Json* s = json_at(*obj, "status.applicationState.state");
    return s != nullptr ? s->get<std::string>() : "";
  }
  bool metric(const std::string& line) {
    return registry_.render().find(line + "\n") != std::string::npos;
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  local::Database db_;
  local::SqliteStore store_;
  MetricsRegistry registry_;
  testing::ScriptedRuntime runtime_;
};

TEST_P(ManagerTest, DeletingARunningAppLowersTheRunningCount) {
  ManagerOptions options;
  options.workers = 2;
  Manager manager(store_, runtime_, clock_, registry_, options);
  manager.start();
  store_.create(kSparkApplications, {{"apiVersion", "sparkoperator.k8s.io/v1beta2"},
                                     {"kind", "SparkApplication"},
                                     {"metadata", {{"name", "pi"}, {"namespace", "ns"}}},
                                     {"spec",
                                      {{"type", "Python"},
                                       {"mainApplicationFile", "local:///app.py"},
                                       {"sparkVersion", "4.1.1"}}}});
  ASSERT_TRUE(eventually([&] { return state() == "SUBMITTED"; })) << state();
  const auto obj = *store_.get(kSparkApplications, "ns", "pi");
  runtime_.set_phase(obj["status"]["submissionID"], DriverPhase::kRunning, "", "ns/pi");
  ASSERT_TRUE(eventually([&] { return state() == "RUNNING"; })) << state();
  // The status is stored before the metric moves: wait for it too.
  EXPECT_TRUE(eventually([&] { return metric("spark_application_running_count 1"); }))
      << registry_.render();

  store_.remove(kSparkApplications, "ns", "pi");
  EXPECT_TRUE(eventually([&] { return state() == "<gone>"; }));
  EXPECT_TRUE(eventually([&] { return metric("spark_application_running_count 0"); }))
      << registry_.render();
  manager.stop();
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutFinalizer, ManagerTest, ::testing::Bool());

}  // namespace
}  // namespace sp::controller
