#include "cli/client.h"

#include "common/error.h"

namespace sp::cli {
namespace {

constexpr const char* kGroupVersionPath = "/apis/sparkoperator.k8s.io/v1beta2";

std::string strip_warning_code(const std::string& w) {
  // `299 - "unknown field \"spec.x\""` -> `unknown field "spec.x"`
  std::string s = w;
  if (s.rfind("299 - ", 0) == 0) s = s.substr(6);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out.push_back(s[i]);
  }
  return out;
}

void collect_warnings(const HttpResponse& r, std::vector<std::string>* warnings) {
  if (warnings == nullptr) return;
  for (const auto& w : r.headers_named("Warning")) warnings->push_back(strip_warning_code(w));
}

std::string name_of(const Json& obj) {
  const Json* n = json_at(obj, "metadata.name");
  return n != nullptr && n->is_string() ? n->get<std::string>() : "";
}

std::string namespace_of(const Json& obj) {
  const Json* n = json_at(obj, "metadata.namespace");
  return n != nullptr && n->is_string() ? n->get<std::string>() : "default";
}

}  // namespace

std::string ResourceType::qualified() const { return singular + ".sparkoperator.k8s.io"; }

const ResourceType& spark_applications() {
  static const ResourceType t{"sparkapplications", "sparkapplication", "SparkApplication"};
  return t;
}

const ResourceType& scheduled_spark_applications() {
  static const ResourceType t{"scheduledsparkapplications", "scheduledsparkapplication",
                              "ScheduledSparkApplication"};
  return t;
}

const ResourceType& resource_type(const std::string& word) {
  std::string w;
  for (char c : word) w.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const std::string suffix = ".sparkoperator.k8s.io";
  if (w.size() > suffix.size() && w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0) {
    w = w.substr(0, w.size() - suffix.size());
  }
  if (w == "sparkapp" || w == "sparkapps" || w == "sparkapplication" || w == "sparkapplications") {
    return spark_applications();
  }
  if (w == "scheduledsparkapp" || w == "scheduledsparkapps" || w == "scheduledsparkapplication" ||
      w == "scheduledsparkapplications") {
    return scheduled_spark_applications();
  }
  throw CliError(kExitUsage, "unknown resource type \"" + word +
                                 "\": use sparkapp (sparkapplications) or scheduledsparkapp "
                                 "(scheduledsparkapplications)");
}

const ResourceType& resource_type_for_plural(const std::string& plural) {
  return plural == scheduled_spark_applications().plural ? scheduled_spark_applications()
                                                         : spark_applications();
}

std::pair<const ResourceType*, std::string> parse_type_and_name(const std::string& arg,
                                                                const ResourceType& default_type) {
  auto slash = arg.find('/');
  if (slash == std::string::npos) return {&default_type, arg};
  std::string name = arg.substr(slash + 1);
  if (name.empty()) throw CliError(kExitUsage, "\"" + arg + "\" has no name after the '/'");
  return {&resource_type(arg.substr(0, slash)), name};
}

ApiClient::ApiClient(const GlobalOptions& g) : http_(g.server) {}

std::string ApiClient::path(const ResourceType& t, const std::string& ns, const std::string& name) {
  std::string p = kGroupVersionPath;
  if (!ns.empty()) p += "/namespaces/" + url_encode(ns);
  p += "/" + t.plural;
  if (!name.empty()) p += "/" + url_encode(name);
  return p;
}

void ApiClient::check(const HttpResponse& r) {
  if (r.status >= 200 && r.status < 300) return;
  std::string message;
  Json status = Json::parse(r.body, nullptr, false);
  if (status.is_object() && status.contains("message") && status["message"].is_string()) {
    message = status["message"].get<std::string>();
  } else {
    message = "the server answered HTTP " + std::to_string(r.status) +
              (r.body.empty() ? "" : ": " + r.body.substr(0, 200));
  }
  if (r.status == 404) throw NotFound(message);
  if (r.status == 409) throw Conflict(message);
  if (r.status == 400 || r.status == 422) throw Invalid(message);
  throw Error(message);
}

std::optional<Json> ApiClient::get(const ResourceType& t, const std::string& ns,
                                   const std::string& name) {
  auto r = http_.get(path(t, ns, name));
  if (r.status == 404) {
    Json s = Json::parse(r.body, nullptr, false);
    // A 404 about the object, not about a route the server does not know.
    if (s.is_object() && s.value("reason", "") == "NotFound") return std::nullopt;
  }
  check(r);
  return Json::parse(r.body);
}

std::vector<Json> ApiClient::list(const ResourceType& t, const std::string& ns,
                                  const std::string& label_selector) {
  std::string p = path(t, ns);
  if (!label_selector.empty()) p += "?labelSelector=" + url_encode(label_selector);
  auto r = http_.get(p);
  check(r);
  Json body = Json::parse(r.body);
  std::vector<Json> items;
  for (auto& item : body["items"]) items.push_back(std::move(item));
  return items;
}

Json ApiClient::create(const ResourceType& t, const Json& obj, std::vector<std::string>* warnings) {
  auto r = http_.post(path(t, namespace_of(obj)), obj.dump());
  check(r);
  collect_warnings(r, warnings);
  return Json::parse(r.body);
}

Json ApiClient::replace(const ResourceType& t, const Json& obj,
                        std::vector<std::string>* warnings) {
  auto r = http_.put(path(t, namespace_of(obj), name_of(obj)), obj.dump());
  check(r);
  collect_warnings(r, warnings);
  return Json::parse(r.body);
}

Json ApiClient::remove(const ResourceType& t, const std::string& ns, const std::string& name) {
  auto r = http_.del(path(t, ns, name));
  check(r);
  return Json::parse(r.body);
}

std::vector<Json> ApiClient::events(const std::string& ns, const std::string& name) {
  auto r = http_.get("/api/v1/namespaces/" + url_encode(ns) +
                     "/events?fieldSelector=" + url_encode("involvedObject.name=" + name));
  check(r);
  Json body = Json::parse(r.body);
  std::vector<Json> items;
  for (auto& item : body["items"]) items.push_back(std::move(item));
  return items;
}

HttpResponse ApiClient::log(const std::string& ns, const std::string& name,
                            const std::string& query) {
  auto r = http_.get("/apis/sparkplane.io/v1/namespaces/" + url_encode(ns) + "/sparkapplications/" +
                     url_encode(name) + "/log" + (query.empty() ? "" : "?" + query));
  check(r);
  return r;
}

}  // namespace sp::cli
