#include "controller/work_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace sp::controller {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// Runs get() on another thread; the result is read after join().
struct AsyncGet {
  explicit AsyncGet(WorkQueue& q) : thread([this, &q] { result = q.get(); }) {}
  std::optional<std::string> join() {
    thread.join();
    return result;
  }
  std::optional<std::string> result;
  std::thread thread;
};

TEST(WorkQueue, HandsOutKeysInOrder) {
  WorkQueue q;
  q.add("a");
  q.add("b");
  q.add("c");
  EXPECT_EQ(q.length(), 3u);
  EXPECT_EQ(q.get(), "a");
  EXPECT_EQ(q.get(), "b");
  EXPECT_EQ(q.get(), "c");
  EXPECT_EQ(q.length(), 0u);
}

TEST(WorkQueue, DeduplicatesQueuedKeys) {
  WorkQueue q;
  q.add("a");
  q.add("b");
  q.add("a");
  q.add("a");
  EXPECT_EQ(q.length(), 2u);
  EXPECT_EQ(q.get(), "a");
  EXPECT_EQ(q.get(), "b");
  EXPECT_EQ(q.length(), 0u);
}

TEST(WorkQueue, KeyAddedWhileProcessingComesBackAfterDone) {
  WorkQueue q;
  q.add("a");
  ASSERT_EQ(q.get(), "a");
  q.add("a");
  q.add("a");
  EXPECT_EQ(q.length(), 0u) << "a key being processed is not handed out again";
  q.add("b");
  EXPECT_EQ(q.get(), "b");
  q.done("a");
  EXPECT_EQ(q.length(), 1u) << "re-queued once, however many times it was added";
  EXPECT_EQ(q.get(), "a");
  q.done("a");
  q.done("b");
  EXPECT_EQ(q.length(), 0u);
}

TEST(WorkQueue, DoneWithoutReAddLeavesNothing) {
  WorkQueue q;
  q.add("a");
  ASSERT_EQ(q.get(), "a");
  q.done("a");
  EXPECT_EQ(q.length(), 0u);
  q.add("a");
  EXPECT_EQ(q.get(), "a");
}

TEST(WorkQueue, GetBlocksUntilAKeyIsAdded) {
  WorkQueue q;
  AsyncGet getter(q);
  std::this_thread::sleep_for(20ms);
  q.add("late");
  EXPECT_EQ(getter.join(), "late");
}

TEST(WorkQueue, ShutDownWakesEveryWaitingGetter) {
  WorkQueue q;
  std::vector<std::unique_ptr<AsyncGet>> getters;
  for (int i = 0; i < 4; ++i) getters.push_back(std::make_unique<AsyncGet>(q));
  std::this_thread::sleep_for(20ms);
  q.shut_down();
  for (auto& g : getters) EXPECT_EQ(g->join(), std::nullopt);
  // After shut down: get() returns at once and adds are ignored.
  q.add("a");
  q.add_after("b", 1ms);
  EXPECT_EQ(q.get(), std::nullopt);
  EXPECT_EQ(q.length(), 0u);
  q.done("a");  // harmless
}

TEST(WorkQueue, ShutDownWakesAGetterWaitingForADelayedKey) {
  WorkQueue q;
  q.add_after("later", 1h);
  AsyncGet getter(q);
  std::this_thread::sleep_for(20ms);
  q.shut_down();
  EXPECT_EQ(getter.join(), std::nullopt);
}

TEST(WorkQueue, AddAfterWaitsForTheDelay) {
  WorkQueue q;
  const auto start = SteadyClock::now();
  q.add_after("a", 50ms);
  EXPECT_EQ(q.length(), 0u);
  EXPECT_EQ(q.get(), "a");
  EXPECT_GE(SteadyClock::now() - start, 50ms);
}

TEST(WorkQueue, AddAfterWithoutDelayIsAdd) {
  WorkQueue q;
  q.add_after("a", 0ms);
  q.add_after("b", -5ms);
  EXPECT_EQ(q.length(), 2u);
}

