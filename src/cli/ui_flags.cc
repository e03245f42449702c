#include "cli/ui_flags.h"

#include "cli/cli.h"
#include "common/error.h"
#include "ui/ui_http.h"

namespace sp::cli {

void add_ui_base_path_flag(CLI::App& cmd, std::string& value) {
  cmd.add_option("--ui-base-path", value,
                 "also serve the UI and the API under this path prefix, for a proxy or ingress "
                 "that passes its prefix on (one that strips it needs nothing)");
}

std::string ui_base_path_flag(const std::string& value) {
  try {
    return ui::normalize_base_path(value);
  } catch (const Error& e) {
    throw CliError(kExitUsage, std::string("--ui-base-path: ") + e.what());
  }
}

}  // namespace sp::cli
