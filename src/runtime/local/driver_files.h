// Small file and /proc helpers for the local driver runner: atomic writes, whole-file reads,
// and a process's start time (to tell a live driver from a reused pid).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace sp::local {

// Writes `content` to `path` atomically: a temporary file beside it, fsync, rename, fsync of
// the directory. Returns false (and sets *error when given) on failure.
bool write_file_atomic(const std::string& path, const std::string& content,
                       std::string* error = nullptr);

// The whole file, or nullopt when it cannot be read.
std::optional<std::string> read_small_file(const std::string& path);

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