TEST(WorkQueue, DelayedKeysComeOutInOrderOfReadiness) {
  WorkQueue q;
  q.add_after("c", 90ms);
  q.add_after("a", 30ms);
  q.add_after("b", 60ms);
  EXPECT_EQ(q.get(), "a");
  EXPECT_EQ(q.get(), "b");
  EXPECT_EQ(q.get(), "c");
}

TEST(WorkQueue, AnEarlierDelayWinsAndDuplicatesAreDropped) {
  WorkQueue q;
  q.add_after("a", 1h);
  q.add_after("a", 20ms);  // earlier: replaces
  q.add_after("a", 2h);    // later: ignored
  const auto start = SteadyClock::now();
  EXPECT_EQ(q.get(), "a");
  EXPECT_LT(SteadyClock::now() - start, 30s);
  q.done("a");
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(q.length(), 0u) << "only one of the three adds is handed out";
}

TEST(WorkQueue, DelayedKeyAlreadyQueuedIsNotDuplicated) {
  WorkQueue q;
  q.add("a");
  q.add_after("a", 10ms);
  std::this_thread::sleep_for(40ms);
  EXPECT_EQ(q.length(), 1u);
}

TEST(WorkQueue, LengthCountsDelayedKeysOnceDue) {
  WorkQueue q;
  q.add_after("a", 10ms);
  EXPECT_EQ(q.length(), 0u);
  std::this_thread::sleep_for(60ms);
  EXPECT_EQ(q.length(), 1u);
}

TEST(WorkQueue, ANewerShorterDelayWakesAGetterWaitingOnALongerOne) {
  WorkQueue q;
  q.add_after("slow", 1h);
  AsyncGet getter(q);
  std::this_thread::sleep_for(20ms);
  q.add_after("fast", 10ms);
  EXPECT_EQ(getter.join(), "fast");
  q.shut_down();
}

TEST(WorkQueue, RateLimitedBackoffDoublesFromFiveMilliseconds) {
  WorkQueue q;
  EXPECT_EQ(q.num_requeues("a"), 0);
  // 5, 10, 20, 40 ms: about 75 ms in all before the fourth retry is handed out.
  const auto start = SteadyClock::now();
  for (int i = 0; i < 4; ++i) {
    q.add_rate_limited("a");
    EXPECT_EQ(q.num_requeues("a"), i + 1);
    ASSERT_EQ(q.get(), "a");
    q.done("a");
  }
  EXPECT_GE(SteadyClock::now() - start, 75ms);

  // Each failure doubles the delay of the next one.
  q.add_rate_limited("a");  // fifth: 80 ms
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(q.length(), 0u) << "80 ms backoff not over after 30 ms";
  EXPECT_EQ(q.get(), "a");
  q.done("a");
  EXPECT_EQ(q.num_requeues("a"), 5);
}

TEST(WorkQueue, ForgetResetsTheBackoff) {
  WorkQueue q;
  // Twelve failures; the key waits for the earliest of them (5 ms).
  for (int i = 0; i < 12; ++i) q.add_rate_limited("a");
  EXPECT_EQ(q.num_requeues("a"), 12);
  ASSERT_EQ(q.get(), "a");
  q.done("a");
  // Without forget() the next retry would wait 5 ms * 2^12 = 20 s.
  q.forget("a");
  EXPECT_EQ(q.num_requeues("a"), 0);
  const auto start = SteadyClock::now();
  q.add_rate_limited("a");
  EXPECT_EQ(q.get(), "a");
  EXPECT_LT(SteadyClock::now() - start, 5s);
  EXPECT_EQ(q.num_requeues("a"), 1);
}

