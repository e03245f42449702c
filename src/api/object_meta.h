// Kubernetes ObjectMeta and OwnerReference: the fields sparkplane reads and writes.
// Every other metadata key is kept in `extra` and written back unchanged.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"

namespace sp::api {

struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  std::optional<bool> controller;
  std::optional<bool> block_owner_deletion;
};

struct ObjectMeta {
  std::string name;
  std::string generate_name;
  std::string namespace_;
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  std::string creation_timestamp;  // RFC 3339, empty when unset
  std::string deletion_timestamp;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<OwnerReference> owner_references;
  std::vector<std::string> finalizers;
  Json extra = Json::object();  // metadata keys not listed above
};

ObjectMeta meta_from_json(const Json& j);
Json meta_to_json(const ObjectMeta& m);

// A whole object: apiVersion, kind, metadata, spec, and status unless empty.
Json object_to_json(const char* api_version, const char* kind, const ObjectMeta& meta,
                    const Json& spec, Json status);

// "namespace/name", the key used by the work queue and stores.
inline std::string object_key(const ObjectMeta& m) { return m.namespace_ + "/" + m.name; }

}  // namespace sp::api
