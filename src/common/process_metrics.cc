#include "common/process_metrics.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/metrics.h"

namespace sp {
namespace {

// The fields of /proc/self/stat after the command name (which may hold spaces), from field 3.
std::vector<std::string> stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  const auto close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(line.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

double boot_time() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double t = 0;
      in >> t;
      return t;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

}  // namespace

std::string render_process_metrics() {
  const auto f = stat_fields();  // f[0] is field 3 (state)
  if (f.size() < 22) return "";
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const double cpu = (std::stod(f[11]) + std::stod(f[12])) / ticks;  // utime + stime
  const double start = boot_time() + std::stod(f[19]) / ticks;
  const double vsize = std::stod(f[20]);
  const double rss = std::stod(f[21]) * page;
  std::error_code ec;
  double fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++fds;
  std::string out;
  append_sample(out, "process_cpu_seconds_total", "counter",
                "User and system CPU time spent in seconds.", cpu);
  append_sample(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
                rss);
  append_sample(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
                vsize);
  append_sample(out, "process_open_fds", "gauge", "Number of open file descriptors.", fds);
  append_sample(out, "process_start_time_seconds", "gauge",
                "Start time of the process since the Unix epoch in seconds.", start);
  return out;
}

}  // namespace sp
