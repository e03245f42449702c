// Kubernetes API failures as the project's exceptions. A non-2xx answer carries a Status object
// ({"kind":"Status","code":404,"reason":"NotFound","message":"..."}); it is mapped to
// sp::NotFound (404), sp::Conflict (409; AlreadyExists is a Conflict too), sp::Invalid (400, 422,
// with the API server's message), AuthError (401, 403), Gone (410) or ApiError (the rest).
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "common/json.h"

namespace sp::kube {

// 410: the resourceVersion asked for is older than the server keeps (a watch or a list
// continuation that waited too long). The caller lists again.
class Gone : public Error {
 public:
  using Error::Error;
};

// 409 AlreadyExists: a create of a name that is taken. Caught as sp::Conflict too.
class AlreadyExists : public Conflict {
 public:
  using Conflict::Conflict;
};

// 401 (credentials refused) or 403 (not allowed). The message names the kubeconfig user and
// context.
class AuthError : public Error {
 public:
  AuthError(const std::string& message, long status) : Error(message), status_(status) {}
  long status() const { return status_; }

 private:
  long status_;
};

// Any other failure answered by the API server (429 or 5xx after the retries, 405, 415...).
class ApiError : public Error {
 public:
  ApiError(const std::string& message, long status) : Error(message), status_(status) {}
  long status() const { return status_; }

 private:
  long status_;
};

// What a Status object says. Fields are empty when the body is not a Status.
struct ApiStatus {
  long code = 0;        // HTTP status
  std::string reason;   // "NotFound", "AlreadyExists", "Conflict", "Invalid", "Expired", ...
  std::string message;  // the API server's sentence
};

// Reads the Status of an error answer; a body that is not one (a proxy's HTML page) gives the
// HTTP status and its standard reason, with the body's first line as message.
ApiStatus parse_api_status(long http_status, std::string_view body);
ApiStatus parse_api_status(const Json& status_object);

// Throws the exception for a failed call. `request` names it ("GET /api/v1/namespaces/x/pods");
// `identity` names who asked, for auth errors ('user "admin" of context "kind" (kubeconfig
// ~/.kube/config)').
[[noreturn]] void throw_api_error(const ApiStatus& status, const std::string& request,
                                  const std::string& identity);

}  // namespace sp::kube
