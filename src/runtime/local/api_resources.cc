// The sparkoperator.k8s.io/v1beta2 resource handlers of the embedded API server: list, create,
// get, replace, merge/JSON patch, delete, and the status subresource.
#include <random>

#include "api/types.h"
#include "common/error.h"
#include "common/yaml.h"
#include "runtime/local/api_server_impl.h"

namespace sp::local {
namespace {

constexpr int kPatchRetries = 5;

std::string dq(const std::string& s) { return "\"" + s + "\""; }

[[noreturn]] void not_found(const ResourceKind& kind, const std::string& name) {
  throw HttpError(404, "NotFound", kind.qualified() + " " + dq(name) + " not found",
                  Json{{"name", name}, {"group", api::kGroup}, {"kind", kind.plural}});
}

[[noreturn]] void conflict(const ResourceKind& kind, const std::string& name) {
  throw HttpError(409, "Conflict",
                  "Operation cannot be fulfilled on " + kind.qualified() + " " + dq(name) +
                      ": the object has been modified; please apply your changes to the latest "
                      "version and try again",
                  Json{{"name", name}, {"group", api::kGroup}, {"kind", kind.plural}});
}

[[noreturn]] void invalid(const ResourceKind& kind, const std::string& name,
                          const std::string& field, const std::string& message) {
  Json details = {{"name", name},
                  {"group", api::kGroup},
                  {"kind", kind.kind},
                  {"causes", Json::array({{{"reason", "FieldValueInvalid"},
                                           {"message", field + ": " + message},
                                           {"field", field}}})}};
  throw HttpError(
      422, "Invalid",
      kind.kind + "." + api::kGroup + " " + dq(name) + " is invalid: " + field + ": " + message,
      details);
}

std::string content_type_of(const httplib::Request& req) {
  std::string ct = req.get_header_value("Content-Type");
  auto semi = ct.find(';');
  if (semi != std::string::npos) ct = ct.substr(0, semi);
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  return ct;
}

// The request body as one JSON object (JSON, or YAML when the content type says so).
Json parse_body(const httplib::Request& req) {
  if (req.body.empty()) bad_request("the request body is empty: send the object as JSON");
  Json body;
  if (content_type_of(req).find("yaml") != std::string::npos) {
    std::vector<Json> docs;
    try {
      docs = parse_yaml_documents(req.body, "request body");
    } catch (const Invalid& e) {
      bad_request(e.what());
    }
    if (docs.size() != 1) bad_request("the request body must hold exactly one YAML document");
    body = std::move(docs[0]);
  } else {
    try {
      body = Json::parse(req.body);
    } catch (const Json::parse_error& e) {
      bad_request(std::string("the request body is not valid JSON: ") + e.what());
    }
  }
  if (!body.is_object()) bad_request("the request body must be a JSON object");
  return body;
}

// Checks apiVersion/kind/metadata.namespace against the URL and fills them in.
void check_identity(const ResourceKind& kind, const std::string& ns, Json& obj) {
  if (auto v = obj.find("apiVersion"); v != obj.end() && !v->is_null()) {
    if (!v->is_string() || *v != api::kApiVersion) {
      bad_request("the API version in the data (" +
                  (v->is_string() ? v->get<std::string>() : v->dump()) +
                  ") does not match the expected API version (" + api::kApiVersion + ")");
    }
  }
  if (auto k = obj.find("kind"); k != obj.end() && !k->is_null()) {
    if (!k->is_string() || *k != kind.kind) {
      bad_request("the kind in the data (" + (k->is_string() ? k->get<std::string>() : k->dump()) +
                  ") does not match the expected kind (" + kind.kind + ")");
    }
  }
  obj["apiVersion"] = api::kApiVersion;
  obj["kind"] = kind.kind;
  if (!obj.contains("metadata") || obj["metadata"].is_null()) obj["metadata"] = Json::object();
  Json& meta = obj["metadata"];
  if (!meta.is_object()) bad_request("metadata must be an object");
  if (auto n = meta.find("namespace"); n != meta.end() && !n->is_null() && *n != "") {
    if (*n != ns) {
      bad_request(
          "the namespace of the provided object does not match the namespace sent on the "
          "request");
    }
  }
  meta["namespace"] = ns;
  if (auto n = meta.find("name"); n != meta.end() && !n->is_null() && !n->is_string()) {
    bad_request("metadata.name must be a string");
  }
}

std::string name_of(const Json& obj) {
  const Json* n = json_at(obj, "metadata.name");
  return n != nullptr && n->is_string() ? n->get<std::string>() : std::string();
}

std::string resource_version_of(const Json& obj) {
  const Json* rv = json_at(obj, "metadata.resourceVersion");
  if (rv == nullptr) return "";
  if (rv->is_string()) return rv->get<std::string>();
  if (rv->is_number_integer()) return std::to_string(rv->get<int64_t>());
  return "";
}

std::string random_suffix() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  static const char kChars[] = "bcdfghjklmnpqrstvwxz2456789";
  std::uniform_int_distribution<size_t> pick(0, sizeof(kChars) - 2);
  std::string s;
  for (int i = 0; i < 5; ++i) s.push_back(kChars[pick(rng)]);
  return s;
}

// Server-managed metadata the client cannot set on update: kept from the stored object.
void keep_server_fields(const Json& current, Json& obj) {
  for (const char* key : {"uid", "creationTimestamp", "generation", "deletionTimestamp"}) {
    const Json& cur_meta = current["metadata"];
    if (cur_meta.contains(key)) {
      obj["metadata"][key] = cur_meta[key];
    } else {
      obj["metadata"].erase(key);
    }
  }
}

void add_warnings(Reply& reply, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) reply.headers.emplace_back("Warning", w);
}

}  // namespace

