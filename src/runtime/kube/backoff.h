// Waiting between retries: an exponential backoff with jitter, and a sleep that a
// std::stop_token cuts short, for the client's retries, the informer and leader election.
#pragma once

#include <chrono>
#include <stop_token>

namespace sp::kube {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, double factor = 2.0,
          double jitter = 0.5)
      : initial_(initial), max_(max), factor_(factor), jitter_(jitter), next_(initial) {}

  // The next delay (initial, initial*factor, ... up to max), plus up to `jitter` of it at random.
  std::chrono::milliseconds next();
  void reset() { next_ = initial_; }

 private:
  std::chrono::milliseconds initial_, max_;
  double factor_, jitter_;
  std::chrono::milliseconds next_;
};

// Up to `d` plus `fraction` of it at random (client-go's wait.Jitter).
std::chrono::milliseconds jittered(std::chrono::milliseconds d, double fraction);

// Sleeps for `d`; returns false at once when `stop` is (or gets) requested.
bool sleep_for(std::chrono::milliseconds d, std::stop_token stop);

}  // namespace sp::kube
