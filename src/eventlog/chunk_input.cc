// Formatting helper of chunk_input.h.
#include "eventlog/chunk_input.h"

#include <cstdio>

namespace sp::eventlog {

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", static_cast<unsigned>(v));
  return buf;
}

}  // namespace sp::eventlog
