#include "runtime/kube/kube_client.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "runtime/kube/backoff.h"

namespace sp::kube {
namespace {

constexpr std::size_t kMaxIdleConnections = 8;

bool is_2xx(long status) { return status >= 200 && status < 300; }

// 429 always (the server did not process the request); 5xx for requests that are safe to send
// again, and for any request when the server said when to come back.
bool retryable(const HttpResult& r, std::string_view method) {
  if (r.status == 429) return true;
  if (r.status < 500 || r.status == 501) return false;
  const bool idempotent = method == "GET" || method == "PUT" || method == "DELETE";
  return idempotent || !r.retry_after.empty();
}

std::chrono::milliseconds retry_after(const std::string& header) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (header.empty() || header.size() > 6 || !std::all_of(header.begin(), header.end(), digit)) {
    return std::chrono::milliseconds(-1);
  }
  return std::chrono::seconds(std::min(std::stol(header), 60L));
}

std::string path_only(const std::string& path) { return path.substr(0, path.find('?')); }

const char* patch_content_type(PatchType type) {
  switch (type) {
    case PatchType::Merge:
      return "application/merge-patch+json";
    case PatchType::StrategicMerge:
      return "application/strategic-merge-patch+json";
    case PatchType::Json:
      return "application/json-patch+json";
  }
  return "application/merge-patch+json";
}

Json parse_body(const std::string& body, std::string_view method, const std::string& path) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    throw Error(std::string(method) + " " + path_only(path) + ": the answer is not JSON");
  }
  return j;
}

Json parse_body(const std::string& body, const Projection& answer, std::string_view method,
                const std::string& path) {
  std::optional<Json> j = parse_projected(body, answer);
  if (!j) throw Error(std::string(method) + " " + path_only(path) + ": the answer is not JSON");
  return std::move(*j);
}

// Items of a built-in list carry no kind and apiVersion; set them from the list's ("PodList").
void fill_item_kinds(Json& list) {
  const std::string kind = list.value("kind", "");
  if (!kind.ends_with("List")) return;
  const std::string item_kind = kind.substr(0, kind.size() - 4);
  const std::string api_version = list.value("apiVersion", "");
  auto items = list.find("items");
  if (items == list.end() || !items->is_array()) return;
  for (auto& item : *items) {
    if (!item.is_object() || item.contains("kind")) continue;
    // Keep apiVersion and kind first, as the server writes single objects.
    Json filled = {{"apiVersion", api_version}, {"kind", item_kind}};
    for (auto& [k, v] : item.items()) filled[k] = std::move(v);
    item = std::move(filled);
  }
}

void require_name(const ResourceRef& ref, const char* verb) {
  if (ref.name.empty()) throw Invalid(std::string(verb) + " of " + ref.gvr.str() + " needs a name");
}

}  // namespace

// A connection taken from the pool, given back when the request is done (or threw).
class KubeClient::PooledConnection {
 public:
  explicit PooledConnection(KubeClient& client)
      : client_(client), conn_(client.take_connection()) {}
  ~PooledConnection() { client_.give_back(std::move(conn_)); }
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  CurlConnection& operator*() { return *conn_; }

 private:
  KubeClient& client_;
  std::unique_ptr<CurlConnection> conn_;
};

const Clock& KubeClient::system_clock() {
  static const SystemClock clock;
  return clock;
}

KubeClient::KubeClient(KubeConfig config, ClientOptions options, const Clock& clock)
    : config_(std::move(config)),
      options_(std::move(options)),
      clock_(clock),
      credentials_(config_, clock_) {}

KubeClient::~KubeClient() = default;

