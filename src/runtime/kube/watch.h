// Watching a collection: GET ...?watch=1&resourceVersion=RV&allowWatchBookmarks=true, the
// chunked answer read line by line as it arrives (each line one WatchEvent: ADDED, MODIFIED,
// DELETED, BOOKMARK or ERROR with an object), handed to a callback in order. Another thread
// ends it at once through a std::stop_token. An ERROR event with code 410 throws Gone.
#pragma once

#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "common/json.h"
#include "runtime/kube/kube_client.h"
#include "runtime/kube/object_projection.h"
#include "runtime/kube/resource.h"

namespace sp::kube {

// Splits a byte stream into lines: '\n' ends a line, a '\r' before it is dropped, empty lines
// are skipped; a line cut across chunks is kept until its end arrives.
class LineSplitter {
 public:
  // Calls on_line for every complete line of `chunk`; stops and returns false when it does.
  bool feed(std::string_view chunk, const std::function<bool(std::string_view)>& on_line);
  // Bytes of an unfinished line.
  std::size_t pending() const { return pending_.size(); }

 private:
  std::string pending_;
};

enum class WatchEventType { Added, Modified, Deleted, Bookmark, Error };

struct WatchEvent {
  WatchEventType type = WatchEventType::Added;
  Json object;  // the object; for Error, a Status; for Bookmark, only metadata.resourceVersion
};

// Parses one line, keeping the `fields` of its object (object_projection.h: never
// metadata.managedFields; an ERROR's Status whole); throws sp::Error when it is not a WatchEvent.
WatchEvent parse_watch_event(std::string_view line, const Projection& fields = Projection());
const char* to_string(WatchEventType type);

enum class WatchEnd {
  Closed,   // the server ended the watch (timeoutSeconds passed, or it shut down cleanly)
  Stopped,  // on_event returned false, or `stop` was requested
};

// Watches `collection` (namespace and gvr; name ignored) from options.resource_version with
// options' selectors, timeout_seconds and allow_watch_bookmarks (limit and continue are
// ignored). Events go to on_event on this thread as they arrive, their objects parsed to
// `fields` (metadata.managedFields is never kept); return false to stop.
// Throws Gone (HTTP 410 or an ERROR event with code 410), the mapped error of another ERROR
// event or of a failed request, sp::Unreachable when the connection cannot be made or breaks.
WatchEnd watch(KubeClient& client, const ResourceRef& collection, const ListOptions& options,
               const std::function<bool(WatchEvent&)>& on_event, std::stop_token stop = {},
               const Projection& fields = Projection());

}  // namespace sp::kube
