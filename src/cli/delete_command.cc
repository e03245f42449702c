// `sparkplane delete TYPE NAME... | TYPE/NAME... [--wait] [--ignore-not-found]`, like kubectl.
#include <iostream>
#include <thread>

#include "cli/cli.h"
#include "cli/client.h"
#include "cli/duration_flag.h"
#include "common/error.h"

namespace sp::cli {

void add_delete_command(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::vector<std::string> words;
    bool wait = false;
    bool ignore_not_found = false;
    std::string timeout = "5m";
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("delete", "Delete resources (a running driver is stopped)");
  cmd->add_option("resources", a->words, "TYPE NAME..., or TYPE/NAME...")->required();
  cmd->add_flag("--wait", a->wait, "return only once the resources are gone");
  cmd->add_flag("--ignore-not-found", a->ignore_not_found, "no error when a resource is missing");
  cmd->add_option("--timeout", a->timeout, "how long --wait waits (e.g. 60s, 5m)")
      ->capture_default_str();
  cmd->footer(kExitCodesHelp);
  cmd->callback([&g, a] {
    auto timeout = parse_duration_flag("--timeout", a->timeout);
    std::vector<std::pair<const ResourceType*, std::string>> targets;
    if (a->words[0].find('/') != std::string::npos) {
      for (const auto& w : a->words)
        targets.push_back(parse_type_and_name(w, spark_applications()));
    } else {
      const ResourceType& t = resource_type(a->words[0]);
      if (a->words.size() < 2) {
        throw CliError(kExitUsage, "delete needs a name: delete " + a->words[0] + " NAME");
      }
      for (size_t i = 1; i < a->words.size(); ++i) targets.emplace_back(&t, a->words[i]);
    }
    ApiClient client(g);
    std::vector<std::string> missing;
    std::vector<std::pair<const ResourceType*, std::string>> deleted;
    for (const auto& [type, name] : targets) {
      try {
        client.remove(*type, g.namespace_, name);
        std::cout << type->qualified() << " \"" << name << "\" deleted" << std::endl;
        deleted.emplace_back(type, name);
      } catch (const NotFound&) {
        if (!a->ignore_not_found)
          missing.push_back(type->qualified() + " \"" + name + "\" not found");
      }
    }
    if (a->wait) {
      auto deadline = std::chrono::steady_clock::now() + timeout;
      for (const auto& [type, name] : deleted) {
        while (client.get(*type, g.namespace_, name)) {
          if (std::chrono::steady_clock::now() >= deadline) {
            throw CliError(kExitFailed, "timed out after " + a->timeout + " waiting for " +
                                            type->qualified() + " \"" + name +
                                            "\" to be deleted (its driver may still be stopping)");
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
      }
    }
    if (!missing.empty()) {
      std::string msg;
      for (const auto& m : missing) msg += (msg.empty() ? "" : "\n") + m;
      throw CliError(kExitNotFound, msg);
    }
  });
}

}  // namespace sp::cli
