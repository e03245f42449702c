// `sparkplane describe sparkapp NAME` (or TYPE/NAME): spec summary, status, driver, executors
// and events, in the manner of kubectl describe.
#include <iostream>
#include <sstream>

#include "cli/cli.h"
#include "cli/client.h"
#include "cli/printers.h"
#include "common/error.h"

namespace sp::cli {
namespace {

class Section {
 public:
  explicit Section(std::ostringstream& out) : out_(out) {}
  void line(int indent, const std::string& key, const std::string& value) {
    std::string k = std::string(static_cast<size_t>(indent), ' ') + key + ":";
    out_ << k << std::string(k.size() < 24 ? 24 - k.size() : 1, ' ') << value << "\n";
  }
  void opt(int indent, const std::string& key, const Json& obj, const char* path) {
    std::string v = field(obj, path);
    if (!v.empty()) line(indent, key, v);
  }
  void title(int indent, const std::string& key) {
    out_ << std::string(static_cast<size_t>(indent), ' ') << key << ":\n";
  }

 private:
  std::ostringstream& out_;
};

std::string map_text(const Json* m) {
  if (m == nullptr || !m->is_object() || m->empty()) return "<none>";
  std::string s;
  for (const auto& [k, v] : m->items()) {
    if (!s.empty()) s += ", ";
    s += k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  return s;
}

std::string pod_summary(const Json& spec, const char* role) {
  const Json* p = json_at(spec, role);
  if (p == nullptr || !p->is_object()) return "<defaults>";
  std::string s;
  for (const char* key : {"instances", "cores", "coreLimit", "memory", "memoryOverhead", "image"}) {
    if (p->contains(key) && !(*p)[key].is_null()) {
      const Json& v = (*p)[key];
      s += std::string(s.empty() ? "" : ", ") + key + "=" +
           (v.is_string() ? v.get<std::string>() : v.dump());
    }
  }
  return s.empty() ? "<defaults>" : s;
}

void describe_spec(Section& s, const Json& spec, int indent) {
  s.opt(indent, "Type", spec, "type");
  s.opt(indent, "Mode", spec, "mode");
  s.opt(indent, "Spark Version", spec, "sparkVersion");
  s.opt(indent, "Image", spec, "image");
  s.opt(indent, "Main Class", spec, "mainClass");
  s.opt(indent, "Main File", spec, "mainApplicationFile");
  if (const Json* args = json_at(spec, "arguments"); args != nullptr && args->is_array()) {
    std::string joined;
    for (const auto& a : *args)
      joined += (joined.empty() ? "" : " ") + (a.is_string() ? a.get<std::string>() : a.dump());
    s.line(indent, "Arguments", joined);
  }
  s.line(indent, "Driver", pod_summary(spec, "driver"));
  s.line(indent, "Executor", pod_summary(spec, "executor"));
  s.line(indent, "Restart Policy", field(spec, "restartPolicy.type", "Never (default)"));
  s.opt(indent, "Suspend", spec, "suspend");
  s.opt(indent, "TTL Seconds", spec, "timeToLiveSeconds");
  if (const Json* conf = json_at(spec, "sparkConf"); conf != nullptr && conf->is_object()) {
    s.title(indent, "Spark Conf");
    for (const auto& [k, v] : conf->items()) {
      s.line(indent + 2, k, v.is_string() ? v.get<std::string>() : v.dump());
    }
  }
}

void describe_events(std::ostringstream& out, const std::vector<Json>& events, Time now) {
  if (events.empty()) {
    out << "Events:                 <none>\n";
    return;
  }
  out << "Events:\n";
  std::vector<std::vector<std::string>> rows = {{"TYPE", "REASON", "AGE", "FROM", "MESSAGE"}};
  for (const auto& e : events) {
    std::string last = field(e, "lastTimestamp", field(e, "eventTime", field(e, "firstTimestamp")));
    std::string age = age_of(last, now);
    std::string count = field(e, "count", "1");
    if (count != "1" && count != "0") age += " (x" + count + ")";
    rows.push_back({field(e, "type"), field(e, "reason"), age,
                    field(e, "source.component", field(e, "reportingComponent", "sparkplane")),
                    field(e, "message")});
  }
  std::istringstream table(render_table(rows));
  for (std::string line; std::getline(table, line);) out << "  " << line << "\n";
}

}  // namespace

void add_describe_command(CLI::App& app, GlobalOptions& g) {
  auto words = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("describe", "Show one resource in detail, with its events");
  cmd->add_option("resource", *words, "TYPE NAME, or TYPE/NAME")->required();
  cmd->footer(kExitCodesHelp);
  cmd->callback([&g, words] {
    const ResourceType* type = nullptr;
    std::string name;
    if (words->size() == 1) {
      if ((*words)[0].find('/') == std::string::npos) {
        throw CliError(kExitUsage,
                       "describe needs TYPE NAME or TYPE/NAME, e.g. describe sparkapp "
                       "spark-pi");
      }
      std::tie(type, name) = parse_type_and_name((*words)[0], spark_applications());
    } else if (words->size() == 2) {
      type = &resource_type((*words)[0]);
      name = (*words)[1];
    } else {
      throw CliError(kExitUsage, "describe takes one resource: TYPE NAME or TYPE/NAME");
    }
    ApiClient client(g);
    auto obj = client.get(*type, g.namespace_, name);
    if (!obj) throw NotFound(type->qualified() + " \"" + name + "\" not found");
    Time now = std::chrono::system_clock::now();
    const Json& o = *obj;
    std::ostringstream out;
    Section s(out);
    s.line(0, "Name", field(o, "metadata.name"));
    s.line(0, "Namespace", field(o, "metadata.namespace"));
    s.line(0, "Labels", map_text(json_at(o, "metadata.labels")));
    s.line(0, "Annotations", map_text(json_at(o, "metadata.annotations")));
    s.line(0, "API Version", field(o, "apiVersion"));
    s.line(0, "Kind", field(o, "kind"));
    std::string created = field(o, "metadata.creationTimestamp");
    s.line(0, "Created", created + " (" + age_of(created, now) + " ago)");
    s.line(0, "Generation", field(o, "metadata.generation", "0"));
    std::string deleting = field(o, "metadata.deletionTimestamp");
    if (!deleting.empty()) s.line(0, "Deleting Since", deleting);

    const Json spec = o.contains("spec") ? o["spec"] : Json::object();
    if (type->plural == scheduled_spark_applications().plural) {
      s.title(0, "Spec");
      s.opt(2, "Schedule", spec, "schedule");
      s.opt(2, "Time Zone", spec, "timeZone");
      s.line(2, "Suspend", field(spec, "suspend", "false"));
      s.line(2, "Concurrency Policy", field(spec, "concurrencyPolicy", "Allow (default)"));
      s.title(2, "Template");
      describe_spec(s, spec.contains("template") ? spec["template"] : Json::object(), 4);
      s.title(0, "Status");
      s.line(2, "Schedule State", field(o, "status.scheduleState", "<none>"));
      s.opt(2, "Reason", o, "status.reason");
      s.line(2, "Last Run", field(o, "status.lastRun", "<none>"));
      s.line(2, "Last Run Name", field(o, "status.lastRunName", "<none>"));
      s.line(2, "Next Run", field(o, "status.nextRun", "<none>"));
      for (const char* key : {"pastSuccessfulRunNames", "pastFailedRunNames"}) {
        const Json* runs = json_at(o, std::string("status.") + key);
        std::string joined;
        if (runs != nullptr && runs->is_array()) {
          for (const auto& r : *runs) joined += (joined.empty() ? "" : ", ") + r.get<std::string>();
        }
        s.line(2,
               key == std::string("pastSuccessfulRunNames") ? "Past Successful Runs"
                                                            : "Past Failed Runs",
               joined.empty() ? "<none>" : joined);
      }
    } else {
      s.title(0, "Spec");
      describe_spec(s, spec, 2);
      s.title(0, "Status");
      s.line(2, "State", field(o, "status.applicationState.state", "<none>"));
      s.opt(2, "Error Message", o, "status.applicationState.errorMessage");
      s.opt(2, "Spark App ID", o, "status.sparkApplicationId");
      s.opt(2, "Submission ID", o, "status.submissionID");
      s.line(2, "Execution Attempts", field(o, "status.executionAttempts", "0"));
      s.line(2, "Submission Attempts", field(o, "status.submissionAttempts", "0"));
      s.opt(2, "Last Submission", o, "status.lastSubmissionAttemptTime");
      s.opt(2, "Termination Time", o, "status.terminationTime");
      s.title(0, "Driver");
      s.line(2, "Name", field(o, "status.driverInfo.podName", "<none>"));
      s.line(2, "Web UI", field(o, "status.driverInfo.webUIAddress", "<none>"));
      const Json* executors = json_at(o, "status.executorState");
      if (executors == nullptr || !executors->is_object() || executors->empty()) {
        s.line(0, "Executors", "<none>");
      } else {
        out << "Executors:\n";
        std::vector<std::vector<std::string>> rows = {{"NAME", "STATE"}};
        for (const auto& [k, v] : executors->items()) {
          rows.push_back({k, v.is_string() ? v.get<std::string>() : v.dump()});
        }
        std::istringstream table(render_table(rows));
        for (std::string line; std::getline(table, line);) out << "  " << line << "\n";
      }
    }
    describe_events(out, client.events(g.namespace_, name), now);
    std::cout << out.str();
  });
}

}  // namespace sp::cli
