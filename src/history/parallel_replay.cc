// replay(): batches move free -> filled (read) -> parsed -> applied -> free. Whoever is idle
// takes the next step that can be taken: the calling thread applies first, workers parse first.
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

// Lines of the log: views into the reader's mapping of the file when there is one (held by the
// batch), else copies out of the reader's buffer, each followed by "\n", then SIMDJSON_PADDING
// bytes so that simdjson parses them in place.
struct Batch {
  enum class State { kFree, kFilled, kParsing, kParsed };
  State state = State::kFree;  // guarded by the pipeline's mutex
  struct Line {
    const char* mapped;  // null: the line is text[offset, offset + size)
    std::size_t offset;
    std::size_t size;
  };
  std::vector<Line> lines;
  std::string text;
  std::size_t bytes = 0;                                     // of all lines
  std::vector<std::shared_ptr<storage::MappedObject>> maps;  // the lines' mappings
  std::vector<ParsedLine> parsed;  // one per line, reused (see EventParser::parse_line)

  std::string_view line(const Line& l) const {
    return std::string_view(l.mapped ? l.mapped : text.data() + l.offset, l.size);
  }
  void add(std::string_view line, const std::shared_ptr<storage::MappedObject>& map) {
    bytes += line.size() + 1;
    if (map) {
      // In place when simdjson's padding after the line is still inside the mapping.
      const std::string_view all = map->bytes();
      if (line.data() + line.size() + simdjson::SIMDJSON_PADDING <= all.data() + all.size()) {
        if (maps.empty() || maps.back() != map) maps.push_back(map);
        lines.push_back(Line{line.data(), 0, line.size()});
        return;
      }
    }
    lines.push_back(Line{nullptr, text.size(), line.size()});
    text.append(line);
    text.push_back('\n');
  }
  void seal() { text.append(simdjson::SIMDJSON_PADDING, ' '); }
  void parse(EventParser& parser) {
    const std::size_t n = lines.size();
    if (parsed.size() < n) parsed.resize(n);
    for (std::size_t i = 0; i < n; ++i) parser.parse_line(line(lines[i]), parsed[i], true);
  }
  void apply(AppStore& store) {
    const std::size_t n = lines.size();
    for (std::size_t i = 0; i < n; ++i) store.apply_parsed(parsed[i]);
  }
  void clear() {
    lines.clear();
    text.clear();
    maps.clear();
    bytes = 0;
  }
};

class Pipeline {
 public:
  Pipeline(eventlog::EventLogReader& reader, AppStore& store, unsigned workers,
           std::size_t max_batches, std::size_t batch_bytes)
      : reader_(reader),
        store_(store),
        workers_wanted_(workers),
        max_batches_(max_batches),
        batch_bytes_(batch_bytes) {}
  ~Pipeline() { stop(); }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Reads, parses and applies every line; rethrows what a thread caught.
  eventlog::ReadStatus run() {
    std::unique_lock lock(mu_);
    read_batch(lock);
    if (error_) std::rethrow_exception(error_);
    if (reader_done_) {  // less than one batch in all: no threads needed
      if (!order_.empty()) parse_and_apply(order_.front(), lock);
      return total_;
    }
    for (unsigned i = 0; i < workers_wanted_; ++i) workers_.emplace_back([this] { work(); });
    while (true) {
      if (error_) {
        lock.unlock();
        stop();
        std::rethrow_exception(error_);
      }
      if (!order_.empty() && order_.front()->state == Batch::State::kParsed) {
        Batch* b = order_.front();
        order_.pop_front();
        lock.unlock();
        b->apply(store_);
        b->clear();
        lock.lock();
        b->state = Batch::State::kFree;
        free_.push_back(b);
        cv_.notify_all();
      } else if (!order_.empty() && order_.front()->state == Batch::State::kFilled) {
        parse(order_.front(), parser_, lock);
      } else if (order_.empty() && reader_done_ && !reading_) {
        break;
      } else if (can_read()) {
        read_and_parse(parser_, lock);
      } else if (Batch* b = first_filled()) {
        parse(b, parser_, lock);
      } else {
        cv_.wait(lock);
      }
    }
    lock.unlock();
    stop();
    return total_;
  }

