// `sparkplane apply -f FILE|-`: create or update every resource of the manifests, like kubectl.
// Manifests are parsed and validated here first (line-numbered errors, exit 2). An existing
// object gets the manifest's spec and its labels/annotations merged in; when that changes
// nothing, nothing is written ("unchanged"), so the application does not rerun.
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/manifest.h"
#include "cli/cli.h"
#include "cli/client.h"
#include "common/error.h"

namespace sp::cli {
namespace {

constexpr int kConflictRetries = 5;

std::string read_input(const std::string& file) {
  std::stringstream ss;
  if (file == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CliError(kExitUsage, "cannot read \"" + file + "\": no such file or not readable");
  ss << in.rdbuf();
  return ss.str();
}

// Equal as JSON documents, whatever the key order.
bool same(const Json& a, const Json& b) {
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

// The object to store: `current` with the manifest's spec, labels and annotations.
Json desired_from(const Json& current, const Json& manifest) {
  Json next = current;
  next["spec"] = manifest.contains("spec") ? manifest["spec"] : Json::object();
  for (const char* key : {"labels", "annotations"}) {
    const Json* m = json_at(manifest, std::string("metadata.") + key);
    if (m == nullptr || !m->is_object()) continue;
    Json& target = next["metadata"][key];
    if (!target.is_object()) target = Json::object();
    for (const auto& [k, v] : m->items()) target[k] = v;
  }
  return next;
}

std::string apply_one(ApiClient& client, const api::Manifest& m) {
  const ResourceType& type = resource_type_for_plural(m.resource);
  const std::string ns = m.object["metadata"].value("namespace", "default");
  const std::string name = m.object["metadata"].value("name", "");
  for (int attempt = 0;; ++attempt) {
    try {
      auto current = client.get(type, ns, name);
      if (!current) {
        client.create(type, m.object, nullptr);
        return "created";
      }
      Json next = desired_from(*current, m.object);
      if (same(next, *current)) return "unchanged";
      client.replace(type, next, nullptr);
      return "configured";
    } catch (const Conflict&) {
      // Someone wrote in between (or created it first): read again and retry.
      if (attempt + 1 >= kConflictRetries) throw;
    }
  }
}

}  // namespace

void add_apply_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand(
      "apply", "Create or update SparkApplications and ScheduledSparkApplications from manifests");
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("-f,--filename", *files,
                  "manifest file (YAML or JSON, multi-document), - for stdin")
      ->required();
  cmd->footer(kExitCodesHelp);
  cmd->callback([&g, files] {
    // Parse everything before writing anything: a bad document applies nothing.
    std::vector<api::Manifest> manifests;
    for (const auto& f : *files) {
      std::string text = read_input(f);
      auto parsed = api::parse_manifests(text, f == "-" ? "<stdin>" : f, g.namespace_);
      for (auto& m : parsed) manifests.push_back(std::move(m));
    }
    if (manifests.empty()) throw CliError(kExitUsage, "no objects passed to apply");
    for (const auto& m : manifests) {
      for (const auto& w : m.warnings) std::cerr << "Warning: " << w << "\n";
    }
    ApiClient client(g);
    int failures = 0;
    std::string first_error;
    for (const auto& m : manifests) {
      const ResourceType& type = resource_type_for_plural(m.resource);
      std::string name = m.object["metadata"].value("name", "");
      try {
        std::string what = apply_one(client, m);
        std::cout << type.qualified() << "/" << name << " " << what << std::endl;
      } catch (const Unreachable&) {
        throw;
      } catch (const Invalid& e) {
        std::cerr << "error: " << type.qualified() << "/" << name << ": " << e.what() << "\n";
        ++failures;
      } catch (const Error& e) {
        std::cerr << "error: " << type.qualified() << "/" << name << ": " << e.what() << "\n";
        ++failures;
      }
    }
    if (failures > 0) {
      // Already printed, one line each; exit non-zero without another message.
      throw CliError(kExitFailed, std::to_string(failures) + " of " +
                                      std::to_string(manifests.size()) +
                                      " objects could not be applied");
    }
  });
}

}  // namespace sp::cli
