// A stable hash of a SparkApplication spec, carried in the submission id of each run so that a
// later reconcile can tell the spec changed since, with nothing else stored (no write to the
// app's metadata before a submission).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"

namespace sp::controller {

// FNV-1a 64 of the spec with keys sorted, ignoring `suspend` and `timeToLiveSeconds`
// (changing those does not rerun an app, as in the Kubeflow operator).
uint64_t spec_hash(const Json& spec);

// The submission id of a run of `spec`: a version 8 UUID that carries 60 bits of spec_hash and
// a hash of `run` (the app's uid and attempt counters). Same inputs, same id, so a reconcile
// repeated after a lost status write submits the same run.
std::string submission_id_for(const Json& spec, std::string_view run);

// True when `id` came from submission_id_for with a spec other than `spec`. False for ids made
// any other way (a Kubeflow operator's random ones, sparkplane's older name-based ones): those
// runs keep going until they end.
bool submitted_with_other_spec(std::string_view id, const Json& spec);

}  // namespace sp::controller
