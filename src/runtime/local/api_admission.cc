// Admission for writes through the embedded API server: typed parsing, validation of a defaulted
// copy (the stored document is never changed), and warnings for unknown fields.
#include "api/defaults.h"
#include "api/schedule_check.h"
#include "api/types.h"
#include "api/unknown_fields.h"
#include "api/validation.h"
#include "common/error.h"
#include "runtime/local/api_server_impl.h"

namespace sp::local {
namespace {

// Field errors of `obj` as Kubernetes would find them (empty when valid).
std::vector<api::FieldError> field_errors(const ResourceKind& kind, const Json& obj) {
  try {
    if (kind.plural == controller::kSparkApplications) {
      api::SparkApplication app = api::spark_application_from_json(obj);
      app.spec = api::with_defaults(app.spec);
      return api::validate(app);
    }
    api::ScheduledSparkApplication app = api::scheduled_spark_application_from_json(obj);
    app.spec = api::with_defaults(app.spec);
    return api::validate(app, api::check_cron_schedule);
  } catch (const Invalid& e) {
    // A wrong JSON type: "<path>: must be <expected>, got <what>".
    std::string what = e.what();
    auto colon = what.find(": ");
    if (colon == std::string::npos) return {api::FieldError{"", what}};
    return {api::FieldError{what.substr(0, colon), what.substr(colon + 2)}};
  }
}

}  // namespace

std::vector<std::string> admit(const ResourceKind& kind, const Json& obj) {
  auto errors = field_errors(kind, obj);
  if (!errors.empty()) {
    const Json* n = json_at(obj, "metadata.name");
    std::string name = n != nullptr && n->is_string() ? n->get<std::string>() : "";
    Json causes = Json::array();
    std::string list;
    for (const auto& e : errors) {
      causes.push_back(
          {{"reason", "FieldValueInvalid"}, {"message", e.to_string()}, {"field", e.path}});
      if (!list.empty()) list += ", ";
      list += e.to_string();
    }
    if (errors.size() > 1) list = "[" + list + "]";
    Json details = {
        {"name", name}, {"group", api::kGroup}, {"kind", kind.kind}, {"causes", causes}};
    throw HttpError(422, "Invalid",
                    kind.kind + "." + api::kGroup + " \"" + name + "\" is invalid: " + list,
                    details);
  }
  std::vector<std::string> warnings;
  for (const auto& path : api::unknown_fields(obj)) {
    warnings.push_back("299 - \"unknown field \\\"" + path + "\\\"\"");
  }
  return warnings;
}

}  // namespace sp::local
