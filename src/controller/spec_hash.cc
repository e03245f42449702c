#include "controller/spec_hash.h"

#include <fmt/format.h>

namespace sp::controller {

std::string spec_hash(const Json& spec) {
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
  return fmt::format("{:016x}", h);
}

}  // namespace sp::controller
