// Leader election on a coordination.k8s.io/v1 Lease, with client-go's algorithm: a candidate
// takes the lease when it has no holder or its holder has not renewed it for
// leaseDurationSeconds (measured on this process's clock from when the record last changed, so
// clocks need not agree); the leader renews it every retry_period and stops leading when it
// could not renew for renew_deadline. Writes use the Lease's resourceVersion, so two
// candidates never both win. On stop() the leader releases the lease (empty holderIdentity)
// so that a standby takes over at once.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/json.h"
#include "runtime/kube/kube_client.h"

namespace sp::kube {

struct LeaderElectionConfig {
  std::string ns;        // the Lease's namespace
  std::string name;      // the Lease's name ("sparkplane-operator")
  std::string identity;  // unique per candidate: default_identity()
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
  bool release_on_stop = true;
};

// Called on the elector's thread: they must return quickly (start and stop work elsewhere).
struct LeaderCallbacks {
  std::function<void()> on_started_leading;
  // After losing the lease (the elector then competes again) or on stop() while leading.
  std::function<void()> on_stopped_leading;
  // The holder seen changed (including to this candidate; "" when released).
  std::function<void(const std::string& identity)> on_new_leader;
};

class LeaderElector {
 public:
  // `client` and `clock` must outlive the elector. Throws sp::Invalid on a bad config
  // (renew_deadline must be < lease_duration, retry_period < renew_deadline).
  LeaderElector(KubeClient& client, LeaderElectionConfig config, LeaderCallbacks callbacks,
                const Clock& clock = KubeClient::system_clock());
  ~LeaderElector();  // stops
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  void start();
  // Stops competing; a leader releases the lease (release_on_stop) and gets on_stopped_leading.
  void stop();

  bool is_leader() const { return leading_.load(); }
  // The holder last seen ("" none).
  std::string leader() const;
  const std::string& identity() const { return config_.identity; }

  // One attempt to take or renew the lease (what the thread does every retry_period): true
  // when this candidate holds it now. Public for tests driving a fake clock.
  bool try_acquire_or_renew();
  // Empties the lease's holder when this candidate holds it. True when released.
  bool release();

 private:
  void run(std::stop_token stop);
  void observe(const Json& spec);

  KubeClient& client_;
  LeaderElectionConfig config_;
  LeaderCallbacks callbacks_;
  const Clock& clock_;

  mutable std::mutex mu_;
  Json observed_spec_;  // the Lease spec as last read or written
  Time observed_time_{};
  std::atomic<bool> leading_{false};
  std::jthread thread_;
};

// "<hostname>_<random uuid>": a candidate identity as client-go's users make them.
std::string default_identity();

}  // namespace sp::kube
