// What a reconcile asks of the work queue: nothing, or to look again after a delay.
#pragma once

#include <optional>

#include "common/clock.h"

namespace sp::controller {

struct Result {
  std::optional<Duration> requeue_after;

  static Result done() { return {}; }
  static Result after(Duration d) { return {d < Duration::zero() ? Duration::zero() : d}; }
  static Result now() { return {Duration::zero()}; }
};

}  // namespace sp::controller
