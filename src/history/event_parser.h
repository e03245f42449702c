// Parses one event-log line (a JSON object with an "Event" field) into a typed Event, with
// simdjson; each line is parsed once. Unknown event types become IgnoredEvent.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "history/events.h"

namespace sp::history {

class EventParser {
 public:
  // Parses `line` into `out`. Returns false (and sets `error`) when the line is not a JSON
  // object, has no "Event" string, or a known event lacks required fields or has wrong types.
  bool parse(std::string_view line, Event& out, std::string* error = nullptr);

 private:
  simdjson::dom::parser parser_;
};

}  // namespace sp::history
