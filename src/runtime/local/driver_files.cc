// /proc helpers for the local driver runner.
#include "runtime/local/driver_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>

namespace sp::local {

std::optional<ProcStat> read_proc_stat(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  auto stat = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return std::nullopt;
  // The command name (field 2) is in parentheses and may hold spaces: parse after the last ')'.
  auto close = stat->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat->substr(close + 1));
  std::string state;
  fields >> state;  // field 3
  std::string field;
  for (int i = 4; i < 22; ++i) fields >> field;
  unsigned long long start = 0;
  if (state.empty() || !(fields >> start)) return std::nullopt;
  return ProcStat{state[0], start};
}

std::optional<unsigned long long> process_start_time(pid_t pid) {
  auto st = read_proc_stat(pid);
  if (!st || st->state == 'Z' || st->state == 'X' || st->state == 'x') return std::nullopt;
  return st->start_time;
}

bool process_alive(pid_t pid, unsigned long long start_time) {
  auto st = process_start_time(pid);
  return st && *st == start_time;
}

std::string current_executable() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

}  // namespace sp::local
