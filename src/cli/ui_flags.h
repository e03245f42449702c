// --ui-base-path, shared by `history-server` and `up`: the path prefix a proxy passes on.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace sp::cli {

void add_ui_base_path_flag(CLI::App& cmd, std::string& value);

// "" or "/a/b" (ui::normalize_base_path); a usage CliError naming the flag otherwise.
std::string ui_base_path_flag(const std::string& value);

}  // namespace sp::cli
