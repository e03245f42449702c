// Manifest files to checked v1beta2 objects: every problem of every document in one error.
#include "api/manifest.h"

#include "api/defaults.h"
#include "api/schedule_check.h"
#include "api/types.h"
#include "api/unknown_fields.h"
#include "api/validation.h"
#include "common/error.h"
#include "common/yaml.h"

namespace sp::api {
namespace {

struct Document {
  std::string label;  // "document 2" or "document 1, item 3"
  Json object;
};

// `kind: List` (kubectl's) or any `<Kind>List` with an `items` array.
bool is_list(const Json& doc) {
  if (!doc.is_object() || !doc.contains("items")) return false;
  const Json kind = doc.value("kind", Json());
  if (!kind.is_string()) return false;
  const std::string k = kind.get<std::string>();
  return k.size() >= 4 && k.compare(k.size() - 4, 4, "List") == 0;
}

std::vector<Document> split_documents(const std::string& text, const std::string& source) {
  std::vector<Document> out;
  auto docs = parse_yaml_documents(text, source);
  for (size_t i = 0; i < docs.size(); ++i) {
    std::string label = "document " + std::to_string(i + 1);
    Json& doc = docs[i];
    if (is_list(doc)) {
      const Json& items = doc["items"];
      if (!items.is_array()) {
        out.push_back({label, doc});  // reported below as a bad kind
        continue;
      }
      for (size_t k = 0; k < items.size(); ++k) {
        out.push_back({label + ", item " + std::to_string(k + 1), items[k]});
      }
    } else {
      out.push_back({label, std::move(doc)});
    }
  }
  return out;
}

// Returns the problem with apiVersion or kind, or "" when both are right.
std::string check_type(const Json& obj) {
  if (!obj.is_object()) return "must be a mapping with apiVersion, kind, metadata and spec";
  const Json api_version = obj.value("apiVersion", Json());
  if (api_version.is_null()) {
    return std::string("apiVersion is missing; use ") + kApiVersion;
  }
  if (api_version != kApiVersion) {
    return "apiVersion " +
           (api_version.is_string() ? api_version.dump()
                                    : "of type " + std::string(api_version.type_name())) +
           " is not served; use " + kApiVersion;
  }
  const Json kind = obj.value("kind", Json());
  if (kind != kSparkApplicationKind && kind != kScheduledSparkApplicationKind) {
    return (kind.is_null() ? std::string("kind is missing")
                           : "kind " + kind.dump() + " is not served") +
           "; use " + kSparkApplicationKind + " or " + kScheduledSparkApplicationKind;
  }
  return "";
}

// Typed parse plus validation with defaults applied; the errors of one object.
std::vector<std::string> check_object(const Json& obj, bool scheduled) {
  std::vector<std::string> problems;
  try {
    std::vector<FieldError> errors;
    if (scheduled) {
      ScheduledSparkApplication app = scheduled_spark_application_from_json(obj);
      app.spec = with_defaults(app.spec);
      errors = validate(app, check_cron_schedule);
    } else {
      SparkApplication app = spark_application_from_json(obj);
      app.spec = with_defaults(app.spec);
      errors = validate(app);
    }
    for (const auto& e : errors) problems.push_back(e.to_string());
  } catch (const Invalid& e) {
    problems.push_back(e.what());
  }
  return problems;
}

}  // namespace

std::vector<Manifest> parse_manifests(const std::string& text, const std::string& source,
                                      const std::string& default_namespace) {
  std::vector<Manifest> out;
  std::string errors;
  for (auto& doc : split_documents(text, source)) {
    if (std::string problem = check_type(doc.object); !problem.empty()) {
      errors += source + ": " + doc.label + ": " + problem + "\n";
      continue;
    }
    Json& obj = doc.object;
    if (!obj.contains("metadata") || obj["metadata"].is_null()) obj["metadata"] = Json::object();
    Json& meta = obj["metadata"];
    if (meta.is_object()) {
      if (meta.value("namespace", Json()).is_null() || meta.value("namespace", Json()) == "") {
        meta["namespace"] = default_namespace;
      }
    }
    const std::string kind = obj["kind"].get<std::string>();
    const bool scheduled = kind == kScheduledSparkApplicationKind;
    std::string name;
    if (meta.is_object() && meta.value("name", Json()).is_string()) {
      name = meta["name"].get<std::string>();
    }
    const std::string prefix =
        source + ": " + kind + "/" + (name.empty() ? doc.label : name) + ": ";
    for (const auto& p : check_object(obj, scheduled)) errors += prefix + p + "\n";

    Manifest m;
    m.resource = scheduled ? "scheduledsparkapplications" : "sparkapplications";
    for (const auto& path : unknown_fields(obj)) {
      m.warnings.push_back(prefix + "unknown field \"" + path +
                           "\" (kept as written, not used by sparkplane)");
    }
    m.object = std::move(obj);
    out.push_back(std::move(m));
  }
  if (!errors.empty()) {
    errors.pop_back();
    throw Invalid(errors);
  }
  return out;
}

}  // namespace sp::api
