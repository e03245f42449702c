// `sparkplane run-driver --dir <attempt dir> -- <argv...>`: the driver shim the local runtime
// starts in its own session (see src/runtime/local/driver_shim.h). run_cli() dispatches to it
// before flag parsing, since everything after `--` belongs to spark-submit.
#include <string>
#include <vector>

#include "cli/cli.h"
#include "runtime/local/driver_shim.h"

namespace sp::cli {

// argv[0] is the binary and argv[1] "run-driver"; the rest is "--dir <dir> -- <command...>".
int run_driver_command(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 2; i < argc; ++i) args.emplace_back(argv[i]);
  return local::run_driver_main(args);
}

}  // namespace sp::cli