TEST(WorkQueue, BackoffIsPerKeyAndCapped) {
  WorkQueue q;
  for (int i = 0; i < 100; ++i) q.add_rate_limited("hot");  // 5 ms * 2^99: capped, no overflow
  EXPECT_EQ(q.num_requeues("hot"), 100);
  ASSERT_EQ(q.get(), "hot");  // the first delay, 5 ms
  q.done("hot");
  q.add_rate_limited("hot");  // 1000 s
  EXPECT_EQ(q.num_requeues("cold"), 0);
  q.add_rate_limited("cold");  // 5 ms: its own backoff
  EXPECT_EQ(q.get(), "cold");
  EXPECT_EQ(q.length(), 0u);
  q.shut_down();
}

// Several workers, many keys added again and again: every key is processed, never by two
// workers at once, and a key added during processing is processed again afterwards.
TEST(WorkQueue, WorkersNeverProcessOneKeyConcurrently) {
  WorkQueue q;
  constexpr int kWorkers = 6;
  constexpr int kKeys = 8;
  constexpr int kRounds = 200;

  std::mutex mu;
  std::set<std::string> in_flight;
  std::map<std::string, int> processed;
  std::map<std::string, SteadyClock::time_point> last_added;
  std::map<std::string, SteadyClock::time_point> last_started;
  std::atomic<bool> overlap{false};

  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&] {
      while (auto key = q.get()) {
        {
          std::lock_guard lock(mu);
          if (!in_flight.insert(*key).second) overlap = true;
          last_started[*key] = SteadyClock::now();
        }
        std::this_thread::sleep_for(100us);
        {
          std::lock_guard lock(mu);
          in_flight.erase(*key);
          ++processed[*key];
        }
        q.done(*key);
      }
    });
  }

  for (int r = 0; r < kRounds; ++r) {
    for (int k = 0; k < kKeys; ++k) {
      std::string key = "key-" + std::to_string(k);
      {
        std::lock_guard lock(mu);
        last_added[key] = SteadyClock::now();
      }
      q.add(key);
    }
    if (r % 20 == 0) std::this_thread::sleep_for(1ms);
  }

  // Every key's last add must be followed by a processing that started after it.
  const auto deadline = SteadyClock::now() + 30s;
  for (;;) {
    bool all_seen = true;
    {
      std::lock_guard lock(mu);
      for (const auto& [key, added] : last_added) {
        auto it = last_started.find(key);
        if (it == last_started.end() || it->second < added || in_flight.contains(key)) {
          all_seen = false;
        }
      }
    }
    if (all_seen || SteadyClock::now() > deadline) break;
    std::this_thread::sleep_for(5ms);
  }
  q.shut_down();
  for (auto& t : workers) t.join();

  EXPECT_FALSE(overlap) << "a key was handed to two workers at once";
  std::lock_guard lock(mu);
  ASSERT_EQ(processed.size(), static_cast<size_t>(kKeys));
  for (const auto& [key, added] : last_added) {
    EXPECT_GE(last_started[key], added) << key << " was not processed after its last add";
    EXPECT_GE(processed[key], 1);
    EXPECT_LE(processed[key], kRounds) << "dedupe keeps processing at most once per add";
  }
}

TEST(WorkQueue, ManyWorkersShareDelayedAndImmediateKeys) {
  WorkQueue q;
  constexpr int kWorkers = 4;
  std::mutex mu;
  std::multiset<std::string> seen;
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&] {
      while (auto key = q.get()) {
        {
          std::lock_guard lock(mu);
          seen.insert(*key);
        }
        q.done(*key);
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    q.add("now-" + std::to_string(i));
    q.add_after("later-" + std::to_string(i), std::chrono::milliseconds(5 + i * 2));
  }
  const auto deadline = SteadyClock::now() + 30s;
  while (SteadyClock::now() < deadline) {
    {
      std::lock_guard lock(mu);
      if (seen.size() >= 40) break;
    }
    std::this_thread::sleep_for(5ms);
  }
  q.shut_down();
  for (auto& t : workers) t.join();
  EXPECT_EQ(seen.size(), 40u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(seen.count("now-" + std::to_string(i)), 1u);
    EXPECT_EQ(seen.count("later-" + std::to_string(i)), 1u);
  }
}

}  // namespace
}  // namespace sp::controller
