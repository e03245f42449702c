#include "runtime/kube/backoff.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <random>

namespace sp::kube {

std::chrono::milliseconds jittered(std::chrono::milliseconds d, double fraction) {
  if (fraction <= 0 || d.count() <= 0) return d;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> extra(0.0, fraction);
  return d + std::chrono::milliseconds(
                 static_cast<long long>(static_cast<double>(d.count()) * extra(rng)));
}

std::chrono::milliseconds Backoff::next() {
  const auto d = next_;
  next_ = std::min(max_, std::chrono::milliseconds(
                             static_cast<long long>(static_cast<double>(next_.count()) * factor_)));
  return jittered(d, jitter_);
}

bool sleep_for(std::chrono::milliseconds d, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  return !cv.wait_for(lock, stop, d, [] { return false; }) && !stop.stop_requested();
}

}  // namespace sp::kube
