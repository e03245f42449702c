// `sparkplane operator`: the controller against a Kubernetes API server. SparkApplications and
// ScheduledSparkApplications are read through informers (KubeStore), drivers are pods created
// directly (KubeRuntime), and /metrics, /healthz and /readyz are served on --listen. With
// --leader-elect, replicas compete for a coordination.k8s.io Lease: the leader reconciles, the
// others keep their caches warm and stand by; a leader that loses the lease exits with code 1
// (as controller-runtime's managers do) so that its Deployment restarts it as a candidate.
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/cli.h"
#include "cli/duration_flag.h"
#include "cli/operator_ui.h"
#include "cli/ship_sidecar_flags.h"
#include "cli/stop_signals.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/http_server.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/process_metrics.h"
#include "controller/manager.h"
#include "runtime/kube/event_recorder.h"
#include "runtime/kube/kube_client.h"
#include "runtime/kube/kube_runtime.h"
#include "runtime/kube/kube_store.h"
#include "runtime/kube/kubeconfig.h"
#include "runtime/kube/leader_election.h"
#include "ui/ui_http.h"

namespace sp::cli {
namespace {

struct OperatorFlags {
  std::string kubeconfig;
  std::string context;
  std::string namespaces = "all";
  bool leader_elect = false;
  std::string lease_namespace;
  std::string lease_name = "sparkplane-operator";
  std::string lease_duration = "15s";
  std::string renew_deadline = "10s";
  std::string retry_period = "2s";
  std::string identity;
  std::string listen = "127.0.0.1:8080";
  std::string ui_listen;  // "" = no UI
  std::string ui_history_url;
  int workers = 4;
  std::string master;
  std::string default_image;
  bool enable_ui_service = true;
  std::string ingress_url_format;
  std::string ingress_class_name;
  std::string log_level = "info";
  ShipSidecarFlags ship;  // the event-log ship sidecar (driver_resources.h)
};

// "a,b" -> {"a", "b"}; "all", "" or "*" -> {} (every namespace).
std::vector<std::string> parse_namespaces(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto b = item.find_first_not_of(' ');
    const auto e = item.find_last_not_of(' ');
    if (b == std::string::npos) continue;
    item = item.substr(b, e - b + 1);
    if (item == "all" || item == "*") return {};
    out.push_back(item);
  }
  return out;
}

// How drivers reach the API server: the operator's own in-cluster address, as the Kubeflow
// operator passes it to spark-submit.
std::string default_master() {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || *host == '\0') return kube::DriverOptions().master;
  std::string h = host;
  if (h.find(':') != std::string::npos) h = std::string("[").append(h).append("]");
  return std::string("k8s://https://")
      .append(h)
      .append(":")
      .append(port != nullptr && *port != '\0' ? port : "443");
}

std::string host_name() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) return "sparkplane";
  return host;
}

[[noreturn]] void exit_now(int code) {
  spdlog::default_logger()->flush();
  std::fflush(nullptr);
  std::_Exit(code);
}

