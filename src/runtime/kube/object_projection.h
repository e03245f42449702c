// Parsing API objects without building what the reader never looks at. The API server answers a
// create with the whole object and sends whole objects on watches; an operator that only needs
// a uid, or a pod's metadata and status, pays for the parsed tree of the rest (its spec,
// metadata.managedFields) in allocations. The projected parse still reads every byte (a
// malformed answer is still an error) but keeps only the chosen top-level fields, and never
// metadata.managedFields.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace sp::kube {

class Projection {
 public:
  Projection() = default;  // every top-level field (metadata.managedFields still left out)
  Projection(std::initializer_list<std::string_view> keep);

  // apiVersion, kind and metadata.
  static const Projection& metadata();

  bool keeps(std::string_view field) const;
  // Keeps nothing beyond apiVersion, kind and metadata: the API server may answer with the
  // object's metadata alone (PartialObjectMetadata), which is cheaper to encode and to send.
  bool metadata_only() const;

 private:
  std::vector<std::string> keep_;  // empty: every field
};

// One JSON object, projected; nullopt when `text` is not a JSON object.
std::optional<Json> parse_projected(std::string_view text, const Projection& projection);

// A watch event line ({"type": ..., "object": {...}}), its object projected; nullopt when the
// line is not a JSON object. The object of an ERROR event (a Status) is kept whole, and so is
// an object that comes before its event's type.
std::optional<Json> parse_projected_event(std::string_view line, const Projection& projection);

}  // namespace sp::kube
