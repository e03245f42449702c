#include "api/object_meta.h"

#include "common/error.h"

namespace sp::api {
namespace {

std::map<std::string, std::string> string_map(const Json& j, const char* path) {
  std::map<std::string, std::string> out;
  if (j.is_null()) return out;
  if (!j.is_object()) throw Invalid(std::string(path) + ": must be a map of strings");
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string()) throw Invalid(std::string(path) + "." + k + ": must be a string");
    out[k] = v.get<std::string>();
  }
  return out;
}

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) throw Invalid(std::string("metadata.") + key + ": must be a string");
  return it->get<std::string>();
}

}  // namespace

ObjectMeta meta_from_json(const Json& j) {
  ObjectMeta m;
  if (j.is_null()) return m;
  if (!j.is_object()) throw Invalid("metadata: must be an object");
  m.name = str(j, "name");
  m.generate_name = str(j, "generateName");
  m.namespace_ = str(j, "namespace");
  m.uid = str(j, "uid");
  m.resource_version = str(j, "resourceVersion");
  if (auto it = j.find("generation"); it != j.end() && it->is_number_integer()) {
    m.generation = it->get<int64_t>();
  }
  m.creation_timestamp = str(j, "creationTimestamp");
  m.deletion_timestamp = str(j, "deletionTimestamp");
  m.labels = string_map(j.value("labels", Json()), "metadata.labels");
  m.annotations = string_map(j.value("annotations", Json()), "metadata.annotations");
  if (auto it = j.find("ownerReferences"); it != j.end() && it->is_array()) {
    for (const auto& o : *it) {
      OwnerReference r;
      r.api_version = o.value("apiVersion", "");
      r.kind = o.value("kind", "");
      r.name = o.value("name", "");
      r.uid = o.value("uid", "");
      if (o.contains("controller")) r.controller = o["controller"].get<bool>();
      if (o.contains("blockOwnerDeletion")) {
        r.block_owner_deletion = o["blockOwnerDeletion"].get<bool>();
      }
      m.owner_references.push_back(std::move(r));
    }
  }
  if (auto it = j.find("finalizers"); it != j.end() && it->is_array()) {
    for (const auto& f : *it) m.finalizers.push_back(f.get<std::string>());
  }
  static const char* kKnown[] = {"name",        "generateName",      "namespace",
                                 "uid",         "resourceVersion",   "generation",
                                 "labels",      "creationTimestamp", "deletionTimestamp",
                                 "annotations", "ownerReferences",   "finalizers"};
  for (const auto& [k, v] : j.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), k) == std::end(kKnown)) m.extra[k] = v;
  }
  return m;
}

Json meta_to_json(const ObjectMeta& m) {
  Json j = Json::object();
  j["name"] = m.name;
  if (!m.generate_name.empty()) j["generateName"] = m.generate_name;
  if (!m.namespace_.empty()) j["namespace"] = m.namespace_;
  if (!m.uid.empty()) j["uid"] = m.uid;
  if (!m.resource_version.empty()) j["resourceVersion"] = m.resource_version;
  if (m.generation != 0) j["generation"] = m.generation;
  if (!m.creation_timestamp.empty()) j["creationTimestamp"] = m.creation_timestamp;
  if (!m.deletion_timestamp.empty()) j["deletionTimestamp"] = m.deletion_timestamp;
  if (!m.labels.empty()) j["labels"] = m.labels;
  if (!m.annotations.empty()) j["annotations"] = m.annotations;
  if (!m.owner_references.empty()) {
    Json refs = Json::array();
    for (const auto& r : m.owner_references) {
      Json o = {{"apiVersion", r.api_version}, {"kind", r.kind}, {"name", r.name}, {"uid", r.uid}};
      if (r.controller) o["controller"] = *r.controller;
      if (r.block_owner_deletion) o["blockOwnerDeletion"] = *r.block_owner_deletion;
      refs.push_back(std::move(o));
    }
    j["ownerReferences"] = std::move(refs);
  }
  if (!m.finalizers.empty()) j["finalizers"] = m.finalizers;
  for (const auto& [k, v] : m.extra.items()) j[k] = v;
  return j;
}

Json object_to_json(const char* api_version, const char* kind, const ObjectMeta& meta,
                    const Json& spec, Json status) {
  Json j = Json::object();
  j["apiVersion"] = api_version;
  j["kind"] = kind;
  j["metadata"] = meta_to_json(meta);
  j["spec"] = spec;
  if (!status.empty()) j["status"] = std::move(status);
  return j;
}

}  // namespace sp::api
