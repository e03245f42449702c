// Replays event logs in this process and prints where the time goes: reading (decoding and
// splitting lines) alone, reading and parsing, reading, parsing and applying on one thread, and
// the parallel replay the history server uses. For profiling the replay; the side-by-side
// figures against Spark's History Server come from bench/history_server.py.
//
//   history_replay DIR [threads [phase]]    each log directly under DIR; phase: read, parse,
//                                           apply (one thread), parallel, or all (default)
//   BATCH_KB=, MAX_BATCHES= in the environment: the parallel replay's batch size and batches in
//   flight (ReplayOptions), to try other pipeline sizes
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>

#include "eventlog/log_discovery.h"
#include "eventlog/log_reader.h"
#include "history/app_store.h"
#include "history/event_parser.h"
#include "history/parallel_replay.h"
#include "storage/local_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double timed(const std::function<void()>& fn) {
  const auto t0 = Clock::now();
  fn();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void report(const char* phase, double seconds, double mb) {
  std::printf("  %-28s %7.3f s  %8.1f MB/s\n", phase, seconds, mb / seconds);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: history_replay DIR [threads]\n");
    return 2;
  }
  const unsigned threads = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 0;
  const std::string phase = argc > 3 ? argv[3] : "all";
  const auto want = [&](const char* p) { return phase == "all" || phase == p; };
  sp::storage::LocalStore store(argv[1]);
  for (const auto& log : sp::eventlog::discover_logs(store, "").logs) {
    std::uint64_t bytes = 0;
    const double read_s = timed([&] {
      sp::eventlog::EventLogReader reader(store, log);
      reader.read_more([&](std::string_view line) {
        bytes += line.size() + 1;
        return true;
      });
    });
    const double mb = static_cast<double>(bytes) / 1e6;
    std::printf("%s: %.1f MB of lines\n", log.key.c_str(), mb);
    if (want("read")) report("read", read_s, mb);
    if (want("parse"))
      report("read+parse", timed([&] {
               sp::eventlog::EventLogReader reader(store, log);
               sp::history::EventParser parser;
               sp::history::ParsedLine parsed;
               reader.read_more([&](std::string_view line) {
                 parser.parse_line(line, parsed);
                 return true;
               });
             }),
             mb);
    // The stores are freed after the timing (a server keeps them).
    if (want("apply")) {
      sp::history::AppStore app;
      report("read+parse+apply, 1 thread", timed([&] {
               sp::eventlog::EventLogReader reader(store, log);
               sp::history::replay(reader, app, {.threads = 1});
               app.flush();
             }),
             mb);
    }
    if (want("parallel")) {
      sp::history::AppStore app;
      report("parallel replay", timed([&] {
               sp::eventlog::EventLogReader reader(store, log);
               sp::history::ReplayOptions o{.threads = threads};
               if (const char* b = std::getenv("BATCH_KB")) o.batch_bytes = std::stoul(b) << 10;
               if (const char* b = std::getenv("MAX_BATCHES")) o.max_batches = std::stoul(b);
               sp::history::replay(reader, app, o);
               std::printf("  %-28s %7.3f s\n", "  of which flush", timed([&] { app.flush(); }));
             }),
             mb);
    }
  }
  return 0;
}
