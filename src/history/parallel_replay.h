// Replaying an event log with its lines parsed on several threads. The log is read in batches
// of lines (views into the reader's mapping of a file, else copies of its buffer); worker
// threads parse whole batches (one simdjson parser each) and read the next batch when none
// waits to be parsed; the calling thread applies the parsed batches to the store in log order,
// and reads or parses itself rather than wait. A fixed number of batches is in flight, so memory
// stays bounded. With one core, or less than one batch of lines, lines are parsed and applied
// in turn.
#pragma once

#include <cstddef>

#include "eventlog/log_reader.h"
#include "history/app_store.h"

namespace sp::history {

struct ReplayOptions {
  // Threads parsing (the calling thread included): 0 for one per core (at most 8); 1 for no
  // other thread.
  unsigned threads = 0;
  // Text per batch; a longer line gets a batch of its own.
  std::size_t batch_bytes = std::size_t{512} << 10;
  // Batches in flight (being read, parsed or applied): 0 for three per thread.
  std::size_t max_batches = 0;
};

// Reads `reader` on from where it stands to the end of the data available now (read_more) and
// applies every line to `store`, in order, exactly as store.apply_line would; does not flush.
// Returns the reader's status (an I/O error or a corrupt spot is reported after the lines
// before it are applied). Rethrows what parsing or applying threw, after stopping the threads.
eventlog::ReadStatus replay(eventlog::EventLogReader& reader, AppStore& store,
                            const ReplayOptions& options = {});

}  // namespace sp::history
