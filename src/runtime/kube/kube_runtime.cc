#include "runtime/kube/kube_runtime.h"

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/time_format.h"
#include "controller/labels.h"
#include "runtime/kube/api_errors.h"
#include "runtime/kube/driver_names.h"
#include "runtime/kube/driver_observation.h"

namespace sp::kube {
namespace {

const GroupVersionResource kIngresses{"networking.k8s.io", "v1", "ingresses"};
// What submit() reads of the UI Service it creates: its spec.clusterIP.
const Projection kServiceAnswer{"apiVersion", "kind", "metadata", "spec"};

std::string ns_of(const api::SparkApplication& app) {
  return app.metadata.namespace_.empty() ? "default" : app.metadata.namespace_;
}

std::string key_of(const api::SparkApplication& app) {
  return ns_of(app) + "/" + app.metadata.name;
}

// Where an object the builder made goes.
ResourceRef collection_of(const Json& object) {
  const std::string kind = object.value("kind", "");
  const std::string ns = string_at(object, "metadata.namespace");
  if (kind == "Pod") return ResourceRef(resources::kPods, ns);
  if (kind == "ConfigMap") return ResourceRef(resources::kConfigMaps, ns);
  if (kind == "Service") return ResourceRef(resources::kServices, ns);
  if (kind == "Ingress") return ResourceRef(kIngresses, ns);
  throw Error(std::string("driver resources: unexpected kind ").append(kind));
}

// Creates `object`, or reads the one of that name when it exists already (made by an earlier
// attempt of the same submission: names are deterministic). Of a created object's answer,
// only the `answer` fields are parsed.
Json create_or_get(KubeClient& client, const Json& object,
                   const Projection& answer = Projection::metadata()) {
  const ResourceRef collection = collection_of(object);
  try {
    return client.create(collection, object, answer);
  } catch (const AlreadyExists&) {
    return client.get(collection.named(string_at(object, "metadata.name")));
  }
}

// What observe() and the subscribers read of a pod, and nothing else: the informer keeps
// thousands of them.
void slim_pod(Json& pod) {
  Json slim = Json::object();
  if (auto m = pod.find("metadata"); m != pod.end() && m->is_object()) {
    Json& meta = slim["metadata"] = Json::object();
    for (const char* k : {"name", "namespace", "uid", "resourceVersion", "labels",
                          "ownerReferences", "creationTimestamp", "deletionTimestamp"}) {
      if (auto v = m->find(k); v != m->end()) meta[k] = std::move(*v);
    }
  }
  if (auto st = pod.find("status"); st != pod.end() && st->is_object()) {
    Json& status = slim["status"] = Json::object();
    for (const char* k : {"phase", "reason", "message"}) {
      if (auto v = st->find(k); v != st->end()) status[k] = std::move(*v);
    }
    if (auto cs = st->find("containerStatuses"); cs != st->end() && cs->is_array()) {
      Json& out = status["containerStatuses"] = Json::array();
      for (auto& c : *cs) {
        if (!c.is_object()) continue;
        Json one = Json::object();
        for (const char* k : {"name", "state"}) {
          if (auto v = c.find(k); v != c.end()) one[k] = std::move(*v);
        }
        out.push_back(std::move(one));
      }
    }
  }
  pod = std::move(slim);
}

bool launched_for(const Json& object, const api::SparkApplication& app) {
  return label_of(object, controller::kLabelLaunchedByOperator) == "true" &&
         label_of(object, controller::kLabelAppName) == app.metadata.name;
}

bool owned_by(const Json& object, const std::string& uid) {
  const Json* refs = json_at(object, "metadata.ownerReferences");
  if (refs == nullptr || !refs->is_array() || uid.empty()) return false;
  for (const auto& r : *refs) {
    if (r.is_object() && r.value("uid", "") == uid) return true;
  }
  return false;
}

std::string driver_pod_of(const api::SparkApplication& app) {
  return app.status.driver_info.pod_name.empty() ? driver_pod_name(app)
                                                 : app.status.driver_info.pod_name;
}

}  // namespace

KubeRuntime::KubeRuntime(KubeClient& client, KubeRuntimeOptions options)
    : client_(client), options_(std::move(options)) {
  std::vector<std::string> namespaces = options_.namespaces;
  if (namespaces.empty()) namespaces.emplace_back();  // every namespace
  for (const auto& ns : namespaces) {
    InformerOptions io;
    io.collection = ResourceRef(resources::kPods, ns);
    io.label_selector = std::string(controller::kLabelLaunchedByOperator) + "=true";
    io.transform = slim_pod;
    io.fields = Projection{"metadata", "status"};  // all that slim_pod keeps
    // observe() finds executors by app; the driver by its name. Holding 10,000 apps without
    // executors, an index of drivers too would cost ~2.8 MB.
    io.index_label = controller::kLabelAppName;
    io.index_if = [](const Json& pod) { return label_of(pod, kLabelSparkRole) != "driver"; };
    InformerHandlers h;
    h.on_add = [this](const Json& pod) { notify(pod); };
    h.on_update = [this](const Json&, const Json& pod) { notify(pod); };
    h.on_delete = [this](const Json& pod) { notify(pod); };
    informers_.push_back(std::make_unique<Informer>(client_, std::move(io), std::move(h)));
    by_namespace_[ns] = informers_.back().get();
  }
}

KubeRuntime::~KubeRuntime() { stop(); }

void KubeRuntime::start() {
  for (auto& i : informers_) i->start();
}

void KubeRuntime::stop() {
  for (auto& i : informers_) i->stop();
}

bool KubeRuntime::has_synced() const {
  for (const auto& i : informers_) {
    if (!i->has_synced()) return false;
  }
  return true;
}

Informer* KubeRuntime::informer_for(const std::string& ns) const {
  auto it = by_namespace_.find(ns);
  if (it != by_namespace_.end()) return it->second;
  it = by_namespace_.find("");
  return it != by_namespace_.end() ? it->second : nullptr;
}

void KubeRuntime::notify(const Json& pod) {
  const std::string app = label_of(pod, controller::kLabelAppName);
  if (app.empty()) return;
  const std::string key = string_at(pod, "metadata.namespace") + "/" + app;
  std::vector<std::function<void(const std::string&)>> subscribers;
  {
    std::lock_guard lock(mu_);
    subscribers = subscribers_;
  }
  for (const auto& fn : subscribers) fn(key);
}

void KubeRuntime::subscribe(std::function<void(const std::string& key)> on_change) {
  std::lock_guard lock(mu_);
  subscribers_.push_back(std::move(on_change));
}

KubeRuntime::UiInfo KubeRuntime::make_ui_info(const DriverResources& r, const std::string& ns,
                                              const std::string& submission_id,
                                              const Json* created_service) {
  UiInfo ui;
  ui.submission_id = submission_id;
  ui.service_name = r.ui_service_name;
  ui.port = r.ui_service_port;
  ui.ingress_name = r.ui_ingress_name;
  ui.ingress_address = r.ui_ingress_url;
  if (r.ui_service_name.empty()) return ui;
  std::optional<Json> service;
  if (created_service == nullptr) {
    service = client_.find(ResourceRef(resources::kServices, ns, r.ui_service_name));
    created_service = service ? &*service : nullptr;
  }
  const std::string ip = created_service ? string_at(*created_service, "spec.clusterIP") : "";
  if (!ip.empty() && ip != "None") {
    ui.address = std::string(ip).append(":").append(std::to_string(r.ui_service_port));
  }
  return ui;
}

controller::SubmitResult KubeRuntime::submit(const api::SparkApplication& app,
                                             const std::string& submission_id) {
  controller::SubmitResult result;
  result.pod_name = driver_pod_name(app);
  const std::string ns = ns_of(app);
  DriverOptions opts = options_.driver;
  opts.submit_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  DriverResources r;
  try {
    r = build_driver_resources(app, submission_id, opts);
  } catch (const Invalid& e) {
    result.error = e.what();
    return result;
  }
  result.pod_name = r.driver_pod_name;
  for (const auto& w : r.warnings) spdlog::warn("sparkapplication {}: {}", key_of(app), w);

  Json ui_service;
  try {
    if (!r.prometheus_config_map.is_null()) create_or_get(client_, r.prometheus_config_map);

    // The driver pod: ours when it carries this submission's id, else an earlier run's.
    std::string pod_uid;
    try {
      pod_uid = string_at(
          client_.create(collection_of(r.driver_pod), r.driver_pod, Projection::metadata()),
          "metadata.uid");
    } catch (const AlreadyExists&) {
      Json existing = client_.get(ResourceRef(resources::kPods, ns, r.driver_pod_name));
      const std::string other = label_of(existing, controller::kLabelSubmissionId);
      if (other != submission_id || !launched_for(existing, app)) {
        throw Error(std::string("driver pod ")
                        .append(ns)
                        .append("/")
                        .append(r.driver_pod_name)
                        .append(" of another submission (")
                        .append(other.empty() ? "not the operator's" : other)
                        .append(") still exists"));
      }
      pod_uid = string_at(existing, "metadata.uid");
    }
    for (Json* dependent : {&r.config_map, &r.service, &r.executor_template_config_map}) {
      if (dependent->is_null()) continue;
      own_by_driver_pod(*dependent, r.driver_pod_name, pod_uid);
      create_or_get(client_, *dependent);
    }
    if (!r.ui_service.is_null()) ui_service = create_or_get(client_, r.ui_service, kServiceAnswer);
    if (!r.ui_ingress.is_null()) create_or_get(client_, r.ui_ingress);
    for (const auto& s : r.ingress_services) create_or_get(client_, s);
    for (const auto& i : r.ingresses) create_or_get(client_, i);
  } catch (const Invalid& e) {
    // Refused by the API server (validation, admission): submitting again would not help.
    result.error = e.what();
    return result;
  } catch (const AuthError& e) {
    if (e.status() != 403) throw;
    result.error = e.what();  // forbidden: a quota, a missing service account, RBAC
    return result;
  }

  UiInfo ui = make_ui_info(r, ns, submission_id, ui_service.is_null() ? nullptr : &ui_service);
  {
    std::lock_guard lock(mu_);
    ui_[key_of(app)] = std::move(ui);
  }
  spdlog::info("sparkapplication {}: created driver pod {} (submission {})", key_of(app),
               r.driver_pod_name, submission_id);
  result.ok = true;
  return result;
}

KubeRuntime::UiInfo KubeRuntime::ui_of(const api::SparkApplication& app) {
  const std::string& id = app.status.submission_id;
  const api::DriverInfo& d = app.status.driver_info;
  if (!d.web_ui_service_name.empty()) {
    // The status has it (observe() put it there; submit() clears driver_info): what submit()
    // kept until then is no longer needed, so nothing is held per running application.
    {
      std::lock_guard lock(mu_);
      ui_.erase(key_of(app));
    }
    UiInfo ui;
    ui.submission_id = id;
    ui.service_name = d.web_ui_service_name;
    ui.address = d.web_ui_address;
    ui.port = d.web_ui_port;
    ui.ingress_name = d.web_ui_ingress_name;
    ui.ingress_address = d.web_ui_ingress_address;
    return ui;
  }
  {
    std::lock_guard lock(mu_);
    auto it = ui_.find(key_of(app));
    if (it != ui_.end() && it->second.submission_id == id) return it->second;
  }
  // Submitted before this process started: the names are the builder's, the address the
  // Service's.
  UiInfo ui;
  ui.submission_id = id;
  try {
    api::SparkApplication copy = app;
    ui = make_ui_info(build_driver_resources(copy, id, options_.driver), ns_of(app), id, nullptr);
  } catch (const Invalid&) {
  }
  std::lock_guard lock(mu_);
  ui_[key_of(app)] = ui;
  return ui;
}

bool KubeRuntime::just_submitted(const api::SparkApplication& app) const {
  auto at = parse_rfc3339(app.status.last_submission_attempt_time);
  // Second precision: "within 5 s" is 4 to 5 s; the controller waits 10 s for a driver.
  return at && std::chrono::system_clock::now() - *at < std::chrono::seconds(5);
}

controller::DriverObservation KubeRuntime::observe(const api::SparkApplication& app) {
  controller::DriverObservation obs;
  const std::string& id = app.status.submission_id;
  if (id.empty()) return obs;
  const std::string ns = ns_of(app);
  const std::string pod_name = driver_pod_of(app);
  Informer* informer = informer_for(ns);

  ObjectPtr cached = informer != nullptr ? informer->get(ns, pod_name) : nullptr;
  const Json* driver = nullptr;
  std::optional<Json> live;
  if (cached && label_of(*cached, controller::kLabelSubmissionId) == id) {
    driver = cached.get();
  } else if (!just_submitted(app)) {
    // The cache may lag behind (a busy API server): ask the API server before the controller
    // concludes the driver is gone. Not for a pod created a moment ago: its watch event is on
    // its way and will bring the app back (a GET per app would add load when it is highest).
    live = client_.find(ResourceRef(resources::kPods, ns, pod_name));
    if (live && label_of(*live, controller::kLabelSubmissionId) == id) driver = &*live;
  }
  if (driver == nullptr) return obs;

  std::vector<ObjectPtr> pods;
  if (informer != nullptr) pods = informer->list_by_label(ns, app.metadata.name);
  std::vector<const Json*> executor_pods;
  for (const auto& p : pods) {
    if (label_of(*p, kLabelSparkRole) == "executor" &&
        label_of(*p, controller::kLabelSubmissionId) == id) {
      executor_pods.push_back(p.get());
    }
  }
  obs = observe_pods(*driver, executor_pods, app.status.executor_state);

  const UiInfo ui = ui_of(app);
  const bool ended = obs.phase == controller::DriverPhase::kSucceeded ||
                     obs.phase == controller::DriverPhase::kFailed;
  if (ended && !ui.service_name.empty()) {
    // As the Kubeflow operator cleans up on termination: the UI goes with the driver (a
    // rerun's submission makes a new one). Deleting is idempotent: the state leaves
    // SUBMITTED/RUNNING with this observation, so this runs about once per run.
    delete_operator_objects(app, true);
  }
  obs.web_ui_service_name = ui.service_name;
  obs.web_ui_address = ui.address;
  obs.web_ui_port = ui.port;
  obs.web_ui_ingress_name = ui.ingress_name;
  obs.web_ui_ingress_address = ui.ingress_address;
  return obs;
}

void KubeRuntime::delete_operator_objects(const api::SparkApplication& app, bool ui_only) {
  const std::string ns = ns_of(app);
  std::vector<ResourceRef> owned;
  try {
    api::SparkApplication copy = app;
    DriverResources r = build_driver_resources(
        copy, app.status.submission_id.empty() ? "cleanup" : app.status.submission_id,
        options_.driver);
    if (!r.ui_service_name.empty()) owned.emplace_back(resources::kServices, ns, r.ui_service_name);
    if (!r.ui_ingress_name.empty()) owned.emplace_back(kIngresses, ns, r.ui_ingress_name);
    for (const auto& s : ui_only ? std::vector<Json>() : r.ingress_services) {
      owned.emplace_back(resources::kServices, ns, string_at(s, "metadata.name"));
    }
    for (const auto& i : ui_only ? std::vector<Json>() : r.ingresses) {
      owned.emplace_back(kIngresses, ns, string_at(i, "metadata.name"));
    }
  } catch (const Invalid&) {
    owned.emplace_back(resources::kServices, ns, kubeflow_name(app.metadata.name, "ui-svc"));
    owned.emplace_back(kIngresses, ns, kubeflow_name(app.metadata.name, "ui-ingress"));
  }
  DeleteOptions o;
  o.propagation_policy = "Background";
  for (const auto& ref : owned) {
    try {
      auto object = client_.find(ref);
      if (!object || !owned_by(*object, app.metadata.uid)) continue;
      o.precondition_uid = string_at(*object, "metadata.uid");
      client_.remove(ref, o);
    } catch (const NotFound&) {
    } catch (const Conflict&) {
    }
  }
}

bool KubeRuntime::delete_resources(const api::SparkApplication& app) {
  const std::string ns = ns_of(app);
  DeleteOptions background;
  background.propagation_policy = "Background";

  bool gone = true;
  const ResourceRef pod_ref(resources::kPods, ns, driver_pod_of(app));
  if (auto pod = client_.find(pod_ref); pod && launched_for(*pod, app)) {
    gone = false;  // until the API server says it is gone (a pod terminates gracefully)
    if (json_at(*pod, "metadata.deletionTimestamp") == nullptr) {
      DeleteOptions o = background;
      o.precondition_uid = string_at(*pod, "metadata.uid");
      try {
        Json answer = client_.remove(pod_ref, o);
        gone = answer.value("kind", "") == "Status";  // deleted at once, no grace period
        spdlog::info("sparkapplication {}: deleting driver pod {}", key_of(app), pod_ref.name);
      } catch (const NotFound&) {
        gone = true;
      } catch (const Conflict&) {
        // Another pod under that name now (the precondition failed): look again next time.
      }
    }
  }

  delete_operator_objects(app, false);
  if (gone) {
    std::lock_guard lock(mu_);
    ui_.erase(key_of(app));
  }
  return gone;
}

}  // namespace sp::kube
