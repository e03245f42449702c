#include "eventlog/ship_loop.h"

#include <spdlog/spdlog.h>

namespace sp::eventlog {

ShipLoop::ShipLoop(LogShipper& shipper, std::chrono::milliseconds interval)
    : shipper_(shipper), interval_(interval) {}

ShipLoop::~ShipLoop() { stop(); }

void ShipLoop::start() {
  thread_ = std::thread([this] { run(); });
}

void ShipLoop::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ShipLoop::pass() {
  try {
    const ShipReport r = shipper_.ship_once();  // errors of one file are logged there
    if (r.uploaded > 0 || r.failed > 0) {
      spdlog::debug("ship: {} uploaded, {} removed, {} failed", r.uploaded, r.deleted, r.failed);
    }
  } catch (const std::exception& e) {
    spdlog::warn("ship: {} (retried on the next pass)", e.what());
  }
}

void ShipLoop::run() {
  for (;;) {
    pass();
    std::unique_lock lock(mu_);
    if (stopping_) return;  // the pass above was the last one
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    // Stopping or not, one more pass: a stop ships what Spark closed just before it.
    if (stopping_) {
      lock.unlock();
      pass();
      return;
    }
  }
}

}  // namespace sp::eventlog
