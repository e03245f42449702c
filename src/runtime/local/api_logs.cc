// Driver logs and events of the embedded API server (contract in api_server.h).
#include <charconv>

#include "api/types.h"
#include "runtime/local/api_server_impl.h"

namespace sp::local {
namespace {

constexpr size_t kMaxLogBytes = 4 * 1024 * 1024;

template <typename T>
T number_param(const httplib::Request& req, const char* key, T fallback) {
  if (!req.has_param(key)) return fallback;
  std::string v = req.get_param_value(key);
  T out{};
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size()) {
    bad_request(std::string("invalid ") + key + " \"" + v + "\": expected a non-negative number");
  }
  return out;
}

// Past running: the driver of the latest attempt writes no more.
bool driver_done(const Json& app) {
  const Json* state = json_at(app, "status.applicationState.state");
  std::string s = state != nullptr && state->is_string() ? state->get<std::string>() : "";
  return s == "SUCCEEDING" || s == "COMPLETED" || s == "FAILING" || s == "FAILED" ||
         s == "SUBMISSION_FAILED" || s == "PENDING_RERUN" || s == "SUSPENDED" ||
         s == "INVALIDATING";
}

void check_label(const std::string& what, const std::string& v) {
  if (!is_dns_label(v)) {
    bad_request("invalid " + what + " \"" + v + "\": must be a lowercase RFC 1123 label");
  }
}

}  // namespace

Reply ApiServer::Impl::driver_log(const httplib::Request& req) {
  // apis, sparkplane.io, v1, namespaces, {ns}, sparkapplications, {name}, log
  auto segs = segments(req);
  if (segs.size() != 8) bad_request("bad log path " + req.path);
  const std::string& ns = segs[4];
  const std::string& name = segs[6];
  check_label("namespace", ns);
  check_label("name", name);
  const ResourceKind& kind = *find_resource(controller::kSparkApplications);
  Json app = must_get(kind, ns, name);

  std::string stream = req.has_param("stream") ? req.get_param_value("stream") : "all";
  if (stream != "all" && stream != "stdout" && stream != "stderr") {
    bad_request("invalid stream \"" + stream + "\": expected stdout, stderr or all");
  }
  if (stream == "all" && req.has_param("offset")) {
    bad_request("offset needs stream=stdout or stream=stderr");
  }
  auto offset = number_param<uint64_t>(req, "offset", 0);
  auto limit = std::min(number_param<size_t>(req, "limitBytes", kMaxLogBytes), kMaxLogBytes);

  auto attempts = logs.attempts(ns, name);
  if (attempts.empty()) {
    throw HttpError(
        404, "NotFound",
        "sparkapplication \"" + name + "\" has no driver logs yet (no attempt started)");
  }
  int wanted = number_param<int>(req, "attempt", attempts.back().number);
  const LogAttempt* attempt = nullptr;
  for (const auto& a : attempts) {
    if (a.number == wanted) attempt = &a;
  }
  if (attempt == nullptr) {
    throw HttpError(404, "NotFound",
                    "sparkapplication \"" + name + "\" has no attempt " + std::to_string(wanted) +
                        " (attempts: " + std::to_string(attempts.front().number) + " to " +
                        std::to_string(attempts.back().number) + ")");
  }
  bool finished = attempt->number != attempts.back().number || driver_done(app);

  Reply reply;
  reply.content_type = "text/plain; charset=utf-8";
  reply.headers.emplace_back("X-Sparkplane-Attempt", std::to_string(attempt->number));
  reply.headers.emplace_back("X-Sparkplane-Attempts", std::to_string(attempts.size()));
  reply.headers.emplace_back("X-Sparkplane-Attempt-Finished", finished ? "true" : "false");
  if (stream == "all") {
    reply.body = logs.read(*attempt, LogStream::kStderr, 0, limit);
    if (reply.body.size() < limit) {
      reply.body += logs.read(*attempt, LogStream::kStdout, 0, limit - reply.body.size());
    }
  } else {
    reply.body = logs.read(*attempt, stream == "stdout" ? LogStream::kStdout : LogStream::kStderr,
                           offset, limit);
    reply.headers.emplace_back("X-Sparkplane-Next-Offset",
                               std::to_string(offset + reply.body.size()));
  }
  return reply;
}

Reply ApiServer::Impl::event_list(const httplib::Request& req) {
  auto segs = segments(req);  // api, v1, [namespaces, {ns},] events
  std::string ns;
  if (segs.size() == 5) {
    ns = segs[3];
    check_label("namespace", ns);
  }
  std::string name;
  std::string selector = req.get_param_value("fieldSelector");
  size_t i = 0;
  while (i < selector.size()) {
    size_t j = selector.find(',', i);
    if (j == std::string::npos) j = selector.size();
    std::string term = selector.substr(i, j - i);
    i = j + 1;
    const std::string key = "involvedObject.name=";
    if (term.rfind(key, 0) == 0) {
      name = term.substr(key.size());
    } else if (term.rfind("involvedObject.namespace=", 0) == 0 ||
               term.rfind("involvedObject.kind=", 0) == 0) {
      // implied: every event here is about a resource of this group in this namespace
    } else if (!term.empty()) {
      bad_request("unsupported fieldSelector term \"" + term +
                  "\": only involvedObject.name=NAME is supported");
    }
  }
  Json body = {{"apiVersion", "v1"},
               {"kind", "EventList"},
               {"metadata", Json::object()},
               {"items", Json::array()}};
  if (events) {
    for (auto& e : events(ns, name)) body["items"].push_back(std::move(e));
  }
  return Reply::json(200, body);
}

}  // namespace sp::local
