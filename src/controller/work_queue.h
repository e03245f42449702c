// A work queue of object keys in the manner of client-go's rate-limited delaying queue:
// a key is never processed by two workers at once; a key added while being processed is
// processed again after done(); add_after() delays; add_rate_limited() delays by a per-key
// exponential backoff (5 ms doubling to 1000 s) until forget().
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace sp::controller {

class WorkQueue {
 public:
  using Duration = std::chrono::steady_clock::duration;

  WorkQueue();
  ~WorkQueue();

  void add(const std::string& key);
  void add_after(const std::string& key, Duration delay);
  void add_rate_limited(const std::string& key);
  void forget(const std::string& key);  // resets the key's backoff
  int num_requeues(const std::string& key) const;

  // Blocks until a key is ready; nullopt once shut down (keys still queued are dropped).
  std::optional<std::string> get();
  void done(const std::string& key);
  void shut_down();
  size_t length() const;  // keys ready to be processed

 private:
  // Locked state; see work_queue.cc. Behind a pointer so that length() and
  // num_requeues() stay const while moving due keys from the waiting set.
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sp::controller