 private:
  bool can_read() const {
    return !reading_ && !reader_done_ && (!free_.empty() || all_.size() < max_batches_);
  }

  Batch* first_filled() const {
    for (Batch* b : order_) {
      if (b->state == Batch::State::kFilled) return b;
    }
    return nullptr;
  }

  // Reads the next batch and parses it on the same thread, while its lines are still in this
  // core's cache (a batch read by one thread and parsed by another costs simdjson twice the
  // time in its first stage).
  void read_and_parse(EventParser& parser, std::unique_lock<std::mutex>& lock) {
    if (Batch* b = read_batch(lock)) parse(b, parser, lock);
  }

  // Fills the next batch from the reader (the lock is released meanwhile); returns it, or null
  // when it holds no line.
  Batch* read_batch(std::unique_lock<std::mutex>& lock) {
    if (free_.empty()) {
      all_.push_back(std::make_unique<Batch>());
      free_.push_back(all_.back().get());
    }
    Batch* b = free_.back();
    free_.pop_back();
    reading_ = true;
    lock.unlock();
    eventlog::ReadStatus st;
    std::exception_ptr failed;
    try {
      st = reader_.read_more([&](std::string_view line) {
        b->add(line, reader_.mapping());
        return b->bytes < batch_bytes_;
      });
      b->seal();
    } catch (...) {  // e.g. out of memory
      failed = std::current_exception();
    }
    lock.lock();
    reading_ = false;
    total_.bytes_read += st.bytes_read;
    total_.lines += st.lines;
    if (failed || !st.stopped) {
      reader_done_ = true;
      total_.at_end = st.at_end;
      total_.error = st.error;
      total_.corrupt = st.corrupt;
    }
    if (failed && !error_) error_ = failed;
    cv_.notify_all();
    if (!b->lines.empty() && !failed) {
      b->state = Batch::State::kFilled;
      order_.push_back(b);
      return b;
    }
    b->clear();
    free_.push_back(b);
    return nullptr;
  }

  // Parses a filled batch (the lock is released meanwhile).
  void parse(Batch* b, EventParser& parser, std::unique_lock<std::mutex>& lock) {
    b->state = Batch::State::kParsing;
    lock.unlock();
    std::exception_ptr failed;
    try {
      b->parse(parser);
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    b->state = Batch::State::kParsed;
    if (failed && !error_) error_ = failed;
    cv_.notify_all();
  }

  void parse_and_apply(Batch* b, std::unique_lock<std::mutex>& lock) {
    lock.unlock();
    b->parse(parser_);
    b->apply(store_);
    lock.lock();
  }

  void work() {
    EventParser parser;
    std::unique_lock lock(mu_);
    while (!stopping_) {
      if (Batch* b = first_filled()) {
        parse(b, parser, lock);
      } else if (can_read()) {
        read_and_parse(parser, lock);
      } else {
        cv_.wait(lock);
      }
    }
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  eventlog::EventLogReader& reader_;
  AppStore& store_;
  const unsigned workers_wanted_;
  const std::size_t max_batches_;
  const std::size_t batch_bytes_;
  EventParser parser_;  // the calling thread's
  std::vector<std::thread> workers_;

  // Guarded by mu_, with the batches' states.
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Batch>> all_;
  std::vector<Batch*> free_;
  std::deque<Batch*> order_;  // read, not applied yet, in log order
  bool reading_ = false;      // a thread holds the reader
  bool reader_done_ = false;  // the reader is at the end of the data, or failed
  bool stopping_ = false;
  std::exception_ptr error_;
  eventlog::ReadStatus total_;
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
  Pipeline pipeline(reader, store, threads - 1, max_batches, batch_bytes);
  return pipeline.run();
}

}  // namespace sp::history
