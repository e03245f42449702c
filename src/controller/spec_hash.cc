#include "controller/spec_hash.h"

#include "common/uuid.h"

namespace sp::controller {

uint64_t spec_hash(const Json& spec) {
  nlohmann::json sorted = nlohmann::json::parse(spec.dump());  // std::map keys: sorted
  if (sorted.is_object()) {
    sorted.erase("suspend");
    sorted.erase("timeToLiveSeconds");
  }
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : sorted.dump()) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string submission_id_for(const Json& spec, std::string_view run) {
  return uuid_v8(spec_hash(spec), run);
}

bool submitted_with_other_spec(std::string_view id, const Json& spec) {
  const auto carried = uuid_v8_value(id);
  return carried && *carried != (spec_hash(spec) & ~uint64_t{0xf});
}

}  // namespace sp::controller
