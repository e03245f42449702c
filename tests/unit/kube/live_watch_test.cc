// Watches against a real kube-apiserver (see live_cluster.h).
#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include "live_cluster.h"
#include "runtime/kube/watch.h"

namespace sp::kube {
namespace {

using namespace std::chrono_literals;

class KubeLiveWatch : public test::LiveTest {};

// Runs a watch on a thread, collecting its events.
class Watcher {
 public:
  Watcher(KubeClient& client, ResourceRef collection, ListOptions options)
      : thread_([this, &client, collection, options](std::stop_token stop) {
          try {
            end_ = watch(
                client, collection, options,
                [this](WatchEvent& e) {
                  std::lock_guard lock(mu_);
                  events_.push_back(e);
                  return true;
                },
                stop);
          } catch (...) {
            error_ = std::current_exception();
          }
          done_ = true;
        }) {}

  std::vector<WatchEvent> events() {
    std::lock_guard lock(mu_);
    return events_;
  }
  std::size_t count() {
    std::lock_guard lock(mu_);
    return events_.size();
  }
  void stop() {
    thread_.request_stop();
    thread_.join();
  }
  bool done() const { return done_; }
  std::exception_ptr error() const { return error_; }
  WatchEnd end() const { return end_; }

 private:
  std::mutex mu_;
  std::vector<WatchEvent> events_;
  std::atomic<bool> done_{false};
  std::exception_ptr error_;
  WatchEnd end_ = WatchEnd::Stopped;
  std::jthread thread_;
};

TEST_F(KubeLiveWatch, DeliversAddedModifiedDeletedInOrderAndStopsAtOnce) {
  Json list = client().list(configmaps());
  ListOptions o;
  o.resource_version = list["metadata"]["resourceVersion"];
  o.label_selector = "watched=yes";  // not kube-root-ca.crt
  o.timeout_seconds = 120;
  Watcher w(client(), configmaps(), o);

  client().create(configmaps(), test::configmap("w1", {{"v", "1"}}, {{"watched", "yes"}}));
  client().create(configmaps(), test::configmap("other", {}, {{"watched", "no"}}));
  client().patch(configmaps().named("w1"), {{"data", {{"v", "2"}}}});
  client().remove(configmaps().named("w1"));
  ASSERT_TRUE(test::eventually([&] { return w.count() >= 3; })) << w.count() << " events";

  const auto start = std::chrono::steady_clock::now();
  w.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms) << "stop waited for the server";
  ASSERT_FALSE(w.error());
  EXPECT_EQ(w.end(), WatchEnd::Stopped);
  auto events = w.events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, WatchEventType::Added);
  EXPECT_EQ(events[1].type, WatchEventType::Modified);
  EXPECT_EQ(events[2].type, WatchEventType::Deleted);
  for (const auto& e : events) EXPECT_EQ(e.object["metadata"]["name"], "w1");
  EXPECT_EQ(events[1].object["data"]["v"], "2");
  // Resource versions grow along the stream.
  EXPECT_LT(std::stoll(events[0].object["metadata"]["resourceVersion"].get<std::string>()),
            std::stoll(events[1].object["metadata"]["resourceVersion"].get<std::string>()));
}

TEST_F(KubeLiveWatch, ServerEndsTheWatchAfterTimeoutWithABookmark) {
  ListOptions o;
  o.resource_version = client().list(configmaps())["metadata"]["resourceVersion"];
  o.label_selector = "watched=yes";
  o.allow_watch_bookmarks = true;
  o.timeout_seconds = 4;  // the server sends a bookmark 2 s before it ends the watch
  // A change the watch's selector hides, made once the watch runs: only a bookmark tells.
  std::string hidden_rv;
  std::jthread writer([&] {
    std::this_thread::sleep_for(500ms);
    hidden_rv =
        client().create(configmaps(), test::configmap("hidden"))["metadata"]["resourceVersion"];
  });
  std::vector<WatchEvent> events;
  const auto start = std::chrono::steady_clock::now();
  WatchEnd end = watch(client(), configmaps(), o, [&](WatchEvent& e) {
    events.push_back(e);
    return true;
  });
  writer.join();
  EXPECT_EQ(end, WatchEnd::Closed);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 3s);
  ASSERT_FALSE(events.empty()) << "no BOOKMARK before the watch ended";
  for (const auto& e : events) {
    EXPECT_EQ(e.type, WatchEventType::Bookmark);
    EXPECT_GE(std::stoll(e.object["metadata"]["resourceVersion"].get<std::string>()),
              std::stoll(hidden_rv));
  }
}

TEST_F(KubeLiveWatch, TooOldResourceVersionIsGone) {
  // A CRD's watch cache starts when the CRD does, long after resourceVersion 1.
  test::ensure_widget_crd(client());
  ListOptions o;
  o.resource_version = "1";
  o.timeout_seconds = 30;
  try {
    watch(client(), ResourceRef(test::kWidgets, ns()), o, [](WatchEvent&) { return true; });
    FAIL() << "a watch from resourceVersion 1 was not Gone";
  } catch (const Gone& e) {
    EXPECT_NE(std::string(e.what()).find("too old resource version"), std::string::npos)
        << e.what();
  }
}

TEST_F(KubeLiveWatch, HandlerCanStopTheWatch) {
  client().create(configmaps(), test::configmap("s1"));
  client().create(configmaps(), test::configmap("s2"));
  ListOptions o;
  o.resource_version = "0";  // starts with the current objects as ADDED
  o.timeout_seconds = 60;
  int seen = 0;
  WatchEnd end = watch(client(), configmaps(), o, [&](WatchEvent&) { return ++seen < 2; });
  EXPECT_EQ(end, WatchEnd::Stopped);
  EXPECT_EQ(seen, 2);
}

TEST_F(KubeLiveWatch, MissingResourceIsNotFound) {
  ListOptions o;
  o.timeout_seconds = 5;
  EXPECT_THROW(watch(client(), ResourceRef({"no.such.group", "v1", "things"}, ns()), o,
                     [](WatchEvent&) { return true; }),
               NotFound);
}

}  // namespace
}  // namespace sp::kube
