#include "runtime/kube/api_errors.h"

#include <gtest/gtest.h>

namespace sp::kube {
namespace {

const std::string kWho = "user \"admin\" of context \"test\" (kubeconfig k)";

// Throws what the status body maps to and returns it as an exception pointer.
std::exception_ptr mapped(long http, const std::string& body) {
  try {
    throw_api_error(parse_api_status(http, body), "GET /api/v1/namespaces/ns/configmaps/x", kWho);
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

template <typename E>
std::string message_if(std::exception_ptr p) {
  try {
    std::rethrow_exception(p);
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong type: ") + e.what();
  }
}

std::string status(int code, const char* reason, const char* message) {
  return std::string(R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)") +
         "\"message\":\"" + message + "\",\"reason\":\"" + reason +
         "\",\"code\":" + std::to_string(code) + "}";
}

TEST(KubeApiErrors, StatusBodiesMapToTheProjectsExceptions) {
  EXPECT_EQ(
      message_if<NotFound>(mapped(404, status(404, "NotFound", "configmaps \\\"x\\\" not found"))),
      "configmaps \"x\" not found");
  EXPECT_EQ(message_if<AlreadyExists>(
                mapped(409, status(409, "AlreadyExists", "configmaps \\\"x\\\" already exists"))),
            "configmaps \"x\" already exists");
  // AlreadyExists is a Conflict too.
  EXPECT_EQ(message_if<Conflict>(mapped(409, status(409, "AlreadyExists", "exists"))), "exists");
  const std::string conflict =
      "Operation cannot be fulfilled on configmaps \\\"x\\\": the object has been modified; "
      "please apply your changes to the latest version and try again";
  EXPECT_EQ(message_if<Conflict>(mapped(409, status(409, "Conflict", conflict.c_str()))),
            "Operation cannot be fulfilled on configmaps \"x\": the object has been modified; "
            "please apply your changes to the latest version and try again");
  EXPECT_EQ(message_if<Invalid>(mapped(
                422, status(422, "Invalid",
                            "Widget.test.sparkplane.io \\\"w\\\" is invalid: spec.size: Invalid "
                            "value: \\\"string\\\": spec.size in body must be of type integer"))),
            "Widget.test.sparkplane.io \"w\" is invalid: spec.size: Invalid value: \"string\": "
            "spec.size in body must be of type integer");
  EXPECT_EQ(message_if<Invalid>(mapped(400, status(400, "BadRequest", "bad patch"))), "bad patch");
  EXPECT_EQ(
      message_if<Gone>(mapped(410, status(410, "Expired", "too old resource version: 1 (3044)"))),
      "too old resource version: 1 (3044)");
}

TEST(KubeApiErrors, AuthErrorsNameTheUser) {
  auto p = mapped(401, status(401, "Unauthorized", "Unauthorized"));
  EXPECT_EQ(message_if<AuthError>(p),
            "the API server refused the credentials of user \"admin\" of context \"test\" "
            "(kubeconfig k) (GET /api/v1/namespaces/ns/configmaps/x): Unauthorized");
  try {
    std::rethrow_exception(mapped(
        403, status(403, "Forbidden",
                    "configmaps \\\"x\\\" is forbidden: User \\\"system:anonymous\\\" cannot get "
                    "resource \\\"configmaps\\\"")));
  } catch (const AuthError& e) {
    EXPECT_EQ(e.status(), 403);
    EXPECT_EQ(std::string(e.what()),
              "forbidden for " + kWho +
                  ": configmaps \"x\" is forbidden: User \"system:anonymous\" cannot get resource "
                  "\"configmaps\"");
  }
}

TEST(KubeApiErrors, OtherAnswers) {
  try {
    std::rethrow_exception(mapped(503, "<html>\n<body>Service Unavailable</body></html>"));
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(std::string(e.what()),
              "GET /api/v1/namespaces/ns/configmaps/x: 503 ServiceUnavailable: <html>");
  }
  EXPECT_EQ(message_if<NotFound>(mapped(404, "404 page not found\n")), "404 page not found");
  EXPECT_EQ(message_if<NotFound>(mapped(404, "")),
            "GET /api/v1/namespaces/ns/configmaps/x: 404 NotFound");
  // The Status's own code wins over the HTTP status (ERROR events come with HTTP 200).
  auto s = parse_api_status(200, status(410, "Expired", "too old"));
  EXPECT_EQ(s.code, 410);
  EXPECT_EQ(s.reason, "Expired");
}

}  // namespace
}  // namespace sp::kube
