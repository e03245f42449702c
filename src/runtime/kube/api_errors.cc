#include "runtime/kube/api_errors.h"

namespace sp::kube {
namespace {

std::string standard_reason(long code) {
  switch (code) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 406:
      return "NotAcceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Expired";
    case 413:
      return "RequestEntityTooLarge";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return "";
  }
}

std::string first_line(std::string_view body) {
  auto end = body.find('\n');
  std::string line(body.substr(0, std::min(end, std::size_t{200})));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace

ApiStatus parse_api_status(const Json& s) {
  ApiStatus out;
  if (!s.is_object()) return out;
  if (auto code = opt_get<long>(s, "code")) out.code = *code;
  if (auto reason = opt_get<std::string>(s, "reason")) out.reason = *reason;
  if (auto message = opt_get<std::string>(s, "message")) out.message = *message;
  return out;
}

ApiStatus parse_api_status(long http_status, std::string_view body) {
  ApiStatus out;
  Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.value("kind", "") == "Status") out = parse_api_status(parsed);
  if (out.code == 0) out.code = http_status;
  if (out.reason.empty()) out.reason = standard_reason(out.code);
  if (out.message.empty() && !parsed.is_object()) out.message = first_line(body);
  return out;
}

void throw_api_error(const ApiStatus& status, const std::string& request,
                     const std::string& identity) {
  const std::string message =
      status.message.empty() ? request + ": " + std::to_string(status.code) + " " + status.reason
                             : status.message;
  switch (status.code) {
    case 404:
      throw NotFound(message);
    case 409:
      if (status.reason == "AlreadyExists") throw AlreadyExists(message);
      throw Conflict(message);
    case 400:
    case 422:
      throw Invalid(message);
    case 410:
      throw Gone(message);
    case 401:
      throw AuthError("the API server refused the credentials of " + identity + " (" + request +
                          "): " + (status.message.empty() ? "Unauthorized" : status.message),
                      401);
    case 403:
      throw AuthError("forbidden for " + identity + ": " + message, 403);
    default:
      throw ApiError(request + ": " + std::to_string(status.code) +
                         (status.reason.empty() ? "" : " " + status.reason) +
                         (status.message.empty() ? "" : ": " + status.message),
                     status.code);
  }
}

}  // namespace sp::kube
