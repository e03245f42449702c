// Ships the event logs Spark writes into a local directory to another store (S3), file by file
// as Spark closes them, so that a stock Spark image with a local spark.eventLog.dir has its logs
// in object storage without Hadoop's S3A:
//   - a rolling log (eventlog_v2_<name>/): its appstatus_<name>.inprogress marker first, each
//     events_<n>_<name> file once Spark has moved on to the next one, and the one Spark writes
//     again when it has grown (at most every in_progress_every), so that the history server
//     lists the app as in progress; when the app ends, its last events file, then
//     appstatus_<name>, then the marker is deleted;
//   - a single-file log: its ".inprogress" file again when it has grown (at most every
//     in_progress_every), and when Spark renames it, the final file, then the ".inprogress" copy
//     is deleted.
// Every file goes under the same key it has locally, whole (one PUT or a multipart upload), so a
// repeated upload replaces, never duplicates. What was shipped (key, size, mtime) is remembered in
// a state file written at the end of each pass and every second during one (not after each
// upload: with thousands of logs that rewrite would cost more than the uploads): after a crash, a
// restart ships only what it had not recorded (at least once). A failed upload is retried on the
// next pass.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "storage/local_store.h"

namespace sp::eventlog {

struct ShipOptions {
  std::filesystem::path state_file;  // "" : <from>/.sparkplane-ship.json
  std::chrono::milliseconds in_progress_every{std::chrono::seconds(30)};
};

struct ShipReport {
  int uploaded = 0;  // objects put this pass
  int deleted = 0;   // in-progress copies removed
  int failed = 0;    // uploads that failed (retried next pass)
};

class LogShipper {
 public:
  LogShipper(std::filesystem::path from, std::shared_ptr<storage::ObjectStore> to,
             ShipOptions options = {});

  // One pass over the directory. Errors of one file are logged and counted, not thrown.
  ShipReport ship_once();

 private:
  struct Shipped {
    std::uint64_t size = 0;
    std::int64_t mtime_ms = 0;
  };
  // A file Spark still appends to: shipped when new, again when it changed and in_progress_every
  // has passed since its last upload.
  void ship_growing(const storage::ObjectInfo& file, ShipReport& report);
  void ship_single(const storage::ObjectInfo& file, ShipReport& report);
  void ship_rolling(const storage::ObjectInfo& dir, ShipReport& report);
  // Puts the local file under the same key unless already shipped as it is; true when shipped
  // now or before.
  bool ship_file(const storage::ObjectInfo& file, ShipReport& report);
  void drop(const std::string& key, ShipReport& report);
  void load_state();
  void note_change();  // the state is saved at most every kSaveEvery, and at the end of a pass
  void save_state();

  static constexpr std::chrono::seconds kSaveEvery{1};

  storage::LocalStore from_;
  std::shared_ptr<storage::ObjectStore> to_;
  ShipOptions options_;
  std::map<std::string, Shipped> shipped_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_in_progress_put_;
  bool state_dirty_ = false;
  std::chrono::steady_clock::time_point last_save_{};
};

}  // namespace sp::eventlog
