// /proc helpers for the local driver runner: a process's start time (to tell a live driver
// from a reused pid). File helpers are in common/files.h.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "common/files.h"

namespace sp::local {

struct ProcStat {
  char state = '?';                   // R, S, D, Z, ...
  unsigned long long start_time = 0;  // field 22: clock ticks since boot
};
// /proc/<pid>/stat, or nullopt when there is no such process.
std::optional<ProcStat> read_proc_stat(pid_t pid);

// The start time of a live (non-zombie) process; nullopt when it is gone or a zombie.
std::optional<unsigned long long> process_start_time(pid_t pid);

// True when `pid` exists, is not a zombie, and started at `start_time`.
bool process_alive(pid_t pid, unsigned long long start_time);

// The path of the running executable (/proc/self/exe resolved); empty if unknown.
std::string current_executable();

}  // namespace sp::local
