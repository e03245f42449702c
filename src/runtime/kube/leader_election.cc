#include "runtime/kube/leader_election.h"

#include <date/date.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "common/error.h"
#include "common/uuid.h"
#include "runtime/kube/backoff.h"

namespace sp::kube {
namespace {

// metav1.MicroTime: "2026-01-02T15:04:05.000000Z".
std::string micro_time(Time t) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", std::chrono::floor<std::chrono::microseconds>(t));
}

long whole_seconds(std::chrono::milliseconds d) {
  return std::max<long>(1, static_cast<long>((d.count() + 999) / 1000));
}

}  // namespace

std::string default_identity() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
    return "sparkplane_" + uuid_v4();
  }
  return std::string(host) + "_" + uuid_v4();
}

LeaderElector::LeaderElector(KubeClient& client, LeaderElectionConfig config,
                             LeaderCallbacks callbacks, const Clock& clock)
    : client_(client), config_(std::move(config)), callbacks_(std::move(callbacks)), clock_(clock) {
  if (config_.ns.empty() || config_.name.empty()) {
    throw Invalid("leader election: the Lease's namespace and name are required");
  }
  if (config_.identity.empty()) config_.identity = default_identity();
  if (config_.renew_deadline >= config_.lease_duration) {
    throw Invalid("leader election: renew deadline must be shorter than the lease duration");
  }
  if (config_.retry_period * 12 / 10 >= config_.renew_deadline) {
    throw Invalid("leader election: retry period (x1.2) must be shorter than the renew deadline");
  }
}

LeaderElector::~LeaderElector() { stop(); }

void LeaderElector::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void LeaderElector::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

std::string LeaderElector::leader() const {
  std::lock_guard lock(mu_);
  return observed_spec_.is_object() ? observed_spec_.value("holderIdentity", "") : "";
}

void LeaderElector::observe(const Json& spec) {
  std::string before, after;
  {
    std::lock_guard lock(mu_);
    if (spec == observed_spec_) return;
    before = observed_spec_.is_object() ? observed_spec_.value("holderIdentity", "") : "";
    after = spec.is_object() ? spec.value("holderIdentity", "") : "";
    observed_spec_ = spec;
    observed_time_ = clock_.now();
  }
  if (before != after && callbacks_.on_new_leader) {
    try {
      callbacks_.on_new_leader(after);
    } catch (const std::exception& e) {
      spdlog::error("leader election: on_new_leader failed: {}", e.what());
    }
  }
}

bool LeaderElector::try_acquire_or_renew() {
  const ResourceRef ref(resources::kLeases, config_.ns, config_.name);
  const std::string what = "lease " + config_.ns + "/" + config_.name;
  const Time now = clock_.now();
  const std::string now_text = micro_time(now);
  const long duration = whole_seconds(config_.lease_duration);
  try {
    std::optional<Json> lease = client_.find(ref);
    if (!lease) {
      Json obj = {{"apiVersion", "coordination.k8s.io/v1"},
                  {"kind", "Lease"},
                  {"metadata", {{"name", config_.name}, {"namespace", config_.ns}}},
                  {"spec",
                   {{"holderIdentity", config_.identity},
                    {"leaseDurationSeconds", duration},
                    {"acquireTime", now_text},
                    {"renewTime", now_text},
                    {"leaseTransitions", 0}}}};
      Json created = client_.create(ref, obj);
      observe(created.value("spec", Json::object()));
      return true;
    }
    const Json spec = lease->value("spec", Json::object());
    observe(spec);
    const std::string holder = spec.value("holderIdentity", "");
    const long held_for = spec.value("leaseDurationSeconds", duration);
    if (!holder.empty() && holder != config_.identity) {
      std::lock_guard lock(mu_);
      if (observed_time_ + std::chrono::seconds(held_for) > now) return false;  // still valid
    }
    Json next = std::move(*lease);
    Json& s = next["spec"];
    s["holderIdentity"] = config_.identity;
    s["leaseDurationSeconds"] = duration;
    s["renewTime"] = now_text;
    if (holder != config_.identity) {
      s["acquireTime"] = now_text;
      s["leaseTransitions"] = spec.value("leaseTransitions", 0L) + 1;
    }
    Json updated = client_.update(ref, next);
    observe(updated.value("spec", Json::object()));
    return true;
  } catch (const Conflict&) {
    return false;  // another candidate wrote first
  } catch (const std::exception& e) {
    spdlog::warn("leader election: {}: {}", what, e.what());
    return false;
  }
}

bool LeaderElector::release() {
  const ResourceRef ref(resources::kLeases, config_.ns, config_.name);
  try {
    std::optional<Json> lease = client_.find(ref);
    if (!lease || json_at(*lease, "spec.holderIdentity") == nullptr ||
        (*lease)["spec"]["holderIdentity"] != config_.identity) {
      return false;
    }
    const std::string now_text = micro_time(clock_.now());
    Json& s = (*lease)["spec"];
    s["holderIdentity"] = "";
    s["leaseDurationSeconds"] = 1;
    s["acquireTime"] = now_text;
    s["renewTime"] = now_text;
    Json updated = client_.update(ref, *lease);
    observe(updated.value("spec", Json::object()));
    return true;
  } catch (const std::exception& e) {
    spdlog::warn("leader election: releasing lease {}/{}: {}", config_.ns, config_.name, e.what());
    return false;
  }
}

void LeaderElector::run(std::stop_token stop) {
  auto call = [](const std::function<void()>& f, const char* what) {
    if (!f) return;
    try {
      f();
    } catch (const std::exception& e) {
      spdlog::error("leader election: {} failed: {}", what, e.what());
    }
  };
  while (!stop.stop_requested()) {
    bool acquired = try_acquire_or_renew();
    while (!acquired && sleep_for(jittered(config_.retry_period, 1.2), stop)) {
      acquired = try_acquire_or_renew();
    }
    if (!acquired) break;
    leading_ = true;
    spdlog::info("leader election: {} leads lease {}/{}", config_.identity, config_.ns,
                 config_.name);
    call(callbacks_.on_started_leading, "on_started_leading");
    Time last_renew = clock_.now();
    while (sleep_for(config_.retry_period, stop)) {
      if (try_acquire_or_renew()) {
        last_renew = clock_.now();
      } else if (clock_.now() - last_renew >= config_.renew_deadline) {
        break;
      }
    }
    if (stop.stop_requested()) break;
    leading_ = false;
    spdlog::warn("leader election: {} lost lease {}/{} (not renewed for {} ms)", config_.identity,
                 config_.ns, config_.name, config_.renew_deadline.count());
    call(callbacks_.on_stopped_leading, "on_stopped_leading");
  }
  if (leading_) {
    if (config_.release_on_stop) release();
    leading_ = false;
    call(callbacks_.on_stopped_leading, "on_stopped_leading");
  }
}

}  // namespace sp::kube
