// Time source for everything that schedules: real in production, fake in tests.
#pragma once

#include <chrono>
#include <mutex>

namespace sp {

using Time = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;
using std::chrono::milliseconds;
using std::chrono::seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Time now() const override { return std::chrono::system_clock::now(); }
};

// The process's SystemClock, for defaults.
inline const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

// A clock that moves only when told to.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Time start) : now_(start) {}
  Time now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void advance(Duration d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }
  void set(Time t) {
    std::lock_guard lock(mu_);
    now_ = t;
  }

 private:
  mutable std::mutex mu_;
  Time now_;
};

}  // namespace sp
