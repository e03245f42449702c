// `sparkplane run-driver --dir <attempt dir> -- <argv...>`: the driver shim the local runtime
// starts in its own session (see src/runtime/local/driver_shim.h). Self-contained so that
// main.cc only needs to dispatch to it before regular flag parsing, e.g.
//   namespace sp::cli { int run_driver_command(int argc, char** argv); }
//   if (argc > 1 && std::string_view(argv[1]) == "run-driver") return run_driver_command(argc,
//   argv);
#include <string>
#include <vector>

#include "runtime/local/driver_shim.h"

namespace sp::cli {

int run_driver_command(int argc, char** argv);

// argv[0] is the binary and argv[1] "run-driver"; the rest is "--dir <dir> -- <command...>".
int run_driver_command(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 2; i < argc; ++i) args.emplace_back(argv[i]);
  return local::run_driver_main(args);
}

}  // namespace sp::cli
