// The signals that stop a long-running command (up, history-server, operator): SIGINT and
// SIGTERM, taken by sigwait/sigtimedwait on the main thread.
#pragma once

#include <signal.h>

namespace sp::cli {

// Blocks SIGINT and SIGTERM (call before any thread starts, so every thread inherits the mask)
// and ignores SIGPIPE (a client hanging up must not kill the server). Returns the set to wait on.
sigset_t block_stop_signals();

}  // namespace sp::cli
