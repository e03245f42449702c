// Leader election on a real Lease (see live_cluster.h): two candidates in one process.
#include <gtest/gtest.h>

#include <atomic>

#include "common/time_format.h"
#include "live_cluster.h"
#include "runtime/kube/leader_election.h"

namespace sp::kube {
namespace {

using namespace std::chrono_literals;

class KubeLiveLeaderElection : public test::LiveTest {
 protected:
  LeaderElectionConfig config(const std::string& identity) const {
    LeaderElectionConfig c;
    c.ns = ns();
    c.name = "sparkplane-operator";
    c.identity = identity;
    c.lease_duration = 4s;
    c.renew_deadline = 2s;
    c.retry_period = 300ms;
    return c;
  }
  Json lease() {
    return client().get(ResourceRef(resources::kLeases, ns(), "sparkplane-operator"));
  }
};

struct Counters {
  std::atomic<int> started{0};
  std::atomic<int> stopped{0};
  LeaderCallbacks callbacks() {
    return {[this] { ++started; }, [this] { ++stopped; }, nullptr};
  }
};

TEST_F(KubeLiveLeaderElection, OneLeadsAndStoppingHandsOverAtOnce) {
  Counters ca, cb;
  LeaderElector a(client(), config("a"), ca.callbacks());
  LeaderElector b(client(), config("b"), cb.callbacks());
  a.start();
  ASSERT_TRUE(test::eventually([&] { return a.is_leader(); }));
  b.start();
  std::this_thread::sleep_for(1500ms);  // several of b's attempts, a renewing meanwhile
  EXPECT_TRUE(a.is_leader());
  EXPECT_FALSE(b.is_leader());
  EXPECT_EQ(b.leader(), "a");
  Json held = lease();
  EXPECT_EQ(held["spec"]["holderIdentity"], "a");
  EXPECT_EQ(held["spec"]["leaseDurationSeconds"], 4);
  EXPECT_EQ(held["spec"].value("leaseTransitions", 0), 0);
  EXPECT_TRUE(parse_rfc3339(held["spec"]["renewTime"]));

  // A graceful stop releases the lease: b takes it well before a's lease would have expired.
  const auto stopped_at = std::chrono::steady_clock::now();
  a.stop();
  EXPECT_FALSE(a.is_leader());
  EXPECT_EQ(ca.started, 1);
  EXPECT_EQ(ca.stopped, 1);
  ASSERT_TRUE(test::eventually([&] { return b.is_leader(); }, 10s));
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, 3s);
  EXPECT_EQ(cb.started, 1);
  Json taken = lease();
  EXPECT_EQ(taken["spec"]["holderIdentity"], "b");
  EXPECT_EQ(taken["spec"]["leaseTransitions"], 1);  // the release keeps the count, as client-go
  b.stop();
}

TEST_F(KubeLiveLeaderElection, LeaderWhoseLeaseIsTakenStopsLeading) {
  Counters ca;
  LeaderElector a(client(), config("a"), ca.callbacks());
  a.start();
  ASSERT_TRUE(test::eventually([&] { return a.is_leader(); }));

  // Someone else writes itself into the lease, with a long duration.
  Json stolen = lease();
  stolen["spec"]["holderIdentity"] = "thief";
  stolen["spec"]["leaseDurationSeconds"] = 60;
  client().update(ResourceRef(resources::kLeases, ns(), "sparkplane-operator"), stolen);

  // a cannot renew; after the renew deadline (2 s) it stops leading.
  ASSERT_TRUE(test::eventually([&] { return ca.stopped == 1; }, 10s));
  EXPECT_FALSE(a.is_leader());
  EXPECT_EQ(a.leader(), "thief");
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(ca.started, 1);  // the thief's lease is still valid: a waits
  a.stop();
  EXPECT_EQ(lease()["spec"]["holderIdentity"], "thief");  // not a's to release
}

TEST_F(KubeLiveLeaderElection, ExpiredLeaseIsTakenOverOnTheCandidatesClock) {
  // a takes the lease once and then "crashes" (no renewals, no release).
  LeaderElector a(client(), config("a"), {});
  ASSERT_TRUE(a.try_acquire_or_renew());

  FakeClock clock(std::chrono::system_clock::now());
  LeaderElector b(client(), config("b"), {}, clock);
  EXPECT_FALSE(b.try_acquire_or_renew());  // just seen: valid for 4 s of b's clock
  clock.advance(3s);
  EXPECT_FALSE(b.try_acquire_or_renew());
  clock.advance(2s);
  EXPECT_TRUE(b.try_acquire_or_renew());
  Json taken = lease();
  EXPECT_EQ(taken["spec"]["holderIdentity"], "b");
  EXPECT_EQ(taken["spec"]["leaseTransitions"], 1);
  // a, back, finds b's fresh lease and does not take it.
  EXPECT_FALSE(a.try_acquire_or_renew());
  EXPECT_EQ(a.leader(), "b");
}

TEST_F(KubeLiveLeaderElection, ConfigIsChecked) {
  LeaderElectionConfig c = config("x");
  c.renew_deadline = 5s;
  EXPECT_THROW(LeaderElector(client(), c, {}), Invalid);
  c = config("");
  LeaderElector e(client(), c, {});
  EXPECT_NE(e.identity().find('_'), std::string::npos);  // hostname_uuid
}

}  // namespace
}  // namespace sp::kube
