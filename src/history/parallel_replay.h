// Replaying an event log with its lines parsed on several threads: the reader's lines are
// copied into batches, worker threads parse whole batches (one simdjson parser each), and the
// parsed lines are applied to the store one batch at a time in log order, by whichever worker
// holds the next batch. A fixed number of batches is in flight, so memory stays bounded. With
// one core, or less than one batch of lines, lines are parsed and applied in turn.
#pragma once

#include <cstddef>

#include "eventlog/log_reader.h"
#include "history/app_store.h"

namespace sp::history {

struct ReplayOptions {
  // Parsing threads: 0 for one per core (at most 8); 1 for no threads at all.
  unsigned threads = 0;
  // Text per batch; a longer line gets a batch of its own.
  std::size_t batch_bytes = std::size_t{1} << 20;
  // Batches in flight (read, parsed or being applied): 0 for twice the threads, plus two.
  std::size_t max_batches = 0;
};

// Reads `reader` on from where it stands to the end of the data available now (read_more) and
// applies every line to `store`, in order, exactly as store.apply_line would; does not flush.
// Returns the reader's status (an I/O error or a corrupt spot is reported after the lines
// before it are applied). Rethrows what applying a line threw, after stopping the threads.
eventlog::ReadStatus replay(eventlog::EventLogReader& reader, AppStore& store,
                            const ReplayOptions& options = {});

}  // namespace sp::history