std::unique_ptr<CurlConnection> KubeClient::take_connection() {
  {
    std::lock_guard lock(pool_mu_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  return std::make_unique<CurlConnection>(config_, options_.user_agent);
}

void KubeClient::give_back(std::unique_ptr<CurlConnection> c) {
  std::lock_guard lock(pool_mu_);
  if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(c));
}

HttpResult KubeClient::send(const HttpCall& call, std::stop_token stop) {
  const Credentials creds = credentials_.get();
  PooledConnection conn(*this);
  HttpResult r = (*conn).perform(call, creds, stop);
  connections_opened_ += r.new_connections;
  spdlog::debug("kube {} {} -> {}", call.method, path_only(call.path), r.status);
  return r;
}

void KubeClient::fail(const HttpResult& r, std::string_view method, const std::string& path) const {
  throw_api_error(parse_api_status(r.status, r.body), std::string(method) + " " + path_only(path),
                  config_.identity());
}

std::string KubeClient::request(std::string_view method, const std::string& path,
                                std::string_view body, std::string_view content_type,
                                std::stop_token stop) {
  HttpCall call;
  call.method = method;
  call.path = path;
  call.body = body;
  call.content_type = content_type;
  return perform(call, stop);
}

std::string KubeClient::perform(HttpCall call, std::stop_token stop) {
  call.timeout = options_.timeout;
  const std::string_view method = call.method;
  const std::string& path = call.path;
  Backoff backoff(options_.retry_initial, options_.retry_max);
  bool reauthenticated = false;
  for (int attempt = 1;; ++attempt) {
    HttpResult r = send(call, stop);
    if (r.cancelled) throw Error(std::string(method) + " " + path_only(path) + ": cancelled");
    if (is_2xx(r.status)) return std::move(r.body);
    if (r.status == 401 && !reauthenticated && credentials_.invalidate()) {
      reauthenticated = true;
      continue;
    }
    if (attempt < options_.max_attempts && retryable(r, method)) {
      auto delay = retry_after(r.retry_after);
      if (delay.count() < 0) delay = backoff.next();
      spdlog::warn("kube: {} {}: {} from the API server, retrying in {} ms", method,
                   path_only(path), r.status, delay.count());
      if (!sleep_for(delay, stop)) {
        throw Error(std::string(method) + " " + path_only(path) + ": cancelled");
      }
      continue;
    }
    fail(r, method, path);
  }
}

bool KubeClient::stream(const std::string& path,
                        const std::function<bool(std::string_view)>& on_data,
                        std::chrono::milliseconds timeout, std::stop_token stop) {
  HttpCall call;
  call.path = path;
  call.timeout = timeout;
  call.on_data = &on_data;
  bool reauthenticated = false;
  while (true) {
    HttpResult r = send(call, stop);
    if (r.cancelled) return false;
    if (is_2xx(r.status)) return true;
    if (r.status == 401 && !reauthenticated && credentials_.invalidate()) {
      reauthenticated = true;
      continue;
    }
    fail(r, "GET", path);
  }
}

Json KubeClient::server_version() {
  return parse_body(request("GET", "/version"), "GET", "/version");
}

Json KubeClient::get(const ResourceRef& ref) {
  require_name(ref, "get");
  const std::string path = ref.path();
  return parse_body(request("GET", path), "GET", path);
}

std::optional<Json> KubeClient::find(const ResourceRef& ref) {
  try {
    return get(ref);
  } catch (const NotFound&) {
    return std::nullopt;
  }
}

Json KubeClient::list(const ResourceRef& collection, const ListOptions& options,
                      std::stop_token stop) {
  const std::string path = collection.collection().path() + options.query();
  Json page = parse_body(request("GET", path, {}, "application/json", stop), "GET", path);
  fill_item_kinds(page);
  return page;
}

Json KubeClient::list_all(const ResourceRef& collection, ListOptions options,
                          std::stop_token stop) {
  if (options.limit <= 0) options.limit = 500;
  Json out;
  Json items = Json::array();
  while (true) {
    Json page = list(collection, options, stop);
    if (auto it = page.find("items"); it != page.end() && it->is_array()) {
      for (auto& item : *it) items.push_back(std::move(item));
    }
    std::string next;
    if (const Json* c = json_at(page, "metadata.continue"); c != nullptr && c->is_string()) {
      next = c->get<std::string>();
    }
    if (out.is_null()) out = std::move(page);
    if (next.empty()) break;
    options.continue_token = next;
    options.resource_version.clear();  // the continue token carries it
    options.resource_version_match.clear();
  }
  out["items"] = std::move(items);
  if (auto md = out.find("metadata"); md != out.end() && md->is_object()) {
    md->erase("continue");
    md->erase("remainingItemCount");
  }
  return out;
}

Json KubeClient::create(const ResourceRef& ref, const Json& object) {
  const std::string path = ref.collection().path();
  return parse_body(request("POST", path, object.dump()), "POST", path);
}

Json KubeClient::update(const ResourceRef& ref, const Json& object) {
  require_name(ref, "update");
  const std::string path = ref.path();
  return parse_body(request("PUT", path, object.dump()), "PUT", path);
}

Json KubeClient::update_status(const ResourceRef& ref, const Json& object) {
  return update(ref.status(), object);
}

Json KubeClient::write(std::string_view method, const std::string& path, const Json& object,
                       const Projection& answer) {
  // For an answer of metadata alone, ask the API server for just that (any server that cannot
  // falls back to the whole object, which the projection then trims).
  static constexpr std::string_view kMetadataAnswer =
      "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json";
  const std::string body = object.dump();
  HttpCall call;
  call.method = method;
  call.path = path;
  call.body = body;
  if (answer.metadata_only()) call.accept = kMetadataAnswer;
  return parse_body(perform(call, {}), answer, method, path);
}

Json KubeClient::create(const ResourceRef& ref, const Json& object, const Projection& answer) {
  return write("POST", ref.collection().path(), object, answer);
}

Json KubeClient::update(const ResourceRef& ref, const Json& object, const Projection& answer) {
  require_name(ref, "update");
  return write("PUT", ref.path(), object, answer);
}

Json KubeClient::update_status(const ResourceRef& ref, const Json& object,
                               const Projection& answer) {
  return update(ref.status(), object, answer);
}

Json KubeClient::patch(const ResourceRef& ref, const Json& patch, PatchType type) {
  require_name(ref, "patch");
  const std::string path = ref.path();
  return parse_body(request("PATCH", path, patch.dump(), patch_content_type(type)), "PATCH", path);
}

Json KubeClient::remove(const ResourceRef& ref, const DeleteOptions& options) {
  require_name(ref, "delete");
  const std::string path = ref.path();
  Json body = Json::object();
  if (!options.propagation_policy.empty()) body["propagationPolicy"] = options.propagation_policy;
  if (options.grace_period_seconds) body["gracePeriodSeconds"] = *options.grace_period_seconds;
  if (!options.precondition_uid.empty()) body["preconditions"]["uid"] = options.precondition_uid;
  if (!options.precondition_resource_version.empty()) {
    body["preconditions"]["resourceVersion"] = options.precondition_resource_version;
  }
  std::string text;
  if (!body.empty()) {
    body["apiVersion"] = "v1";
    body["kind"] = "DeleteOptions";
    text = body.dump();
  }
  return parse_body(request("DELETE", path, text), "DELETE", path);
}

}  // namespace sp::kube
