// replay(): a reader feeding batches of lines to parsing threads that apply them in order.
#include "history/parallel_replay.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "history/event_parser.h"

namespace sp::history {
namespace {

// Lines copied out of the reader's buffer, each followed by "\n", then SIMDJSON_PADDING bytes
// so that simdjson parses them in place.
struct Batch {
  std::uint64_t seq = 0;
  std::string text;
  std::vector<std::size_t> starts;  // of each line, then one past the last line's "\n"
  std::vector<ParsedLine> parsed;   // one per line

  std::size_t lines() const { return starts.empty() ? 0 : starts.size() - 1; }
  std::string_view line(std::size_t i) const {
    return std::string_view(text).substr(starts[i], starts[i + 1] - starts[i] - 1);
  }
  void add(std::string_view line) {
    if (starts.empty()) starts.push_back(0);
    text.append(line);
    text.push_back('\n');
    starts.push_back(text.size());
  }
  void seal() { text.append(simdjson::SIMDJSON_PADDING, ' '); }
  void clear() {
    text.clear();
    starts.clear();
  }
  void parse(EventParser& parser) {
    const std::size_t n = lines();
    if (parsed.size() < n) parsed.resize(n);
    for (std::size_t i = 0; i < n; ++i) parser.parse_line(line(i), parsed[i], true);
  }
  void apply(AppStore& store) {
    const std::size_t n = lines();
    for (std::size_t i = 0; i < n; ++i) store.apply_parsed(parsed[i]);
  }
};

class Pipeline {
 public:
  Pipeline(AppStore& store, unsigned threads, std::size_t max_batches)
      : store_(store), threads_(threads), max_batches_(max_batches) {}
  ~Pipeline() { stop(); }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // A batch to fill: waits while max_batches are in flight. Null once a worker failed.
  Batch* take() {
    std::unique_lock lock(mu_);
    if (free_.empty() && all_.size() < max_batches_) {
      all_.push_back(std::make_unique<Batch>());
      return all_.back().get();
    }
    free_cv_.wait(lock, [&] { return !free_.empty() || error_; });
    if (error_) return nullptr;
    Batch* b = free_.back();
    free_.pop_back();
    return b;
  }

  // Hands a filled batch over to be parsed and applied after the ones before it.
  void submit(Batch* b) {
    b->seal();
    {
      std::lock_guard lock(mu_);
      b->seq = submitted_++;
      queue_.push_back(b);
      if (workers_.empty()) {
        for (unsigned i = 0; i < threads_; ++i) workers_.emplace_back([this] { work(); });
      }
    }
    work_cv_.notify_one();
  }

  bool started() const { return !workers_.empty(); }

  // Waits until every batch submitted is applied; rethrows what a worker caught.
  void finish() {
    std::unique_lock lock(mu_);
    done_cv_.wait(lock, [&] { return applied_ == submitted_ || error_; });
    lock.unlock();
    stop();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    work_cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  void fail(std::exception_ptr e) {
    std::lock_guard lock(mu_);
    if (!error_) error_ = e;
    free_cv_.notify_all();
    done_cv_.notify_all();
  }

  void work() {
    EventParser parser;
    std::unique_lock lock(mu_);
    while (true) {
      work_cv_.wait(lock, [&] { return stopping_ || error_ || !queue_.empty(); });
      if (stopping_ || error_) return;
      Batch* b = queue_.front();
      queue_.pop_front();
      lock.unlock();
      try {
        b->parse(parser);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      lock.lock();
      parsed_.emplace(b->seq, b);
      if (applying_) continue;  // the worker applying takes it in its turn
      // Apply every batch whose turn has come, this one and those parsed meanwhile.
      applying_ = true;
      while (!error_ && !parsed_.empty() && parsed_.begin()->first == applied_) {
        Batch* next = parsed_.begin()->second;
        parsed_.erase(parsed_.begin());
        lock.unlock();
        try {
          next->apply(store_);
        } catch (...) {
          fail(std::current_exception());
          lock.lock();
          break;
        }
        next->clear();
        lock.lock();
        ++applied_;
        free_.push_back(next);
        free_cv_.notify_one();
        done_cv_.notify_all();
      }
      applying_ = false;
    }
  }

  AppStore& store_;
  const unsigned threads_;
  const std::size_t max_batches_;

  std::mutex mu_;
  std::condition_variable work_cv_, free_cv_, done_cv_;
  std::vector<std::unique_ptr<Batch>> all_;
  std::vector<Batch*> free_;
  std::deque<Batch*> queue_;                // to parse, in order
  std::map<std::uint64_t, Batch*> parsed_;  // waiting for their turn
  std::uint64_t submitted_ = 0;
  std::uint64_t applied_ = 0;
  bool applying_ = false;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

unsigned parse_threads(const ReplayOptions& o) {
  if (o.threads != 0) return o.threads;
  return std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
}

}  // namespace

eventlog::ReadStatus replay(eventlog::EventLogReader& reader, AppStore& store,
                            const ReplayOptions& options) {
  const unsigned threads = parse_threads(options);
  if (threads <= 1) {
    return reader.read_more([&](std::string_view line) {
      store.apply_line(line);
      return true;
    });
  }
  const std::size_t batch_bytes = std::max<std::size_t>(options.batch_bytes, 1);
  const std::size_t max_batches =
      std::max<std::size_t>(options.max_batches ? options.max_batches : 2 * threads + 2, 2);
  Pipeline pipeline(store, threads, max_batches);
  Batch* batch = nullptr;
  eventlog::ReadStatus status = reader.read_more([&](std::string_view line) {
    if (batch == nullptr && (batch = pipeline.take()) == nullptr) return false;  // failed
    batch->add(line);
    if (batch->text.size() >= batch_bytes) {
      pipeline.submit(batch);
      batch = nullptr;
    }
    return true;
  });
  if (batch != nullptr && !pipeline.started()) {
    // Less than one batch in all (a small log, a few new lines): no threads needed.
    EventParser parser;
    batch->seal();
    batch->parse(parser);
    batch->apply(store);
  } else if (batch != nullptr) {
    pipeline.submit(batch);
  }
  pipeline.finish();
  return status;
}

}  // namespace sp::history
