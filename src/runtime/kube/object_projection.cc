#include "runtime/kube/object_projection.h"

#include <algorithm>
#include <functional>

namespace sp::kube {
namespace {

using Event = Json::parse_event_t;

// The parser callback. The projected object sits at depth `object_depth` of the document: 0
// when it is the document, 1 when it is the value of the document's key `object` (a watch
// event). nlohmann calls back with key events at the depth of the object holding the key;
// returning false for a key skips its value, built or not.
class Filter {
 public:
  Filter(const Projection& projection, int object_depth)
      : projection_(projection), object_depth_(object_depth) {}

  bool operator()(int depth, Event event, Json& parsed) {
    if (object_depth_ == 1 && depth == 1) return event_field(event, parsed);
    if (event != Event::key || !active_) return true;
    if (depth == object_depth_ + 1) {
      const auto& field = parsed.get_ref<const std::string&>();
      in_metadata_ = field == "metadata";
      return projection_.keeps(field);
    }
    if (depth == object_depth_ + 2 && in_metadata_) {
      return parsed.get_ref<const std::string&>() != "managedFields";
    }
    return true;
  }

 private:
  // The watch event's own fields: "type" (noted, to keep an ERROR's Status whole) and "object".
  bool event_field(Event event, Json& parsed) {
    if (event == Event::key) {
      last_key_ = parsed.get_ref<const std::string&>();
      if (last_key_ == "object") active_ = type_known_ && !is_error_;
    } else if (event == Event::value && last_key_ == "type" && parsed.is_string()) {
      type_known_ = true;
      is_error_ = parsed.get_ref<const std::string&>() == "ERROR";
    }
    return true;
  }

  const Projection& projection_;
  const int object_depth_;
  bool active_ = true;  // for a watch event: set when its "object" key arrives
  bool in_metadata_ = false;
  std::string last_key_;
  bool type_known_ = false;
  bool is_error_ = false;
};

std::optional<Json> parse_with(std::string_view text, Filter filter) {
  Json j = Json::parse(text, std::ref(filter), /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  return j;
}

}  // namespace

Projection::Projection(std::initializer_list<std::string_view> keep)
    : keep_(keep.begin(), keep.end()) {}

const Projection& Projection::metadata() {
  static const Projection p{"apiVersion", "kind", "metadata"};
  return p;
}

bool Projection::keeps(std::string_view field) const {
  return keep_.empty() || std::find(keep_.begin(), keep_.end(), field) != keep_.end();
}

bool Projection::metadata_only() const {
  return !keep_.empty() && std::all_of(keep_.begin(), keep_.end(), [](const std::string& f) {
    return f == "apiVersion" || f == "kind" || f == "metadata";
  });
}

std::optional<Json> parse_projected(std::string_view text, const Projection& projection) {
  return parse_with(text, Filter(projection, 0));
}

std::optional<Json> parse_projected_event(std::string_view line, const Projection& projection) {
  return parse_with(line, Filter(projection, 1));
}

}  // namespace sp::kube