void run_operator(const OperatorFlags& f) {
  // Signals are taken by sigtimedwait below: block them before any thread starts.
  const sigset_t stop_signals = block_stop_signals();
  init_logging(f.log_level);

  const auto namespaces = parse_namespaces(f.namespaces);
  const kube::EventLogShipOptions ship = ship_sidecar_options(f.ship);
  kube::LeaderElectionConfig lec;
  lec.lease_duration = parse_duration_flag("--lease-duration", f.lease_duration);
  lec.renew_deadline = parse_duration_flag("--renew-deadline", f.renew_deadline);
  lec.retry_period = parse_duration_flag("--retry-period", f.retry_period);
  auto [host, port] = parse_listen_address(f.listen);
  std::optional<std::pair<std::string, int>> ui_address;
  if (!f.ui_listen.empty()) ui_address = parse_listen_address(f.ui_listen);
  ui::check_history_url(f.ui_history_url);  // before anything starts

  kube::KubeConfig config = kube::load_kube_config({f.kubeconfig, f.context});
  spdlog::info("sparkplane operator: {}", config.describe());
  kube::KubeClient client(config);
  kube::EventRecorder recorder(client, "sparkplane", host_name());

  kube::KubeStoreOptions so;
  so.namespaces = namespaces;
  kube::KubeStore store(client, recorder, so);
  kube::KubeRuntimeOptions ro;
  ro.namespaces = namespaces;
  ro.driver.master = f.master.empty() ? default_master() : f.master;
  ro.driver.default_image = f.default_image;
  ro.driver.enable_ui_service = f.enable_ui_service;
  ro.driver.ingress_url_format = f.ingress_url_format;
  ro.driver.ingress_class_name = f.ingress_class_name;
  ro.driver.ship = ship;
  if (!ship.image.empty()) {
    spdlog::info(
        "sparkplane operator: event logs bound for S3 are shipped by a sidecar of image {}{}",
        ship.image, ship.default_dir.empty() ? "" : ", by default to " + ship.default_dir);
  }
  kube::KubeRuntime runtime(client, ro);

  SystemClock clock;
  MetricsRegistry metrics;
  controller::ManagerOptions mo;
  mo.workers = f.workers;
  controller::Manager manager(store, runtime, clock, metrics, mo);

  std::atomic<bool> leading{false};
  std::atomic<bool> lost{false};
  std::atomic<bool> standing_by{!f.leader_elect};
  std::unique_ptr<kube::LeaderElector> elector;
  if (f.leader_elect) {
    lec.ns = f.lease_namespace.empty() ? client.default_namespace() : f.lease_namespace;
    lec.name = f.lease_name;
    lec.identity = f.identity;
    kube::LeaderCallbacks cb;
    cb.on_started_leading = [&leading] { leading = true; };
    cb.on_stopped_leading = [&leading, &lost] {
      if (leading.exchange(false)) lost = true;
    };
    cb.on_new_leader = [](const std::string& who) {
      spdlog::info("sparkplane operator: the leader is now {}", who.empty() ? "(none)" : who);
    };
    elector = std::make_unique<kube::LeaderElector>(client, lec, cb);
  }

  auto synced = [&] { return store.has_synced() && runtime.has_synced(); };
  httplib::Server http;
  configure_http_server(http, 4);
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  http.Get("/readyz", [&](const httplib::Request&, httplib::Response& res) {
    if (!synced()) {
      res.status = 503;
      res.set_content("informers have not synced\n", "text/plain");
    } else if (!standing_by && !leading) {
      res.status = 503;
      res.set_content("not yet competing for leadership\n", "text/plain");
    } else {
      res.set_content("ok", "text/plain");
    }
  });
  Gauge& leader_gauge = metrics.gauge("sparkplane_operator_leader",
                                      "1 while this replica reconciles (leads, or runs alone)");
  http.Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
    leader_gauge.set(standing_by && (!elector || leading) ? 1 : 0);
    res.set_content(metrics.render() + render_process_metrics(),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
  const int bound = bind_http_server(http, host, port);
  std::unique_ptr<OperatorUi> ui;
  if (ui_address) {
    ui = std::make_unique<OperatorUi>(
        config, store, [&metrics] { return metrics.render(); },
        OperatorUiOptions{.host = ui_address->first,
                          .port = ui_address->second,
                          .history_url = f.ui_history_url});
  }
  std::thread server([&http] { http.listen_after_bind(); });
  if (ui) {
    ui->start();
    spdlog::info("sparkplane operator: read-only web UI on http://{}:{}", ui_address->first,
                 ui->port());
  }

  store.start();
  runtime.start();
  if (elector) {
    elector->start();
    standing_by = true;
    spdlog::info("sparkplane operator: competing for lease {}/{} as {}", lec.ns, lec.name,
                 elector->identity());
  }
  spdlog::info(
      "sparkplane operator: serving http://{}:{} (/metrics, /healthz, /readyz); "
      "namespaces {}",
      host, bound, namespaces.empty() ? std::string("all") : f.namespaces);

  bool started = false;
  const auto since = std::chrono::steady_clock::now();
  bool warned = false;
  int sig = 0;
  for (;;) {
    timespec tick{0, 100 * 1000 * 1000};
    sig = sigtimedwait(&stop_signals, nullptr, &tick);
    if (sig > 0) break;
    if (lost) {
      spdlog::error("sparkplane operator: leader election lost; exiting");
      exit_now(1);
    }
    if (started || (elector && !leading)) continue;
    if (synced()) {
      manager.start();
      started = true;
      spdlog::info("sparkplane operator: caches synced, reconciling");
    } else if (!warned && std::chrono::steady_clock::now() - since > std::chrono::seconds(10)) {
      warned = true;
      spdlog::warn(
          "sparkplane operator: informers have not synced after 10 s (are the CRDs of "
          "deploy/helm/sparkplane/crds installed, and may this user list and watch them?)");
    }
  }
  spdlog::info("sparkplane operator: stopping on signal {}", sig);
  manager.stop();
  if (elector) elector->stop();  // releases the lease: a standby takes over at once
  runtime.stop();
  store.stop();
  if (ui) ui->stop();
  http.stop();
  server.join();
}

}  // namespace

