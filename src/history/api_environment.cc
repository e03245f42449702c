// /environment (v1.ApplicationEnvironmentInfo): properties redacted with Spark's default
// spark.redaction.regex and sorted by key, plus the resource profiles.
#include <algorithm>

#include "history/api_internal.h"
#include "history/spark_format.h"

namespace sp::history::api {

namespace {

bool contains_ci(std::string_view text, std::string_view word) {
  if (word.size() > text.size()) return false;
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    bool match = true;
    for (size_t j = 0; j < word.size() && match; ++j) {
      char c = text[i + j];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      match = c == word[j];
    }
    if (match) return true;
  }
  return false;
}

// (?i)secret|password|token|access[.]?key
bool sensitive(std::string_view s) {
  return contains_ci(s, "secret") || contains_ci(s, "password") || contains_ci(s, "token") ||
         contains_ci(s, "accesskey") || contains_ci(s, "access.key");
}

void write_pairs(JsonWriter& w, std::string_view name, StringPairs pairs, bool redact) {
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  w.key(name);
  w.begin_array();
  for (const auto& [k, v] : pairs) {
    w.begin_array();
    w.value(k);
    w.value(redact && (sensitive(k) || sensitive(v)) ? std::string("*********(redacted)") : v);
    w.end_array();
  }
  w.end_array();
}

const std::string* find(const StringPairs& p, std::string_view key) {
  for (const auto& [k, v] : p) {
    if (k == key) return &v;
  }
  return nullptr;
}

}  // namespace

void environment(JsonWriter& w, const AppState& s) {
  if (!s.environment) not_found("no environment information for this application");
  const EnvironmentUpdateEvent& e = *s.environment;
  w.begin_object();
  w.key("runtime");
  w.begin_object();
  if (const std::string* v = find(e.jvm, "Java Version")) w.field("javaVersion", *v);
  if (const std::string* v = find(e.jvm, "Java Home")) w.field("javaHome", *v);
  if (const std::string* v = find(e.jvm, "Scala Version")) w.field("scalaVersion", *v);
  w.end_object();
  write_pairs(w, "sparkProperties", e.spark, true);
  write_pairs(w, "hadoopProperties", e.hadoop, true);
  write_pairs(w, "systemProperties", e.system, true);
  write_pairs(w, "metricsProperties", e.metrics, true);
  write_pairs(w, "classpathEntries", e.classpath, false);
  w.key("resourceProfiles");
  w.begin_array();
  for (const auto& [id, rp] : s.resource_profiles) {
    w.begin_object();
    w.field("id", rp.id);
    w.key("executorResources");
    w.begin_object();
    for (const auto& [name, r] : rp.executor_resources) {
      w.key(name);
      w.begin_object();
      w.field("resourceName", r.resource_name);
      w.field("amount", r.amount);
      w.field("discoveryScript", r.discovery_script);
      w.field("vendor", r.vendor);
      w.end_object();
    }
    w.end_object();
    w.key("taskResources");
    w.begin_object();
    for (const auto& [name, r] : rp.task_resources) {
      w.key(name);
      w.begin_object();
      w.field("resourceName", r.resource_name);
      w.field_double("amount", r.amount);
      w.end_object();
    }
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace sp::history::api
