// Parses one event-log line (a JSON object with an "Event" field) into a typed Event, with
// simdjson; each line is parsed once. Unknown event types become IgnoredEvent. A parser is used
// by one thread at a time; lines can be parsed on other threads than the store they go to.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "history/events.h"

namespace sp::history {

// One line parsed apart from the store it goes to (AppStore::apply_parsed).
struct ParsedLine {
  enum class Kind : std::uint8_t { kBlank, kMalformed, kEvent };
  Kind kind = Kind::kBlank;
  Event event;        // kEvent
  std::string error;  // kMalformed: what is wrong with the line
};

struct EventSpares;

class EventParser {
 public:
  EventParser();
  ~EventParser();
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  // Parses `line` into `out`. Returns false (and sets `error`) when the line is not a JSON
  // object, has no "Event" string, or a known event lacks required fields or has wrong types.
  // `padded`: the SIMDJSON_PADDING bytes after the line are readable (saves a copy).
  bool parse(std::string_view line, Event& out, std::string* error = nullptr, bool padded = false);
  // The same for a whole line, told apart as blank (only spaces, tabs, CR, LF), malformed or
  // an event; `out`'s previous content is replaced.
  // A task event (the most frequent) is parsed into the one `out` holds, or into one kept from
  // an earlier line, keeping the memory of their strings and vectors: reusing ParsedLines
  // then needs almost no allocations.
  void parse_line(std::string_view line, ParsedLine& out, bool padded = false);

 private:
  simdjson::dom::parser parser_;
  std::unique_ptr<EventSpares> spares_;
};

}  // namespace sp::history
