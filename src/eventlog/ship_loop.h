// Runs a LogShipper in the background: one pass every interval on its own thread, and one last
// pass at stop() so that what Spark closed just before is shipped too. For `sparkplane up` with
// an s3:// event log directory.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "eventlog/log_shipper.h"

namespace sp::eventlog {

class ShipLoop {
 public:
  ShipLoop(LogShipper& shipper, std::chrono::milliseconds interval);
  ~ShipLoop();
  ShipLoop(const ShipLoop&) = delete;
  ShipLoop& operator=(const ShipLoop&) = delete;

  void start();
  void stop();  // idempotent; the last pass runs before it returns

 private:
  void run();
  void pass();

  LogShipper& shipper_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sp::eventlog
