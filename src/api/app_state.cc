#include "api/types.h"

namespace sp::api {
namespace {

struct StateName {
  AppState state;
  const char* name;
};

constexpr StateName kStateNames[] = {
    {AppState::kNew, ""},
    {AppState::kSubmitted, "SUBMITTED"},
    {AppState::kRunning, "RUNNING"},
    {AppState::kSucceeding, "SUCCEEDING"},
    {AppState::kCompleted, "COMPLETED"},
    {AppState::kFailing, "FAILING"},
    {AppState::kFailed, "FAILED"},
    {AppState::kSubmissionFailed, "SUBMISSION_FAILED"},
    {AppState::kPendingRerun, "PENDING_RERUN"},
    {AppState::kInvalidating, "INVALIDATING"},
    {AppState::kSuspending, "SUSPENDING"},
    {AppState::kSuspended, "SUSPENDED"},
    {AppState::kResuming, "RESUMING"},
    {AppState::kUnknown, "UNKNOWN"},
};

}  // namespace

std::string to_string(AppState s) {
  for (const auto& n : kStateNames) {
    if (n.state == s) return n.name;
  }
  return "UNKNOWN";
}

AppState app_state_from_string(const std::string& s) {
  for (const auto& n : kStateNames) {
    if (s == n.name) return n.state;
  }
  return AppState::kUnknown;
}

bool is_terminal(AppState s) { return s == AppState::kCompleted || s == AppState::kFailed; }

}  // namespace sp::api
