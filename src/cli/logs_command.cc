// `sparkplane logs NAME [-f] [--attempt N] [--stdout|--stderr]`: a SparkApplication's driver
// output. Without --stdout/--stderr both are shown (stderr, where Spark logs, then stdout);
// with -f both are polled and printed line by line as they grow, until the driver ends.
#include <iostream>
#include <thread>

#include "cli/cli.h"
#include "cli/client.h"
#include "common/error.h"

namespace sp::cli {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(500);

struct Stream {
  std::string name;  // "stdout" | "stderr"
  uint64_t offset = 0;
  std::string partial;  // an unfinished last line, held back while following both streams
};

std::string query(const Stream& s, const std::string& attempt) {
  std::string q = "stream=" + s.name + "&offset=" + std::to_string(s.offset);
  if (!attempt.empty()) q += "&attempt=" + attempt;
  return q;
}

// Reads what is new in one stream; returns whether anything was read and whether the attempt
// is finished. Whole lines only when `whole_lines` (so two streams interleave cleanly).
std::pair<bool, bool> pump(ApiClient& client, const GlobalOptions& g, const std::string& name,
                           Stream& s, std::string& attempt, bool whole_lines) {
  auto r = client.log(g.namespace_, name, query(s, attempt));
  // Pin the attempt seen first, so a restart does not switch streams mid-way.
  if (attempt.empty()) attempt = r.header("X-Sparkplane-Attempt");
  bool finished = r.header("X-Sparkplane-Attempt-Finished") == "true";
  if (r.body.empty()) return {false, finished};
  s.offset += r.body.size();
  s.partial += r.body;
  if (!whole_lines) {
    std::cout << s.partial;
    s.partial.clear();
  } else {
    auto nl = s.partial.rfind('\n');
    if (nl != std::string::npos) {
      std::cout << s.partial.substr(0, nl + 1);
      s.partial.erase(0, nl + 1);
    }
  }
  std::cout.flush();
  return {true, finished};
}

bool is_no_attempt_yet(const NotFound& e) {
  return std::string(e.what()).find("no driver logs yet") != std::string::npos;
}

}  // namespace

void add_logs_command(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::string name;
    bool follow = false;
    int attempt = 0;
    bool out = false;
    bool err = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("logs", "Print the driver output of a SparkApplication");
  cmd->add_option("name", a->name, "the SparkApplication (NAME or sparkapp/NAME)")->required();
  cmd->add_flag("-f,--follow", a->follow, "keep printing as the driver writes, until it ends");
  cmd->add_option("--attempt", a->attempt, "driver attempt number (default: the latest)")
      ->check(CLI::PositiveNumber);
  auto* o = cmd->add_flag("--stdout", a->out, "only the driver's stdout");
  auto* e = cmd->add_flag("--stderr", a->err, "only the driver's stderr (Spark's own log)");
  o->excludes(e);
  cmd->footer(kExitCodesHelp);
  cmd->callback([&g, a] {
    auto [type, name] = parse_type_and_name(a->name, spark_applications());
    if (type != &spark_applications()) {
      throw CliError(kExitUsage, "logs are kept for sparkapplications only");
    }
    ApiClient client(g);
    std::vector<Stream> streams;
    if (!a->out) streams.push_back(Stream{"stderr", 0, ""});
    if (!a->err) streams.push_back(Stream{"stdout", 0, ""});
    std::string attempt = a->attempt > 0 ? std::to_string(a->attempt) : "";

    if (!a->follow) {
      for (auto& s : streams) {
        while (pump(client, g, name, s, attempt, false).first) {
        }
      }
      return;
    }

    bool waiting_noted = false;
    bool finished_seen = false;
    for (;;) {
      bool any = false;
      bool finished = false;
      try {
        for (auto& s : streams) {
          auto [read, fin] = pump(client, g, name, s, attempt, streams.size() > 1);
          any = any || read;
          finished = fin;
        }
      } catch (const NotFound& ex) {
        if (!is_no_attempt_yet(ex)) throw;
        if (!client.get(spark_applications(), g.namespace_, name)) throw;
        if (!waiting_noted) {
          std::cerr << "waiting for the driver of " << name << " to start...\n";
          waiting_noted = true;
        }
      }
      // Once finished, one more empty round makes sure the last bytes were read.
      if (!any && finished) {
        if (finished_seen) break;
        finished_seen = true;
        continue;
      }
      if (!any) std::this_thread::sleep_for(kPollInterval);
    }
    for (auto& s : streams) std::cout << s.partial;
    std::cout.flush();
  });
}

}  // namespace sp::cli