void add_operator_command(CLI::App& app, GlobalOptions& /*g*/) {
  auto f = std::make_shared<OperatorFlags>();
  auto* cmd = app.add_subcommand(
      "operator", "Run the controller against Kubernetes: SparkApplication CRDs, driver pods");
  cmd->add_option("--kubeconfig", f->kubeconfig,
                  "kubeconfig file (default $KUBECONFIG, the in-cluster config, ~/.kube/config)");
  cmd->add_option("--context", f->context, "kubeconfig context (default its current-context)");
  cmd->add_option("--namespaces", f->namespaces, "namespaces to watch: a,b or all")
      ->capture_default_str();
  cmd->add_flag("--leader-elect", f->leader_elect,
                "compete for a Lease; only the leader reconciles");
  cmd->add_option("--lease-namespace", f->lease_namespace,
                  "namespace of the Lease (default the kubeconfig context's or the pod's)");
  cmd->add_option("--lease-name", f->lease_name, "name of the Lease")->capture_default_str();
  cmd->add_option("--lease-duration", f->lease_duration,
                  "how long a leader that stopped renewing keeps the lease")
      ->capture_default_str();
  cmd->add_option("--renew-deadline", f->renew_deadline,
                  "how long a leader tries to renew before it gives up")
      ->capture_default_str();
  cmd->add_option("--retry-period", f->retry_period, "how often candidates try the lease")
      ->capture_default_str();
  cmd->add_option("--identity", f->identity, "this candidate's identity (default host_uuid)");
  cmd->add_option("--listen", f->listen, "address for /metrics, /healthz and /readyz")
      ->capture_default_str();
  cmd->add_option("--ui-listen", f->ui_listen,
                  "also serve the read-only web UI of the applications on this address (e.g. "
                  "0.0.0.0:8081; default: no UI)");
  cmd->add_option("--ui-history-url", f->ui_history_url,
                  "the history server's UI, linked from each application of the web UI");
  cmd->add_option("--workers", f->workers, "reconcile workers")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--master", f->master,
                  "spark.master of the drivers (default k8s://https://$KUBERNETES_SERVICE_HOST:"
                  "$KUBERNETES_SERVICE_PORT, or kubernetes.default.svc)");
  cmd->add_option("--default-image", f->default_image, "image for applications that name none");
  cmd->add_option("--enable-ui-service", f->enable_ui_service,
                  "create a Service for each driver's Spark UI")
      ->capture_default_str();
  cmd->add_option("--ingress-url-format", f->ingress_url_format,
                  "an Ingress for each Spark UI, e.g. {{$appName}}.spark.example.com");
  cmd->add_option("--ingress-class-name", f->ingress_class_name, "class of those Ingresses");
  cmd->add_option("--log-level", f->log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  add_ship_sidecar_flags(*cmd, f->ship);
  cmd->callback([f] { run_operator(*f); });
}

}  // namespace sp::cli
