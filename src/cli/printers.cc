#include "cli/printers.h"

#include <algorithm>

#include "common/time_format.h"
#include "common/yaml.h"

namespace sp::cli {

std::string render_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 3, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string age_of(const std::string& rfc3339, Time now) {
  auto t = parse_rfc3339(rfc3339);
  if (!t) return "<unknown>";
  auto d = now - *t;
  if (d < Duration::zero()) d = Duration::zero();
  return format_age(d);
}

std::string field(const Json& obj, const char* dotted_path, const std::string& fallback) {
  const Json* v = json_at(obj, dotted_path);
  if (v == nullptr || v->is_null()) return fallback;
  if (v->is_string()) return v->get<std::string>().empty() ? fallback : v->get<std::string>();
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  return v->dump();
}

void check_output_format(const std::string& output) {
  if (output.empty() || output == "wide" || output == "json" || output == "yaml" ||
      output == "name") {
    return;
  }
  throw CliError(kExitUsage,
                 "unknown output format \"" + output + "\": use one of wide, json, yaml, name");
}

namespace {

std::vector<std::string> header(const ResourceType& type, bool wide) {
  if (type.plural == scheduled_spark_applications().plural) {
    std::vector<std::string> h = {"NAME",     "SCHEDULE",      "SUSPEND",
                                  "LAST RUN", "LAST RUN NAME", "AGE"};
    if (wide) h.insert(h.end(), {"NEXT RUN", "SCHEDULE STATE"});
    return h;
  }
  std::vector<std::string> h = {"NAME", "STATUS", "ATTEMPTS", "START", "FINISH", "AGE"};
  if (wide) h.insert(h.end(), {"SPARK-APP-ID", "DRIVER", "WEB-UI"});
  return h;
}

std::vector<std::string> row(const Json& obj, const ResourceType& type, bool wide, Time now) {
  const std::string none = "<none>";
  std::string age = age_of(field(obj, "metadata.creationTimestamp"), now);
  if (type.plural == scheduled_spark_applications().plural) {
    std::vector<std::string> r = {field(obj, "metadata.name"),
                                  field(obj, "spec.schedule", none),
                                  field(obj, "spec.suspend", "false"),
                                  field(obj, "status.lastRun", none),
                                  field(obj, "status.lastRunName", none),
                                  age};
    if (wide) {
      r.push_back(field(obj, "status.nextRun", none));
      r.push_back(field(obj, "status.scheduleState", none));
    }
    return r;
  }
  std::vector<std::string> r = {field(obj, "metadata.name"),
                                field(obj, "status.applicationState.state", none),
                                field(obj, "status.executionAttempts", "0"),
                                field(obj, "status.lastSubmissionAttemptTime", none),
                                field(obj, "status.terminationTime", none),
                                age};
  if (wide) {
    r.push_back(field(obj, "status.sparkApplicationId", none));
    r.push_back(field(obj, "status.driverInfo.podName", none));
    r.push_back(field(obj, "status.driverInfo.webUIAddress", none));
  }
  return r;
}

}  // namespace

std::string format_objects(const std::vector<Json>& items, const ResourceType& type,
                           const std::string& output, bool all_namespaces, bool single, Time now) {
  check_output_format(output);
  if (output == "json" || output == "yaml") {
    Json doc;
    if (single && items.size() == 1) {
      doc = items[0];
    } else {
      doc = {{"apiVersion", "v1"},
             {"kind", "List"},
             {"items", Json::array()},
             {"metadata", {{"resourceVersion", ""}}}};
      for (const auto& i : items) doc["items"].push_back(i);
    }
    return output == "json" ? doc.dump(4) + "\n" : to_yaml(doc);
  }
  if (output == "name") {
    std::string out;
    for (const auto& i : items) out += type.qualified() + "/" + field(i, "metadata.name") + "\n";
    return out;
  }
  bool wide = output == "wide";
  std::vector<std::vector<std::string>> rows;
  auto h = header(type, wide);
  if (all_namespaces) h.insert(h.begin(), "NAMESPACE");
  rows.push_back(h);
  for (const auto& i : items) {
    auto r = row(i, type, wide, now);
    if (all_namespaces) r.insert(r.begin(), field(i, "metadata.namespace"));
    rows.push_back(r);
  }
  return render_table(rows);
}

}  // namespace sp::cli
