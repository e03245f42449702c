// `sparkplane render-driver -f app.yaml --submission-id ID` (hidden): prints, as a Kubernetes
// v1 List in JSON, the objects the operator creates for one submission of each SparkApplication
// of the manifests (src/runtime/kube/driver_resources.h), for tests and for a look before
// applying. Warnings go to stderr. Nothing is sent anywhere.
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/defaults.h"
#include "api/manifest.h"
#include "cli/cli.h"
#include "cli/ship_sidecar_flags.h"
#include "common/error.h"
#include "runtime/kube/driver_resources.h"

namespace sp::cli {
namespace {

struct RenderFlags {
  std::string file;
  std::string submission_id;
  std::string app_uid;
  kube::DriverOptions opts;
  bool no_ui_service = false;
  ShipSidecarFlags ship;
};

std::string read_text(const std::string& file) {
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

void run(const RenderFlags& f, const GlobalOptions& g) {
  auto manifests =
      api::parse_manifests(read_text(f.file), f.file == "-" ? "<stdin>" : f.file, g.namespace_);
  kube::DriverOptions opts = f.opts;
  opts.enable_ui_service = !f.no_ui_service;
  opts.ship = ship_sidecar_options(f.ship);
  Json items = Json::array();
  for (const auto& m : manifests) {
    for (const auto& w : m.warnings) std::cerr << "warning: " << w << "\n";
    if (m.resource != "sparkapplications") {
      throw CliError(kExitUsage, "render-driver: " + m.object["metadata"].value("name", "") +
                                     ": only SparkApplications have driver resources");
    }
    api::SparkApplication app = api::spark_application_from_json(m.object);
    app.spec = api::with_defaults(app.spec);
    if (!f.app_uid.empty()) app.metadata.uid = f.app_uid;
    auto r = kube::build_driver_resources(app, f.submission_id, opts);
    for (const auto& w : r.warnings) {
      std::cerr << "warning: " << app.metadata.name << ": " << w << "\n";
    }
    for (auto& o : r.objects()) items.push_back(std::move(o));
  }
  Json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", items}};
  std::cout << list.dump(2) << "\n";
}

}  // namespace

void add_render_driver_command(CLI::App& app, GlobalOptions& g) {
  auto flags = std::make_shared<RenderFlags>();
  auto* cmd = app.add_subcommand(
      "render-driver", "print the driver objects of a SparkApplication's submission as JSON");
  cmd->group("");  // hidden: a tool for tests and troubleshooting
  cmd->add_option("-f,--filename", flags->file, "manifest file (YAML or JSON), - for stdin")
      ->required();
  cmd->add_option("--submission-id", flags->submission_id, "the submission's id")->required();
  cmd->add_option("--app-uid", flags->app_uid,
                  "metadata.uid of the SparkApplication, for the owner references");
  cmd->add_option("--master", flags->opts.master, "spark.master the driver gets")
      ->capture_default_str();
  cmd->add_option("--default-image", flags->opts.default_image,
                  "image when the application names none");
  cmd->add_option("--spark-user", flags->opts.spark_user,
                  "SPARK_USER of the driver when spec.proxyUser is not set")
      ->capture_default_str();
  cmd->add_option("--submit-time-ms", flags->opts.submit_time_ms,
                  "spark.app.submitTime (ms since the epoch; 0: none)");
  cmd->add_flag("--no-ui-service", flags->no_ui_service, "no Service for the Spark UI");
  cmd->add_option("--ingress-url-format", flags->opts.ingress_url_format,
                  "an Ingress for the Spark UI at this URL ({{$appName}}, {{$appNamespace}})");
  cmd->add_option("--ingress-class-name", flags->opts.ingress_class_name,
                  "ingressClassName of the Ingresses");
  add_ship_sidecar_flags(*cmd, flags->ship);
  cmd->callback([flags, &g] { run(*flags, g); });
}

}  // namespace sp::cli
