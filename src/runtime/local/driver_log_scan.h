// Reads a driver's stderr.log incrementally for what the controller reports: the Spark
// application id (from the event log path), the web UI address, and the last error line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sp::local {

class DriverLogScanner {
 public:
  // Reads what was appended to `path` since the last call (from the start after truncation).
  // `complete`: the writer has exited, so a last line without a newline counts too.
  void update(const std::string& path, bool complete = false);
  // Feeds one line (without the newline); update() calls it, tests may too.
  void scan_line(std::string_view line);

  const std::string& app_id() const { return app_id_; }
  // "host:port" as the operator reports status.driverInfo.webUIAddress; empty until known.
  std::string web_ui_address() const;
  int32_t web_ui_port() const { return ui_port_; }
  // The last ERROR / exception / Python error line, without the log timestamp.
  const std::string& last_error() const { return last_error_; }

 private:
  uint64_t offset_ = 0;
  std::string partial_;
  std::string app_id_;
  std::string ui_host_;
  std::string driver_host_;
  int32_t ui_port_ = 0;
  std::string last_error_;
};

// "file:<dir>/eventlog_v2_local-1/events_1_local-1.zstd" -> "local-1";
// ".../local-123.inprogress" -> "local-123". Empty when not recognised.
std::string app_id_from_event_log_path(std::string_view path);

}  // namespace sp::local
