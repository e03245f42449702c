#include "controller/manager.h"

#include <spdlog/spdlog.h>

#include "controller/labels.h"

namespace sp::controller {
namespace {

// Queue keys: "<resource>/<namespace>/<name>".
std::string queue_key(const std::string& resource, const std::string& ns, const std::string& name) {
  return resource + "/" + ns + "/" + name;
}

}  // namespace

Manager::Manager(Store& store, Runtime& runtime, const Clock& clock, MetricsRegistry& metrics,
                 ManagerOptions options)
    : store_(store),
      runtime_(runtime),
      options_(options),
      app_metrics_(metrics),
      apps_(store, runtime, clock, &app_metrics_, options.app),
      scheduled_(store, clock) {}

Manager::~Manager() { stop(); }

void Manager::enqueue_change(const Change& change) {
  queue_.add(queue_key(change.resource, change.namespace_, change.name));
  if (change.resource != kSparkApplications) return;
  if (change.type == Change::Type::kDeleted && change.object != nullptr) {
    const Json* state = json_at(*change.object, "status.applicationState.state");
    app_metrics_.on_deleted(api::app_state_from_string(
        state != nullptr && state->is_string() ? state->get<std::string>() : ""));
  }
  // A run's progress updates its ScheduledSparkApplication's history.
  std::optional<Json> fetched;
  const Json* obj = change.object;
  if (obj == nullptr &&
      (fetched = store_.get(kSparkApplications, change.namespace_, change.name))) {
    obj = &*fetched;
  }
  if (obj != nullptr) {
    const Json* owner = json_at(*obj, "metadata.labels");
    if (owner && owner->contains(kLabelScheduledAppName)) {
      queue_.add(queue_key(kScheduledSparkApplications, change.namespace_,
                           (*owner)[kLabelScheduledAppName].get<std::string>()));
    }
  }
}

void Manager::start() {
  store_.subscribe([this](const Change& c) { enqueue_change(c); });
  runtime_.subscribe(
      [this](const std::string& key) { queue_.add(std::string(kSparkApplications) + "/" + key); });
  for (const char* resource : {kSparkApplications, kScheduledSparkApplications}) {
    for (const Json& obj : store_.list(resource, "")) {
      const Json& m = obj["metadata"];
      queue_.add(queue_key(resource, m.value("namespace", ""), m.value("name", "")));
    }
  }
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { worker(); });
}

void Manager::stop() {
  queue_.shut_down();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void Manager::worker() {
  while (auto key = queue_.get()) {
    process(*key);
    queue_.done(*key);
  }
}

void Manager::process(const std::string& key) {
  auto first = key.find('/');
  auto second = key.find('/', first + 1);
  const std::string resource = key.substr(0, first);
  const std::string ns = key.substr(first + 1, second - first - 1);
  const std::string name = key.substr(second + 1);
  try {
    Result r =
        resource == kSparkApplications ? apps_.reconcile(ns, name) : scheduled_.reconcile(ns, name);
    queue_.forget(key);
    if (r.requeue_after) {
      if (*r.requeue_after <= Duration::zero()) {
        queue_.add(key);
      } else {
        queue_.add_after(key, *r.requeue_after);
      }
    }
  } catch (const std::exception& e) {
    spdlog::warn("reconcile {}: {} (retrying)", key, e.what());
    queue_.add_rate_limited(key);
  }
}

}  // namespace sp::controller
