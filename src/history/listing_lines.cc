#include "history/listing_lines.h"

#include <simdjson.h>

#include <array>

#include "eventlog/log_reader.h"
#include "history/json_writer.h"

namespace sp::history {
namespace {

constexpr std::string_view kPrefix = "{\"Event\":\"SparkListener";

constexpr std::array<std::string_view, 4> kAclKeys = {
    "spark.ui.view.acls", "spark.ui.view.acls.groups", "spark.admin.acls",
    "spark.admin.acls.groups"};

}  // namespace

std::string listing_environment(std::string_view env_line) {
  thread_local simdjson::dom::parser parser;  // keeps its buffers from one log to the next
  simdjson::dom::element doc;
  simdjson::dom::object props;
  if (parser.parse(env_line.data(), env_line.size()).get(doc) != simdjson::SUCCESS ||
      doc["Spark Properties"].get_object().get(props) != simdjson::SUCCESS)
    return std::string(env_line);
  JsonWriter w;
  w.begin_object();
  w.field("Event", "SparkListenerEnvironmentUpdate");
  w.key("Spark Properties");
  w.begin_object();
  for (auto [key, value] : props) {
    std::string_view v;
    for (auto acl : kAclKeys)
      if (key == acl && value.get_string().get(v) == simdjson::SUCCESS) w.field(key, v);
  }
  w.end_object();
  // Sections every EnvironmentUpdate has, left empty.
  for (const char* section : {"JVM Information", "System Properties", "Classpath Entries"}) {
    w.key(section);
    w.begin_object();
    w.end_object();
  }
  w.end_object();
  return w.take();
}

ListingEvent listing_event(std::string_view line) {
  std::string_view rest;
  if (line.starts_with(kPrefix)) {
    rest = line.substr(kPrefix.size());
  } else {
    // Not Spark's own layout (another field first, or spaces): find the name near the start.
    const std::string_view head = line.substr(0, 256);
    const auto at = head.find("\"Event\"");
    if (at == std::string_view::npos) return ListingEvent::kNone;
    std::size_t i = at + 7;
    auto skip_spaces = [&] {
      while (i < head.size() && (head[i] == ' ' || head[i] == '\t')) ++i;
    };
    skip_spaces();
    if (i >= head.size() || head[i] != ':') return ListingEvent::kNone;
    ++i;
    skip_spaces();
    constexpr std::string_view kName = "\"SparkListener";
    if (head.substr(i, kName.size()) != kName) return ListingEvent::kNone;
    rest = line.substr(i + kName.size());
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
    const ListingEvent kind = listing_event(line);
    switch (kind) {
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
    if (kind == ListingEvent::kEnvironment)
      out.lines.push_back(listing_environment(line));
    else
      out.lines.emplace_back(line);
    return !(app_start && environment);
  });
  out.bytes_read += head.bytes_read;
  if (!head.ok()) {
    out.error = head.error;
    return out;
  }
  if (!head.stopped || app_end) return out;  // the whole log was read
  auto keep_end = [&](std::string_view line) {
    if (listing_event(line) == ListingEvent::kAppEnd) out.lines.emplace_back(line);
    return true;
  };
  // A small log is read on to its end rather than read again from its tail.
  const bool small = log.total_size <= head.bytes_read + tail_bytes;
  auto tail =
      small ? reader.read_more(keep_end) : eventlog::read_tail(store, log, tail_bytes, keep_end);
  out.bytes_read += tail.bytes_read;
  if (!tail.ok()) out.error = tail.error;
  return out;
}

}  // namespace sp::history
