// The work queue of client-go (workqueue.RateLimitingInterface) in one class:
//
//   queue       keys ready to be handed out, in order, each at most once;
//   dirty       keys that need processing: those in `queue`, plus those added while being
//               processed (they go back into `queue` at done());
//   processing  keys handed out by get() and not yet done();
//   waiting     keys added with a delay, ordered by the time they become ready. There is no
//               timer thread: get() waits on the condition variable until the earliest one
//               is due, and every call looks for due keys first.
//   failures    per-key count for the exponential backoff of add_rate_limited().
#include "controller/work_queue.h"

#include <cmath>
#include <string_view>
#include <utility>

namespace sp::controller {

namespace {

using Clock = std::chrono::steady_clock;

// client-go's DefaultControllerRateLimiter's per-item part.
constexpr WorkQueue::Duration kBaseDelay = std::chrono::milliseconds(5);
constexpr WorkQueue::Duration kMaxDelay = std::chrono::seconds(1000);

}  // namespace

struct WorkQueue::Impl {
  std::mutex mu;
  std::condition_variable cv;
  bool shutting_down = false;

  std::deque<std::string> queue;
  std::set<std::string> dirty;
  std::set<std::string> processing;

  // (ready time, insertion number) -> key: the number keeps keys due at the same time in the
  // order they were added. Each key is stored once, in `waiting`; `waiting_by_key` views it
  // (map nodes do not move). Every running app waits here for its resync: ~64 B each saved.
  using When = std::pair<Clock::time_point, uint64_t>;
  std::map<When, std::string> waiting;
  std::map<std::string_view, When> waiting_by_key;
  uint64_t next_seq = 0;

  std::map<std::string, int> failures;

  void add_locked(const std::string& key) {
    if (shutting_down || dirty.contains(key)) return;
    dirty.insert(key);
    if (processing.contains(key)) return;  // re-queued by done()
    queue.push_back(key);
    cv.notify_one();
  }

  // Moves the keys whose delay has passed into the queue.
  void promote_due_locked() {
    if (waiting.empty()) return;
    const auto now = Clock::now();
    while (!waiting.empty() && waiting.begin()->first.first <= now) {
      auto node = waiting.extract(waiting.begin());
      waiting_by_key.erase(node.mapped());
      add_locked(node.mapped());
    }
  }

  void add_after_locked(const std::string& key, Duration delay) {
    if (shutting_down) return;
    if (delay <= Duration::zero()) {
      add_locked(key);
      return;
    }
    const auto ready = Clock::now() + delay;
    if (auto it = waiting_by_key.find(key); it != waiting_by_key.end()) {
      // Already waiting: keep the earlier of the two times.
      if (it->second.first <= ready) return;
      const When old = it->second;
      waiting_by_key.erase(it);  // before its key's storage goes
      waiting.erase(old);
    }
    const When when{ready, next_seq++};
    auto stored = waiting.emplace(when, key).first;
    waiting_by_key.emplace(stored->second, when);
    // Getters may be sleeping until a later deadline, or without one.
    cv.notify_all();
  }

  // ItemExponentialFailureRateLimiter.When(): 5 ms * 2^failures, at most 1000 s.
  Duration backoff_locked(const std::string& key) {
    const int exp = failures[key]++;
    const double ns =
        static_cast<double>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(kBaseDelay).count()) *
        std::pow(2.0, exp);
    const double max_ns = static_cast<double>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(kMaxDelay).count());
    if (ns >= max_ns) return kMaxDelay;
    return std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(static_cast<int64_t>(ns)));
  }
};

WorkQueue::WorkQueue() : impl_(std::make_unique<Impl>()) {}

WorkQueue::~WorkQueue() { shut_down(); }

void WorkQueue::add(const std::string& key) {
  std::lock_guard lock(impl_->mu);
  impl_->add_locked(key);
}

void WorkQueue::add_after(const std::string& key, Duration delay) {
  std::lock_guard lock(impl_->mu);
  impl_->add_after_locked(key, delay);
}

void WorkQueue::add_rate_limited(const std::string& key) {
  std::lock_guard lock(impl_->mu);
  if (impl_->shutting_down) return;
  impl_->add_after_locked(key, impl_->backoff_locked(key));
}

void WorkQueue::forget(const std::string& key) {
  std::lock_guard lock(impl_->mu);
  impl_->failures.erase(key);
}

int WorkQueue::num_requeues(const std::string& key) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->failures.find(key);
  return it == impl_->failures.end() ? 0 : it->second;
}

std::optional<std::string> WorkQueue::get() {
  std::unique_lock lock(impl_->mu);
  for (;;) {
    if (impl_->shutting_down) return std::nullopt;
    impl_->promote_due_locked();
    if (!impl_->queue.empty()) break;
    if (impl_->waiting.empty()) {
      impl_->cv.wait(lock);
    } else {
      // A copy: wait_until() reads the deadline after relocking, when the node may be gone.
      const Clock::time_point deadline = impl_->waiting.begin()->first.first;
      impl_->cv.wait_until(lock, deadline);
    }
  }
  std::string key = std::move(impl_->queue.front());
  impl_->queue.pop_front();
  impl_->dirty.erase(key);
  impl_->processing.insert(key);
  // Another key may be ready too, and its add_locked() may have woken only this getter.
  if (!impl_->queue.empty()) impl_->cv.notify_one();
  return key;
}

void WorkQueue::done(const std::string& key) {
  std::lock_guard lock(impl_->mu);
  impl_->processing.erase(key);
  if (impl_->dirty.contains(key) && !impl_->shutting_down) {
    impl_->queue.push_back(key);
    impl_->cv.notify_one();
  }
}

void WorkQueue::shut_down() {
  std::lock_guard lock(impl_->mu);
  impl_->shutting_down = true;
  impl_->queue.clear();
  impl_->waiting.clear();
  impl_->waiting_by_key.clear();
  impl_->cv.notify_all();
}

size_t WorkQueue::length() const {
  std::lock_guard lock(impl_->mu);
  impl_->promote_due_locked();
  return impl_->queue.size();
}

}  // namespace sp::controller
