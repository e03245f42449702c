// replay(): the calling thread reads and applies, worker threads parse batches in between.
#include "history/parallel_replay.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
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
  std::string text;
  std::vector<std::size_t> starts;  // of each line, then one past the last line's "\n"
  std::vector<ParsedLine> parsed;   // one per line, reused (see EventParser::parse_line)
  bool taken = false;               // by a parser (guarded by the pipeline's mutex)
  bool done = false;                // parsed (guarded by the pipeline's mutex)

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
  void parse(EventParser& parser) {
    const std::size_t n = lines();
    if (parsed.size() < n) parsed.resize(n);
    for (std::size_t i = 0; i < n; ++i) parser.parse_line(line(i), parsed[i], true);
  }
  void apply(AppStore& store) {
    const std::size_t n = lines();
    for (std::size_t i = 0; i < n; ++i) store.apply_parsed(parsed[i]);
  }
  void clear() {
    text.clear();
    starts.clear();
    taken = done = false;
  }
};

// The batches: filled and applied by the calling thread, parsed by the workers (or by the
// calling thread, when the batch it needs next is not taken yet).
class Pipeline {
 public:
  Pipeline(AppStore& store, unsigned workers, std::size_t max_batches)
      : store_(store), workers_wanted_(workers), max_batches_(max_batches) {}
  ~Pipeline() { stop(); }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // A batch to fill. When all are in flight, applies the oldest first.
  Batch* take() {
    if (free_.empty() && all_.size() < max_batches_) {
      all_.push_back(std::make_unique<Batch>());
      return all_.back().get();
    }
    if (free_.empty()) apply_next();
    Batch* b = free_.back();
    free_.pop_back();
    return b;
  }

  // Hands a filled batch over to the parsers.
  void submit(Batch* b) {
    b->seal();
    in_order_.push_back(b);
    {
      std::lock_guard lock(mu_);
      queue_.push_back(b);
    }
    if (workers_.empty()) {
      for (unsigned i = 0; i < workers_wanted_; ++i) workers_.emplace_back([this] { work(); });
    }
    work_cv_.notify_one();
  }

  bool started() const { return !workers_.empty(); }

  // Applies every batch submitted; rethrows what a worker caught.
  void finish() {
    while (!in_order_.empty()) apply_next();
    stop();
  }

 private:
  // Applies the oldest batch in flight: waits for its parse, or parses it here if no worker
  // took it yet.
  void apply_next() {
    Batch* b = in_order_.front();
    bool parse_here = false;
    {
      std::unique_lock lock(mu_);
      if (!b->taken) {  // the first of the queue, since batches are queued in order
        b->taken = parse_here = true;
        queue_.pop_front();
      } else {
        awaited_ = b;
        done_cv_.wait(lock, [&] { return b->done || error_; });
        awaited_ = nullptr;
      }
      if (error_) {
        lock.unlock();
        stop();
        std::rethrow_exception(error_);
      }
    }
    if (parse_here) b->parse(parser_);
    b->apply(store_);
    in_order_.pop_front();
    b->clear();
    free_.push_back(b);
  }

  void work() {
    EventParser parser;
    std::unique_lock lock(mu_);
    while (true) {
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      Batch* b = queue_.front();
      queue_.pop_front();
      b->taken = true;
      lock.unlock();
      std::exception_ptr failed;
      try {
        b->parse(parser);
      } catch (...) {  // e.g. out of memory
        failed = std::current_exception();
      }
      lock.lock();
      b->done = true;
      if (failed && !error_) error_ = failed;
      if (b == awaited_ || failed) done_cv_.notify_one();
    }
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    work_cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  AppStore& store_;
  const unsigned workers_wanted_;
  const std::size_t max_batches_;
  EventParser parser_;  // the calling thread's

  // The calling thread's own.
  std::vector<std::unique_ptr<Batch>> all_;
  std::vector<Batch*> free_;
  std::deque<Batch*> in_order_;  // submitted, not applied yet

  // Shared with the workers.
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Batch*> queue_;  // submitted, not taken by a parser yet
  const Batch* awaited_ = nullptr;
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
      std::max<std::size_t>(options.max_batches ? options.max_batches : 3 * threads, 2);
  Pipeline pipeline(store, threads - 1, max_batches);
  Batch* batch = nullptr;
  eventlog::ReadStatus status = reader.read_more([&](std::string_view line) {
    if (batch == nullptr) batch = pipeline.take();
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
