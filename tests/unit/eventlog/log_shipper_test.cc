// LogShipper from one real directory to another (LocalStore on both sides): what goes when, for
// rolling and single-file logs, in-progress throttling, and resuming from the state file.
#include "eventlog/log_shipper.h"

#include <gtest/gtest.h>

#include <set>

#include "../storage/temp_dir.h"

namespace sp::eventlog {
namespace {

using namespace std::chrono_literals;

class LogShipperTest : public ::testing::Test {
 protected:
  test::TempDir from, to;

  std::shared_ptr<storage::LocalStore> target() {
    return std::make_shared<storage::LocalStore>(to.path());
  }
  std::set<std::string> shipped() const {
    std::set<std::string> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(to.path())) {
      if (e.is_regular_file()) out.insert(e.path().lexically_relative(to.path()).string());
    }
    return out;
  }
  std::string shipped_text(const std::string& key) const {
    std::ifstream in(to.path() / key);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

TEST_F(LogShipperTest, RollingLogGoesFileByFileAndEndsWithoutItsMarker) {
  const std::string d = "eventlog_v2_app-1/";
  from.write(d + "appstatus_app-1.inprogress", "");
  from.write(d + "events_1_app-1", "{\"Event\":\"SparkListenerLogStart\"}\n");
  LogShipper s(from.path(), target(), {.state_file = {}, .in_progress_every = 1h});

  // Running: the marker and the file Spark writes, so the app is listed as in progress.
  EXPECT_EQ(s.ship_once().uploaded, 2);
  EXPECT_EQ(shipped(),
            (std::set<std::string>{d + "appstatus_app-1.inprogress", d + "events_1_app-1"}));
  // It grows: not again before in_progress_every.
  from.write(d + "events_1_app-1", "{\"Event\":\"SparkListenerApplicationStart\"}\n", true);
  EXPECT_EQ(s.ship_once().uploaded, 0);

  // Spark rolls over: the closed file goes whole, the new one as it is.
  from.write(d + "events_2_app-1", "{\"Event\":\"SparkListenerJobStart\"}\n");
  EXPECT_EQ(s.ship_once().uploaded, 2);
  EXPECT_NE(shipped_text(d + "events_1_app-1").find("ApplicationStart"), std::string::npos);

  // The app ends: the last file whole, its status, and the marker goes.
  from.write(d + "events_2_app-1", "{\"Event\":\"SparkListenerApplicationEnd\"}\n", true);
  std::filesystem::rename(from.path() / d / "appstatus_app-1.inprogress",
                          from.path() / d / "appstatus_app-1");
  const ShipReport r = s.ship_once();
  EXPECT_EQ(r.uploaded, 2);
  EXPECT_EQ(r.deleted, 1);
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(shipped(), (std::set<std::string>{d + "appstatus_app-1", d + "events_1_app-1",
                                              d + "events_2_app-1"}));
  EXPECT_NE(shipped_text(d + "events_2_app-1").find("ApplicationEnd"), std::string::npos);
  EXPECT_EQ(s.ship_once().uploaded, 0);  // nothing twice
}

TEST_F(LogShipperTest, GrowingFilesGoAgainAfterTheInterval) {
  from.write("eventlog_v2_a/appstatus_a.inprogress", "");
  from.write("eventlog_v2_a/events_1_a", "1\n");
  from.write("local-2.inprogress", "1\n");
  LogShipper s(from.path(), target(), {.state_file = {}, .in_progress_every = 0ms});
  EXPECT_EQ(s.ship_once().uploaded, 3);
  EXPECT_EQ(s.ship_once().uploaded, 0);  // unchanged: never again
  from.write("eventlog_v2_a/events_1_a", "2\n", true);
  from.write("local-2.inprogress", "2\n", true);
  EXPECT_EQ(s.ship_once().uploaded, 2);
  EXPECT_EQ(shipped_text("local-2.inprogress"), "1\n2\n");
}

TEST_F(LogShipperTest, SingleFileLogReplacesItsInProgressCopy) {
  from.write("local-1.zstd.inprogress", "partial");
  LogShipper s(from.path(), target(), {.state_file = {}, .in_progress_every = 1h});
  EXPECT_EQ(s.ship_once().uploaded, 1);
  std::filesystem::rename(from.path() / "local-1.zstd.inprogress", from.path() / "local-1.zstd");
  const ShipReport r = s.ship_once();
  EXPECT_EQ(r.uploaded, 1);
  EXPECT_EQ(r.deleted, 1);
  EXPECT_EQ(shipped(), std::set<std::string>{"local-1.zstd"});
}

TEST_F(LogShipperTest, ResumesFromItsStateFileAndSkipsHiddenFiles) {
  from.write("local-1", "done\n");
  from.write(".local-2.crc", "x");
  {
    LogShipper s(from.path(), target());
    EXPECT_EQ(s.ship_once().uploaded, 1);
  }
  EXPECT_TRUE(std::filesystem::exists(from.path() / ".sparkplane-ship.json"));
  LogShipper again(from.path(), target());
  EXPECT_EQ(again.ship_once().uploaded, 0);  // what it recorded is not shipped again
  EXPECT_EQ(shipped(), std::set<std::string>{"local-1"});

  // An unreadable state file loses nothing: everything is shipped again, same keys.
  from.write(".sparkplane-ship.json", "{not json");
  LogShipper fresh(from.path(), target());
  EXPECT_EQ(fresh.ship_once().uploaded, 1);
  EXPECT_EQ(shipped(), std::set<std::string>{"local-1"});
}

TEST_F(LogShipperTest, AFailingTargetIsRetriedOnTheNextPass) {
  from.write("local-1", "done\n");
  std::filesystem::create_directories(to.path() / "local-1");  // a directory in the way
  LogShipper s(from.path(), target());
  EXPECT_EQ(s.ship_once().failed, 1);
  std::filesystem::remove(to.path() / "local-1");
  const ShipReport r = s.ship_once();
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(r.uploaded, 1);
}

}  // namespace
}  // namespace sp::eventlog
