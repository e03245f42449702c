#include "runtime/kube/event_recorder.h"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "common/time_format.h"

namespace sp::kube {
namespace {

constexpr std::size_t kMaxRemembered = 4096;
constexpr std::size_t kMaxMessage = 1024;
constexpr std::size_t kMaxQueued = 10000;
constexpr auto kDrainTime = std::chrono::seconds(5);

const char* type_name(EventType type) { return type == EventType::Warning ? "Warning" : "Normal"; }

std::string cut(std::string_view message) {
  if (message.size() <= kMaxMessage) return std::string(message);
  std::size_t n = kMaxMessage - 3;
  while (n > 0 && (static_cast<unsigned char>(message[n]) & 0xC0) == 0x80) --n;  // UTF-8
  return std::string(message.substr(0, n)) + "...";
}

}  // namespace

ObjectReference ObjectReference::of(const Json& object) {
  ObjectReference r;
  r.api_version = string_at(object, "apiVersion");
  r.kind = string_at(object, "kind");
  r.ns = string_at(object, "metadata.namespace");
  r.name = string_at(object, "metadata.name");
  r.uid = string_at(object, "metadata.uid");
  r.resource_version = string_at(object, "metadata.resourceVersion");
  return r;
}

Json ObjectReference::to_json() const {
  Json j = Json::object();
  if (!api_version.empty()) j["apiVersion"] = api_version;
  if (!kind.empty()) j["kind"] = kind;
  if (!ns.empty()) j["namespace"] = ns;
  if (!name.empty()) j["name"] = name;
  if (!uid.empty()) j["uid"] = uid;
  if (!resource_version.empty()) j["resourceVersion"] = resource_version;
  return j;
}

EventRecorder::EventRecorder(KubeClient& client, std::string component, std::string host,
                             const Clock& clock)
    : client_(client),
      component_(std::move(component)),
      host_(std::move(host)),
      clock_(clock),
      thread_([this](std::stop_token stop) { run(stop); }) {}

EventRecorder::~EventRecorder() {
  {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kDrainTime, [this] { return done_ == queued_; });
  }
  thread_.request_stop();  // wakes the sender's wait
  thread_.join();
}

void EventRecorder::record(const ObjectReference& object, EventType type, std::string_view reason,
                           std::string_view message) {
  std::lock_guard lock(mu_);
  if (queue_.size() >= kMaxQueued) {
    if (dropped_++ % 1000 == 0) {
      spdlog::warn("events: {} queued, the API server is not keeping up; dropped {} so far",
                   queue_.size(), dropped_);
    }
    return;
  }
  queue_.push_back(Pending{object, type, std::string(reason), std::string(message)});
  ++queued_;
  cv_.notify_all();
}

void EventRecorder::flush() {
  std::unique_lock lock(mu_);
  const std::uint64_t target = queued_;
  cv_.wait(lock, [&] { return done_ >= target; });
}

void EventRecorder::run(std::stop_token stop) {
  std::unique_lock lock(mu_);
  while (!stop.stop_requested()) {
    if (queue_.empty()) {
      cv_.wait(lock, stop, [this] { return !queue_.empty(); });
      continue;
    }
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    send(p);
    lock.lock();
    ++done_;
    cv_.notify_all();
  }
  done_ += queue_.size();  // not sent: the destructor's time ran out
  queue_.clear();
  cv_.notify_all();
}

Json EventRecorder::make_event(const ObjectReference& object, EventType type,
                               std::string_view reason, std::string_view message) const {
  const Time now = clock_.now();
  const auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, ".%llx", static_cast<unsigned long long>(nanos));
  Json source = {{"component", component_}};
  if (!host_.empty()) source["host"] = host_;
  Json e = {
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata",
       {{"name", object.name + suffix}, {"namespace", object.ns.empty() ? "default" : object.ns}}},
      {"involvedObject", object.to_json()},
      {"reason", std::string(reason)},
      {"message", cut(message)},
      {"type", type_name(type)},
      {"source", source},
      {"firstTimestamp", format_rfc3339(now)},
      {"lastTimestamp", format_rfc3339(now)},
      {"count", 1},
      {"reportingComponent", component_},
      {"reportingInstance", host_}};
  return e;
}

void EventRecorder::send(const Pending& p) {
  const ObjectReference& object = p.object;
  // Remembered by a 64-bit hash of what makes two events the same, not the text itself (a few
  // hundred bytes each, 4,096 of them): two of them share a hash with odds near 1 in 10^12.
  const std::size_t key = std::hash<std::string>{}(
      object.kind + "\n" + object.ns + "\n" + object.name + "\n" + object.uid + "\n" +
      type_name(p.type) + "\n" + p.reason + "\n" + cut(p.message));
  try {
    if (auto it = seen_.find(key); it != seen_.end()) {
      Seen& s = it->second;
      const Json patch = {{"count", s.count + 1}, {"lastTimestamp", format_rfc3339(clock_.now())}};
      try {
        client_.patch(ResourceRef(resources::kEvents, s.ns, s.name), patch);
        ++s.count;
        return;
      } catch (const NotFound&) {
        seen_.erase(it);  // expired (events live an hour): start a new one
      }
    }
    Json event = make_event(object, p.type, p.reason, p.message);
    Json created =
        client_.create(ResourceRef(resources::kEvents, string_at(event, "metadata.namespace")),
                       event, Projection::metadata());
    if (seen_.size() >= kMaxRemembered) seen_.clear();
    seen_[key] =
        Seen{string_at(created, "metadata.namespace"), string_at(created, "metadata.name"), 1};
  } catch (const std::exception& e) {
    spdlog::warn("event {} {} for {} {}/{} not recorded: {}", type_name(p.type), p.reason,
                 object.kind, object.ns, object.name, e.what());
  }
}

}  // namespace sp::kube
