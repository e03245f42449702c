#include "history/listing_lines.h"

#include "eventlog/log_reader.h"

namespace sp::history {
namespace {

constexpr std::string_view kPrefix = "{\"Event\":\"SparkListener";

}  // namespace

ListingEvent listing_event(std::string_view line) {
  std::string_view rest;
  if (line.starts_with(kPrefix)) {
    rest = line.substr(kPrefix.size());
  } else {
    // Not Spark's own field order: look for the name near the start.
    const auto at = line.substr(0, 256).find("\"Event\":\"SparkListener");
    if (at == std::string_view::npos) return ListingEvent::kNone;
    rest = line.substr(at + kPrefix.size() - 1);
  }
  if (rest.starts_with("ApplicationStart\"")) return ListingEvent::kAppStart;
  if (rest.starts_with("ApplicationEnd\"")) return ListingEvent::kAppEnd;
  if (rest.starts_with("EnvironmentUpdate\"")) return ListingEvent::kEnvironment;
  if (rest.starts_with("LogStart\"")) return ListingEvent::kLogStart;
  return ListingEvent::kNone;
}

ListingLines read_listing_lines(const storage::ObjectStore& store, const eventlog::EventLog& log,
                                std::uint64_t tail_bytes) {
  ListingLines out;
  bool app_start = false, environment = false, app_end = false;
  eventlog::EventLogReader reader(store, log);
  auto head = reader.read_more([&](std::string_view line) {
    switch (listing_event(line)) {
      case ListingEvent::kNone:
        return true;
      case ListingEvent::kAppStart:
        app_start = true;
        break;
      case ListingEvent::kEnvironment:
        if (environment) return true;  // only the first carries the ACLs
        environment = true;
        break;
      case ListingEvent::kAppEnd:
        app_end = true;
        break;
      case ListingEvent::kLogStart:
        break;
    }
    out.lines.emplace_back(line);
    return !(app_start && environment);
  });
  out.bytes_read += head.bytes_read;
  if (!head.ok()) {
    out.error = head.error;
    return out;
  }
  if (!head.stopped || app_end) return out;  // the whole log was read
  auto tail = eventlog::read_tail(store, log, tail_bytes, [&](std::string_view line) {
    if (listing_event(line) == ListingEvent::kAppEnd) out.lines.emplace_back(line);
    return true;
  });
  out.bytes_read += tail.bytes_read;
  if (!tail.ok()) out.error = tail.error;
  return out;
}

}  // namespace sp::history
