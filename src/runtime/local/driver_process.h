// Local driver processes seen through their attempt directories
// (<state_dir>/drivers/<namespace>/<app>/<NNN>-<submission id>/): starting the shim in its
// own session, reading a driver's state back from the files, and stopping its process group.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace sp::local {

inline constexpr const char* kLostMessage =
    "driver process lost (sparkplane was restarted and the process is gone)";

enum class ProcessStatus {
  kStarting,  // the shim was started but has not written its pid yet
  kRunning,
  kExited,
  kLost,  // no exit code and no live process
};
const char* to_string(ProcessStatus s);

struct ProcessState {
  ProcessStatus status = ProcessStatus::kLost;
  pid_t pid = 0;  // the shim, leader of the driver's process group
  unsigned long long start_time = 0;
  std::optional<int> exit_code;
  std::optional<Time> finished_at;  // mtime of the exit file
  std::string message;              // kLostMessage when lost
};

// From the files alone: exit file -> exited; pid file naming a live process with the same
// start time -> running; otherwise lost.
ProcessState read_process_state(const std::string& dir);

// One attempt directory of an app.
struct AttemptDir {
  int number = 0;
  std::string submission_id;
  std::string dir;
};
// Attempts under <state_dir>/drivers/<ns>/<name>, by number.
std::vector<AttemptDir> list_attempt_dirs(const std::string& app_dir);
std::string attempt_dir_name(int number, const std::string& submission_id);  // "001-<id>"

// Starts `shim_prefix... --dir <dir> -- argv...` in a new session (its own process group) with
// `env` added to the environment, stdin from /dev/null and output to <dir>/shim.log. Other file
// descriptors are not inherited. Returns the shim's pid, or -1 with *error set.
pid_t launch_shim(const std::vector<std::string>& shim_prefix, const std::string& dir,
                  const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& env, std::string* error);

// Reaps `pid` if it is a zombie child of this process started at `start_time` (or, when
// start_time is 0, any zombie child with that pid). Returns true when reaped.
bool reap_if_zombie(pid_t pid, unsigned long long start_time);

// Live processes of process group `pgid` whose environment has SPARKPLANE_DRIVER_DIR=<dir>.
std::vector<pid_t> driver_group_members(pid_t pgid, const std::string& dir);

// Stops a running driver: SIGTERM to the shim (which forwards it to the group), SIGKILL to the
// whole group after `grace`, then waits for the shim to be gone. Records exit 137 when the shim
// was killed before writing its exit file. For a lost driver (the shim is gone), stops what is
// left of its group, recognised by driver_group_members. Returns true when nothing of the
// driver runs.
bool stop_driver(const std::string& dir, std::chrono::milliseconds grace);

}  // namespace sp::local
