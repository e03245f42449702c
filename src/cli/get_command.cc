// `sparkplane get TYPE [NAME...] [-o wide|json|yaml|name] [-A] [-l SELECTOR]`, like kubectl get.
#include <iostream>

#include "cli/cli.h"
#include "cli/client.h"
#include "cli/printers.h"
#include "common/error.h"

namespace sp::cli {

void add_get_command(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::vector<std::string> words;
    std::string output;
    bool all_namespaces = false;
    std::string selector;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "get", "List resources, or show some by name (sparkapp, scheduledsparkapp)");
  cmd->add_option("resources", a->words, "TYPE [NAME...], or TYPE/NAME...")->required();
  cmd->add_option("-o,--output", a->output, "output format: wide, json, yaml, name");
  cmd->add_flag("-A,--all-namespaces", a->all_namespaces, "list across every namespace");
  cmd->add_option("-l,--selector", a->selector, "label selector, e.g. team=a,env=prod");
  cmd->footer(kExitCodesHelp);
  cmd->callback([&g, a] {
    check_output_format(a->output);
    ApiClient client(g);
    Time now = std::chrono::system_clock::now();

    // Either "TYPE [NAME...]" or "TYPE/NAME ...".
    std::vector<std::pair<const ResourceType*, std::string>> named;
    const ResourceType* list_type = nullptr;
    if (a->words[0].find('/') != std::string::npos) {
      for (const auto& w : a->words) {
        if (w.find('/') == std::string::npos) {
          throw CliError(kExitUsage,
                         "there is no need to give a resource type as a separate "
                         "argument when passing TYPE/NAME arguments (got \"" +
                             w + "\")");
        }
        named.push_back(parse_type_and_name(w, spark_applications()));
      }
    } else {
      list_type = &resource_type(a->words[0]);
      for (size_t i = 1; i < a->words.size(); ++i) named.emplace_back(list_type, a->words[i]);
    }

    if (named.empty()) {
      std::string ns = a->all_namespaces ? "" : g.namespace_;
      auto items = client.list(*list_type, ns, a->selector);
      if (items.empty() && a->output != "json" && a->output != "yaml") {
        std::cerr << "No resources found"
                  << (a->all_namespaces ? "" : " in " + g.namespace_ + " namespace") << ".\n";
        return;
      }
      std::cout << format_objects(items, *list_type, a->output, a->all_namespaces, false, now);
      return;
    }

    // By name: print what exists (grouped by type), then fail for the missing ones.
    std::vector<std::string> missing;
    std::vector<std::pair<const ResourceType*, std::vector<Json>>> groups;
    for (const auto& [type, name] : named) {
      auto obj = client.get(*type, g.namespace_, name);
      if (!obj) {
        missing.push_back(type->qualified() + " \"" + name + "\" not found");
        continue;
      }
      if (groups.empty() || groups.back().first != type) groups.push_back({type, {}});
      groups.back().second.push_back(*obj);
    }
    bool single = named.size() == 1;
    for (const auto& [type, items] : groups) {
      std::cout << format_objects(items, *type, a->output, false, single, now);
    }
    if (!missing.empty()) {
      std::string msg;
      for (const auto& m : missing) msg += (msg.empty() ? "" : "\n") + m;
      throw CliError(kExitNotFound, msg);
    }
  });
}

}  // namespace sp::cli