Json ApiServer::Impl::must_get(const ResourceKind& kind, const std::string& ns,
                               const std::string& name) {
  auto obj = store.get(kind.plural, ns, name);
  if (!obj) not_found(kind, name);
  return *obj;
}

Reply ApiServer::Impl::resources(const httplib::Request& req) {
  auto segs = segments(req);  // apis, sparkoperator.k8s.io, v1beta2, ...
  const std::string& method = req.method;
  auto unsupported = [&]() -> Reply {
    throw HttpError(405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource (" + method +
                        " " + req.path + ")");
  };
  auto unknown = [&]() -> Reply {
    throw HttpError(404, "NotFound",
                    "the server could not find the requested resource (" + req.path + ")");
  };
  if (segs.size() < 4 || segs[2] != api::kVersion) return unknown();
  std::vector<std::string> rest(segs.begin() + 3, segs.end());

  if (rest.size() == 1) {  // every namespace
    const ResourceKind* kind = find_resource(rest[0]);
    if (kind == nullptr) return unknown();
    if (method != "GET") return unsupported();
    return list(*kind, "", req);
  }
  if (rest[0] != "namespaces" || rest.size() < 3 || rest.size() > 5) return unknown();
  const std::string& ns = rest[1];
  if (!is_dns_label(ns)) {
    bad_request("invalid namespace " + dq(ns) +
                ": a namespace must be a lowercase RFC 1123 label (a-z, 0-9 and '-', at most 63 "
                "characters, starting and ending with a letter or digit)");
  }
  const ResourceKind* kind = find_resource(rest[2]);
  if (kind == nullptr) return unknown();
  if (rest.size() == 3) {
    if (method == "GET") return list(*kind, ns, req);
    if (method == "POST") return create(*kind, ns, req);
    return unsupported();
  }
  const std::string& name = rest[3];
  if (!is_dns_label(name)) {
    bad_request("invalid name " + dq(name) +
                ": a name must be a lowercase RFC 1123 label (a-z, 0-9 and '-', at most 63 "
                "characters, starting and ending with a letter or digit)");
  }
  if (rest.size() == 4) {
    if (method == "GET") return get(*kind, ns, name);
    if (method == "PUT") return replace(*kind, ns, name, req, false);
    if (method == "PATCH") return patch(*kind, ns, name, req, false);
    if (method == "DELETE") return remove(*kind, ns, name);
    return unsupported();
  }
  if (rest[4] != "status") return unknown();
  if (method == "GET") return get(*kind, ns, name);
  if (method == "PUT") return replace(*kind, ns, name, req, true);
  if (method == "PATCH") return patch(*kind, ns, name, req, true);
  return unsupported();
}

Reply ApiServer::Impl::list(const ResourceKind& kind, const std::string& ns,
                            const httplib::Request& req) {
  std::string selector = req.get_param_value("labelSelector");
  std::vector<Json> items;
  try {
    items = store.list(kind.plural, ns, selector);
  } catch (const Invalid& e) {
    bad_request(std::string("invalid labelSelector: ") + e.what());
  }
  // The list's resourceVersion: the newest of its items (the store counts globally).
  int64_t newest = 0;
  for (const auto& item : items) {
    std::string rv = resource_version_of(item);
    try {
      if (!rv.empty()) newest = std::max<int64_t>(newest, std::stoll(rv));
    } catch (const std::exception&) {
      // not a number: leave it out
    }
  }
  Json body = {{"apiVersion", api::kApiVersion},
               {"kind", kind.list_kind},
               {"metadata", {{"resourceVersion", newest > 0 ? std::to_string(newest) : ""}}},
               {"items", Json::array()}};
  for (auto& item : items) body["items"].push_back(std::move(item));
  return Reply::json(200, body);
}

Reply ApiServer::Impl::create(const ResourceKind& kind, const std::string& ns,
                              const httplib::Request& req) {
  Json obj = parse_body(req);
  check_identity(kind, ns, obj);
  Json& meta = obj["metadata"];
  std::string name = name_of(obj);
  if (name.empty()) {
    const Json* gen = json_at(obj, "metadata.generateName");
    if (gen != nullptr && gen->is_string() && !gen->get<std::string>().empty()) {
      name = gen->get<std::string>() + random_suffix();
      meta["name"] = name;
    } else {
      invalid(kind, "", "metadata.name", "Required value: name or generateName is required");
    }
  }
  if (!is_dns_label(name)) {
    invalid(kind, name, "metadata.name",
            "Invalid value: " + dq(name) +
                ": a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
                "or '-', start and end with an alphanumeric character, and be at most 63 "
                "characters");
  }
  // Set by the server, never by the client; status is written through /status only.
  for (const char* key : {"uid", "resourceVersion", "creationTimestamp", "generation",
                          "deletionTimestamp", "managedFields"}) {
    meta.erase(key);
  }
  obj.erase("status");
  auto warnings = admit(kind, obj);
  Json stored;
  try {
    stored = store.create(kind.plural, obj);
  } catch (const Conflict&) {
    throw HttpError(409, "AlreadyExists", kind.qualified() + " " + dq(name) + " already exists",
                    Json{{"name", name}, {"group", api::kGroup}, {"kind", kind.plural}});
  }
  Reply reply = Reply::json(201, stored);
  add_warnings(reply, warnings);
  return reply;
}

Reply ApiServer::Impl::get(const ResourceKind& kind, const std::string& ns,
                           const std::string& name) {
  return Reply::json(200, must_get(kind, ns, name));
}

Reply ApiServer::Impl::replace(const ResourceKind& kind, const std::string& ns,
                               const std::string& name, const httplib::Request& req, bool status) {
  Json obj = parse_body(req);
  check_identity(kind, ns, obj);
  std::string body_name = name_of(obj);
  if (body_name.empty()) {
    obj["metadata"]["name"] = name;
  } else if (body_name != name) {
    bad_request("the name of the object (" + body_name + ") does not match the name on the URL (" +
                name + ")");
  }
  if (resource_version_of(obj).empty()) {
    invalid(kind, name, "metadata.resourceVersion",
            "Invalid value: 0x0: must be specified for an update");
  }
  Json current = must_get(kind, ns, name);
  Json stored;
  std::vector<std::string> warnings;
  try {
    if (status) {
      Json next = current;
      next["metadata"]["resourceVersion"] = resource_version_of(obj);
      next["status"] = obj.contains("status") ? obj["status"] : Json::object();
      stored = store.update_status(kind.plural, next);
    } else {
      keep_server_fields(current, obj);
      if (current.contains("status")) {
        obj["status"] = current["status"];
      } else {
        obj.erase("status");
      }
      warnings = admit(kind, obj);
      stored = store.update(kind.plural, obj);
    }
  } catch (const Conflict&) {
    conflict(kind, name);
  } catch (const NotFound&) {
    not_found(kind, name);
  }
  Reply reply = Reply::json(200, stored);
  add_warnings(reply, warnings);
  return reply;
}

Reply ApiServer::Impl::patch(const ResourceKind& kind, const std::string& ns,
                             const std::string& name, const httplib::Request& req, bool status) {
  std::string ct = content_type_of(req);
  bool merge = ct == "application/merge-patch+json";
  bool json_patch = ct == "application/json-patch+json";
  if (!merge && !json_patch) {
    throw HttpError(415, "UnsupportedMediaType",
                    "the content type " + dq(ct) +
                        " is not supported for custom resources: use "
                        "application/merge-patch+json or application/json-patch+json");
  }
  Json patch_doc;
  try {
    patch_doc = Json::parse(req.body);
  } catch (const Json::parse_error& e) {
    bad_request(std::string("the patch is not valid JSON: ") + e.what());
  }
  if (merge && !patch_doc.is_object()) bad_request("a merge patch must be a JSON object");
  if (json_patch && !patch_doc.is_array()) bad_request("a JSON patch must be a JSON array");

  for (int attempt = 0;; ++attempt) {
    Json current = must_get(kind, ns, name);
    Json next;
    try {
      next = merge ? [&] {
        Json j = current;
        j.merge_patch(patch_doc);
        return j;
      }()
                   : current.patch(patch_doc);
    } catch (const Json::exception& e) {
      throw HttpError(422, "Invalid", std::string("the patch cannot be applied: ") + e.what());
    }
    if (!next.is_object() || name_of(next) != name || !next["metadata"].contains("namespace") ||
        next["metadata"]["namespace"] != ns) {
      bad_request("a patch cannot change metadata.name or metadata.namespace");
    }
    check_identity(kind, ns, next);
    // A resourceVersion in the patch is a precondition; without one the patch applies to
    // whatever is current, retried on a concurrent write.
    bool precondition = resource_version_of(next) != resource_version_of(current);
    std::vector<std::string> warnings;
    Json stored;
    try {
      if (status) {
        Json updated = current;
        updated["metadata"]["resourceVersion"] = resource_version_of(next);
        updated["status"] = next.contains("status") ? next["status"] : Json::object();
        stored = store.update_status(kind.plural, updated);
      } else {
        keep_server_fields(current, next);
        if (current.contains("status")) {
          next["status"] = current["status"];
        } else {
          next.erase("status");
        }
        warnings = admit(kind, next);
        stored = store.update(kind.plural, next);
      }
    } catch (const Conflict&) {
      if (precondition || attempt + 1 >= kPatchRetries) conflict(kind, name);
      continue;
    } catch (const NotFound&) {
      not_found(kind, name);
    }
    Reply reply = Reply::json(200, stored);
    add_warnings(reply, warnings);
    return reply;
  }
}

Reply ApiServer::Impl::remove(const ResourceKind& kind, const std::string& ns,
                              const std::string& name) {
  Json current = must_get(kind, ns, name);
  try {
    store.remove(kind.plural, ns, name);
  } catch (const NotFound&) {
    not_found(kind, name);
  }
  // Still there while finalizers run (with its deletionTimestamp), else the last state.
  auto after = store.get(kind.plural, ns, name);
  return Reply::json(200, after ? *after : current);
}

}  // namespace sp::local
