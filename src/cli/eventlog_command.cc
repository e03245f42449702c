// `sparkplane eventlog cat PATH` prints the decoded lines of a Spark event log (a file or a
// rolling eventlog_v2_* directory, any codec); `sparkplane eventlog ls DIR` lists the event logs
// found in a directory as the history server sees them.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/cli.h"
#include "cli/printers.h"
#include "common/error.h"
#include "eventlog/log_discovery.h"
#include "eventlog/log_reader.h"
#include "storage/local_store.h"

namespace sp::cli {
namespace {

namespace fs = std::filesystem;
using eventlog::EventLog;

// The log at `path`, with a store rooted at its parent directory.
EventLog open_log(const std::string& path, std::unique_ptr<storage::LocalStore>& store) {
  fs::path p = fs::absolute(path).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // "dir/" -> "dir"
  std::error_code ec;
  auto status = fs::status(p, ec);
  if (ec || !fs::exists(status)) throw NotFound("no such file or directory: " + path);
  store = std::make_unique<storage::LocalStore>(p.parent_path());
  storage::ObjectInfo entry;
  std::string name = p.filename().string();
  if (fs::is_directory(status)) {
    entry.key = name + "/";
    entry.is_prefix = true;
  } else {
    auto info = store->stat(name);
    if (!info) throw NotFound("not a regular file: " + path);
    entry = *info;
  }
  auto log = eventlog::discover_log(*store, entry);
  if (!log) {
    throw Invalid(entry.is_prefix ? path + " is not a rolling event log directory (eventlog_v2_*)"
                                  : path + " is not an event log (hidden file)");
  }
  return *log;
}

void write_line(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

void run_cat(const std::string& path, long long head, long long tail_bytes) {
  std::unique_ptr<storage::LocalStore> store;
  EventLog log = open_log(path, store);
  eventlog::ReadStatus st;
  if (tail_bytes > 0) {
    st = eventlog::read_tail(*store, log, static_cast<std::uint64_t>(tail_bytes),
                             [](std::string_view line) {
                               write_line(line);
                               return true;
                             });
  } else {
    eventlog::ReaderOptions options;
    if (head > 0) options.read_size = 256u << 10;
    eventlog::EventLogReader reader(*store, log, options);
    long long left = head;
    st = reader.read_more([&](std::string_view line) {
      write_line(line);
      return head <= 0 || --left > 0;
    });
  }
  std::fflush(stdout);
  if (!st.ok()) throw CliError(kExitFailed, st.error);
}

void run_ls(const std::string& dir) {
  storage::LocalStore store(dir);
  auto found = eventlog::discover_logs(store, "");
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"KEY", "ROLLING", "CODEC", "IN-PROGRESS", "FILES", "SIZE"});
  for (const auto& log : found.logs) {
    rows.push_back({log.key, log.rolling ? "yes" : "no",
                    log.codec ? std::string(eventlog::codec_name(*log.codec)) : "none",
                    log.in_progress ? "yes" : "no", std::to_string(log.files.size()),
                    std::to_string(log.total_size)});
  }
  std::fputs(render_table(rows).c_str(), stdout);
  std::fflush(stdout);
  for (const auto& s : found.skipped) {
    std::fprintf(stderr, "skipped: %s: %s\n", s.key.c_str(), s.reason.c_str());
  }
}

}  // namespace

void add_eventlog_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("eventlog", "Read Spark event logs (any codec, rolling or not)");
  cmd->require_subcommand(1);

  struct CatArgs {
    std::string path;
    long long head = 0;
    long long tail = 0;
  };
  auto c = std::make_shared<CatArgs>();
  auto* cat = cmd->add_subcommand("cat", "Print the decoded lines of an event log");
  cat->add_option("path", c->path, "an event log file or a rolling eventlog_v2_* directory")
      ->required();
  auto* head = cat->add_option("--head", c->head, "print only the first N lines")
                   ->check(CLI::PositiveNumber);
  cat->add_option("--tail-bytes", c->tail, "print only the lines of the last N decoded bytes")
      ->check(CLI::PositiveNumber)
      ->excludes(head);
  cat->footer(kExitCodesHelp);
  cat->callback([c] { run_cat(c->path, c->head, c->tail); });

  auto dir = std::make_shared<std::string>();
  auto* ls = cmd->add_subcommand("ls", "List the event logs in a directory");
  ls->add_option("dir", *dir, "an event log directory")->required();
  ls->footer(kExitCodesHelp);
  ls->callback([dir] { run_ls(*dir); });
}

}  // namespace sp::cli
