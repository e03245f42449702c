// Incremental scan of a driver's stderr.log.
#include "runtime/local/driver_log_scan.h"

#include <fcntl.h>
#include <unistd.h>

#include <sys/stat.h>
#include <algorithm>
#include <cctype>
#include <cerrno>

namespace sp::local {

namespace {

constexpr size_t kMaxLine = 64 * 1024;  // longer lines are cut when buffered
constexpr size_t kMaxMessage = 400;     // error lines kept for the status message

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The word after `marker` up to whitespace (or end).
std::string_view token_after(std::string_view line, std::string_view marker) {
  auto pos = line.find(marker);
  if (pos == std::string_view::npos) return {};
  std::string_view rest = line.substr(pos + marker.size());
  size_t end = 0;
  while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end]))) ++end;
  return rest.substr(0, end);
}

int32_t parse_port(std::string_view s) {
  int32_t port = 0;
  size_t i = 0;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && port < 100000; ++i) {
    port = port * 10 + (s[i] - '0');
  }
  return i == 0 || port > 65535 ? 0 : port;
}

// "http://host:4040" -> host, port.
bool parse_http_url(std::string_view url, std::string* host, int32_t* port) {
  if (starts_with(url, "http://")) {
    url.remove_prefix(7);
  } else if (starts_with(url, "https://")) {
    url.remove_prefix(8);
  } else {
    return false;
  }
  auto colon = url.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  int32_t p = parse_port(url.substr(colon + 1));
  if (p == 0) return false;
  *host = std::string(url.substr(0, colon));
  *port = p;
  return true;
}

// Drops a log4j "yy/MM/dd HH:mm:ss " prefix.
std::string_view strip_timestamp(std::string_view line) {
  if (line.size() > 18 && line[2] == '/' && line[5] == '/' && line[8] == ' ' && line[11] == ':' &&
      line[14] == ':' && line[17] == ' ') {
    return line.substr(18);
  }
  return line;
}

bool is_error_line(std::string_view line) {
  std::string_view t = trim(line);
  if (t.empty() || starts_with(t, "at ") || starts_with(t, "...")) return false;
  if (t.find(" INFO ") != std::string_view::npos || t.find(" DEBUG ") != std::string_view::npos) {
    return false;
  }
  return t.find("ERROR") != std::string_view::npos ||
         t.find("Exception") != std::string_view::npos ||
         t.find("Error:") != std::string_view::npos;
}

}  // namespace

std::string app_id_from_event_log_path(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::string_view parent;
  if (slash != std::string_view::npos) {
    std::string_view head = path.substr(0, slash);
    auto s2 = head.rfind('/');
    parent = s2 == std::string_view::npos ? head : head.substr(s2 + 1);
  }
  // Rolling: <dir>/eventlog_v2_<app id>[_<attempt>]/events_<n>_<app id>[.codec]
  if (starts_with(parent, "eventlog_v2_")) return std::string(parent.substr(12));
  if (starts_with(base, "eventlog_v2_")) return std::string(base.substr(12));
  // Single file: <dir>/<app id>[_<attempt>][.codec][.inprogress]
  if (ends_with(base, ".inprogress")) base.remove_suffix(11);
  for (std::string_view codec : {".zstd", ".lz4", ".lzf", ".snappy"}) {
    if (ends_with(base, codec)) base.remove_suffix(codec.size());
  }
  return std::string(base);
}

void DriverLogScanner::scan_line(std::string_view line) {
  if (line.find("Logging events to ") != std::string_view::npos) {
    std::string id = app_id_from_event_log_path(token_after(line, "Logging events to "));
    if (!id.empty()) app_id_ = id;
  }
  if (line.find("'SparkUI' on port ") != std::string_view::npos) {
    if (int32_t p = parse_port(token_after(line, "'SparkUI' on port "))) ui_port_ = p;
  }
  for (std::string_view marker : {"and started at ", "Spark web UI at "}) {
    if (line.find(marker) != std::string_view::npos) {
      std::string host;
      int32_t port = 0;
      if (parse_http_url(token_after(line, marker), &host, &port)) {
        ui_host_ = host;
        ui_port_ = port;
      }
    }
  }
  if (line.find("Starting executor ID driver on host ") != std::string_view::npos) {
    driver_host_ = std::string(token_after(line, "Starting executor ID driver on host "));
  }
  if (is_error_line(line)) {
    std::string_view msg = trim(strip_timestamp(trim(line)));
    if (msg.size() > kMaxMessage) msg = msg.substr(0, kMaxMessage);
    last_error_ = std::string(msg);
  }
}

std::string DriverLogScanner::web_ui_address() const {
  if (ui_port_ == 0) return {};
  std::string host = !ui_host_.empty()       ? ui_host_
                     : !driver_host_.empty() ? driver_host_
                                             : "localhost";
  return host + ":" + std::to_string(ui_port_);
}

void DriverLogScanner::update(const std::string& path, bool complete) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && static_cast<uint64_t>(st.st_size) < offset_) {
    offset_ = 0;  // truncated or replaced
    partial_.clear();
  }
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(offset_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    offset_ += static_cast<uint64_t>(n);
    std::string_view chunk(buf, static_cast<size_t>(n));
    while (!chunk.empty()) {
      auto nl = chunk.find('\n');
      if (nl == std::string_view::npos) {
        if (partial_.size() < kMaxLine)
          partial_.append(chunk.substr(0, kMaxLine - partial_.size()));
        break;
      }
      if (partial_.empty()) {
        scan_line(chunk.substr(0, nl));
      } else {
        if (partial_.size() < kMaxLine)
          partial_.append(chunk.substr(0, std::min(nl, kMaxLine - partial_.size())));
        scan_line(partial_);
        partial_.clear();
      }
      chunk.remove_prefix(nl + 1);
    }
  }
  ::close(fd);
  if (complete && !partial_.empty()) {
    scan_line(partial_);
    partial_.clear();
  }
}

}  // namespace sp::local
