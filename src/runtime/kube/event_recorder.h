// Kubernetes Events (core/v1) about an object, as `kubectl describe` shows them: reason,
// message, type Normal or Warning, source.component "sparkplane". A repeat of the same event
// (same object, type, reason and message) bumps the existing Event's count and lastTimestamp
// instead of creating another, as client-go's recorder does (in a simple form: identical
// repeats only, remembered for the last 4,096 distinct events). Best effort: a failure is
// logged, never thrown. Thread-safe.
//
// Asynchronous, as client-go's broadcaster: record() queues the event and returns; one sender
// thread writes them in order, so a reconcile never waits on an Event (nor on another
// worker's). At most 10,000 wait; beyond that new ones are dropped, and counted in the log.
// The destructor sends what is queued (for up to 5 s).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "common/clock.h"
#include "common/json.h"
#include "runtime/kube/kube_client.h"

namespace sp::kube {

// Who an event is about (an Event's involvedObject).
struct ObjectReference {
  std::string api_version;
  std::string kind;
  std::string ns;
  std::string name;
  std::string uid;
  std::string resource_version;

  // From an object's apiVersion, kind and metadata.
  static ObjectReference of(const Json& object);
  Json to_json() const;
};

enum class EventType { Normal, Warning };

class EventRecorder {
 public:
  // `client` and `clock` must outlive the recorder; `host` goes to source.host and
  // reportingInstance (e.g. the pod name).
  EventRecorder(KubeClient& client, std::string component = "sparkplane", std::string host = "",
                const Clock& clock = KubeClient::system_clock());
  ~EventRecorder();
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  // `reason`: UpperCamelCase ("SparkApplicationSubmitted"); `message`: a sentence, cut to 1 KiB.
  void record(const ObjectReference& object, EventType type, std::string_view reason,
              std::string_view message);
  void normal(const Json& object, std::string_view reason, std::string_view message) {
    record(ObjectReference::of(object), EventType::Normal, reason, message);
  }
  void warning(const Json& object, std::string_view reason, std::string_view message) {
    record(ObjectReference::of(object), EventType::Warning, reason, message);
  }

  // Waits until every event recorded before the call is written (or failed).
  void flush();

  // The Event object that record() creates first (for tests and dry runs).
  Json make_event(const ObjectReference& object, EventType type, std::string_view reason,
                  std::string_view message) const;

 private:
  struct Seen {
    std::string ns;
    std::string name;  // the Event's name
    long count = 0;
  };

  struct Pending {
    ObjectReference object;
    EventType type;
    std::string reason;
    std::string message;
  };
  void run(std::stop_token stop);
  void send(const Pending& p);  // on the sender thread

  KubeClient& client_;
  std::string component_;
  std::string host_;
  const Clock& clock_;
  // By a hash of object, type, reason and message; the sender's only.
  std::unordered_map<std::size_t, Seen> seen_;

  std::mutex mu_;
  std::condition_variable_any cv_;
  std::deque<Pending> queue_;
  std::uint64_t queued_ = 0;  // events accepted so far
  std::uint64_t done_ = 0;    // of them, written or failed
  std::uint64_t dropped_ = 0;
  std::jthread thread_;  // last: started once the rest exists
};

}  // namespace sp::kube
