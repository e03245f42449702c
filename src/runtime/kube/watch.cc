#include "runtime/kube/watch.h"

#include "runtime/kube/api_errors.h"

namespace sp::kube {

bool LineSplitter::feed(std::string_view chunk,
                        const std::function<bool(std::string_view)>& on_line) {
  auto deliver = [&on_line](std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line.empty() || on_line(line);
  };
  while (!chunk.empty()) {
    const std::size_t nl = chunk.find('\n');
    if (nl == std::string_view::npos) {
      pending_.append(chunk);
      return true;
    }
    bool go_on;
    if (pending_.empty()) {
      go_on = deliver(chunk.substr(0, nl));
    } else {
      pending_.append(chunk.substr(0, nl));
      std::string line = std::move(pending_);
      pending_.clear();
      go_on = deliver(line);
    }
    chunk.remove_prefix(nl + 1);
    if (!go_on) return false;
  }
  return true;
}

const char* to_string(WatchEventType type) {
  switch (type) {
    case WatchEventType::Added:
      return "ADDED";
    case WatchEventType::Modified:
      return "MODIFIED";
    case WatchEventType::Deleted:
      return "DELETED";
    case WatchEventType::Bookmark:
      return "BOOKMARK";
    case WatchEventType::Error:
      return "ERROR";
  }
  return "?";
}

WatchEvent parse_watch_event(std::string_view line, const Projection& fields) {
  std::optional<Json> parsed = parse_projected_event(line, fields);
  if (!parsed) {
    throw Error("watch: a line is not a JSON event: " + std::string(line.substr(0, 120)));
  }
  Json& j = *parsed;
  WatchEvent e;
  const std::string type = j.value("type", "");
  if (type == "ADDED")
    e.type = WatchEventType::Added;
  else if (type == "MODIFIED")
    e.type = WatchEventType::Modified;
  else if (type == "DELETED")
    e.type = WatchEventType::Deleted;
  else if (type == "BOOKMARK")
    e.type = WatchEventType::Bookmark;
  else if (type == "ERROR")
    e.type = WatchEventType::Error;
  else
    throw Error("watch: unknown event type \"" + type + "\"");
  if (auto it = j.find("object"); it != j.end()) e.object = std::move(*it);
  if (!e.object.is_object()) throw Error("watch: " + type + " event without an object");
  return e;
}

WatchEnd watch(KubeClient& client, const ResourceRef& collection, const ListOptions& options,
               const std::function<bool(WatchEvent&)>& on_event, std::stop_token stop,
               const Projection& fields) {
  ListOptions o = options;
  o.limit = 0;
  o.continue_token.clear();
  const std::string path = collection.collection().path() + o.query(/*watch=*/true);
  // The server ends the watch after timeoutSeconds; give it some slack before giving up.
  const std::chrono::milliseconds timeout = o.timeout_seconds
                                                ? std::chrono::seconds(*o.timeout_seconds + 30)
                                                : std::chrono::milliseconds(0);

  LineSplitter lines;
  bool handler_stopped = false;
  const std::function<bool(std::string_view)> on_line = [&](std::string_view line) {
    WatchEvent e = parse_watch_event(line, fields);
    if (e.type == WatchEventType::Error) {
      const ApiStatus s = parse_api_status(e.object);
      throw_api_error(s, "watch " + collection.collection().str(), client.config().identity());
    }
    if (!on_event(e) || stop.stop_requested()) {
      handler_stopped = true;
      return false;
    }
    return true;
  };
  const std::function<bool(std::string_view)> on_data = [&](std::string_view chunk) {
    return lines.feed(chunk, on_line);
  };
  const bool finished = client.stream(path, on_data, timeout, stop);
  return finished && !handler_stopped ? WatchEnd::Closed : WatchEnd::Stopped;
}

}  // namespace sp::kube
