// Tests of SparkApplication / ScheduledSparkApplication validation, one rule at a time.
#include <gtest/gtest.h>

#include <functional>

#include "api/defaults.h"
#include "api/validation.h"
#include "common/error.h"

namespace sp::api {
namespace {

SparkApplication valid_app() {
  SparkApplication app;
  app.metadata.name = "spark-pi";
  app.metadata.namespace_ = "default";
  app.spec.type = "Scala";
  app.spec.spark_version = "3.5.1";
  app.spec.main_class = "org.apache.spark.examples.SparkPi";
  app.spec.main_application_file = "local:///opt/spark/examples/jars/spark-examples.jar";
  return app;
}

// The errors of valid_app() after `change`, as "path: message" lines.
std::vector<std::string> errors_after(const std::function<void(SparkApplication&)>& change) {
  SparkApplication app = valid_app();
  change(app);
  std::vector<std::string> out;
  for (const auto& e : validate(app)) out.push_back(e.to_string());
  return out;
}

std::vector<std::string> one(std::string s) { return {std::move(s)}; }

TEST(ApiValidation, ValidAppHasNoErrorsWithOrWithoutDefaults) {
  EXPECT_TRUE(validate(valid_app()).empty());
  SparkApplication app = valid_app();
  app.spec = with_defaults(app.spec);
  EXPECT_TRUE(validate(app).empty());
}

TEST(ApiValidation, FieldErrorToString) {
  EXPECT_EQ((FieldError{"spec.driver.cores", "must be > 0, got -1"}).to_string(),
            "spec.driver.cores: must be > 0, got -1");
}

TEST(ApiValidation, NameMustBeDns1035Label) {
  EXPECT_EQ(errors_after([](auto& a) { a.metadata.name = "Spark_Pi"; }),
            one("metadata.name: invalid SparkApplication name \"Spark_Pi\": a DNS-1035 label must "
                "consist of lower case alphanumeric characters or '-', start with an alphabetic "
                "character, and end with an alphanumeric character"));
  EXPECT_EQ(errors_after([](auto& a) { a.metadata.name = "1pi"; }).size(), 1u);
  EXPECT_EQ(errors_after([](auto& a) { a.metadata.name = "pi-"; }).size(), 1u);
  EXPECT_EQ(errors_after([](auto& a) { a.metadata.name = std::string(64, 'a'); }),
            one("metadata.name: invalid SparkApplication name \"" + std::string(64, 'a') +
                "\": must be no more than 63 characters"));
  EXPECT_TRUE(errors_after([](auto& a) { a.metadata.name = std::string(63, 'a'); }).empty());
  EXPECT_EQ(errors_after([](auto& a) { a.metadata.name = ""; }), one("metadata.name: required"));
  EXPECT_TRUE(errors_after([](auto& a) {
                a.metadata.name = "";
                a.metadata.generate_name = "pi-";
              }).empty());
}

TEST(ApiValidation, NamespaceMustBeDns1123Label) {
  EXPECT_TRUE(errors_after([](auto& a) { a.metadata.namespace_ = "1-team"; }).empty());
  EXPECT_TRUE(errors_after([](auto& a) { a.metadata.namespace_ = ""; }).empty());
  auto e = errors_after([](auto& a) { a.metadata.namespace_ = "Team.A"; });
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].rfind("metadata.namespace: invalid namespace \"Team.A\"", 0), 0u) << e[0];
}

TEST(ApiValidation, Enums) {
  EXPECT_EQ(errors_after([](auto& a) { a.spec.type = "Go"; }),
            one("spec.type: must be one of \"Java\", \"Scala\", \"Python\", \"R\", got \"Go\""));
  EXPECT_EQ(errors_after([](auto& a) { a.spec.mode = "local"; }),
            one("spec.mode: must be one of \"cluster\", \"client\", \"in-cluster-client\", got "
                "\"local\""));
  EXPECT_TRUE(errors_after([](auto& a) { a.spec.mode = "in-cluster-client"; }).empty());
  EXPECT_EQ(errors_after([](auto& a) { a.spec.restart_policy.type = "Sometimes"; }),
            one("spec.restartPolicy.type: must be one of \"Never\", \"OnFailure\", \"Always\", "
                "got \"Sometimes\""));
  EXPECT_EQ(errors_after([](auto& a) { a.spec.python_version = "4"; }),
            one("spec.pythonVersion: must be one of \"2\", \"3\", got \"4\""));
  EXPECT_EQ(errors_after([](auto& a) { a.spec.image_pull_policy = "Sometimes"; }).size(), 1u);
  EXPECT_EQ(errors_after([](auto& a) {
              a.spec.driver.secrets.push_back({"s", "/p", "Other"});
            }),
            one("spec.driver.secrets[0].secretType: must be one of \"GCPServiceAccount\", "
                "\"HadoopDelegationToken\", \"Generic\", got \"Other\""));
}

TEST(ApiValidation, EmptyEnumsAreFineBeforeDefaults) {
  EXPECT_TRUE(errors_after([](auto& a) {
                a.spec.type = "";
                a.spec.mode = "";
                a.spec.restart_policy.type = "";
              }).empty());
}

TEST(ApiValidation, RequiredFields) {
  EXPECT_EQ(errors_after([](auto& a) { a.spec.main_application_file.reset(); }),
            one("spec.mainApplicationFile: required"));
  EXPECT_TRUE(errors_after([](auto& a) { a.spec.spark_version.reset(); }).empty());
  EXPECT_EQ(errors_after([](auto& a) { a.spec.main_class.reset(); }),
            one("spec.mainClass: required for a Scala application"));
  EXPECT_EQ(errors_after([](auto& a) {
              a.spec.type = "Java";
              a.spec.main_class = "";
            }),
            one("spec.mainClass: required for a Java application"));
  EXPECT_TRUE(errors_after([](auto& a) {
                a.spec.type = "Python";
                a.spec.main_class.reset();
              }).empty());
  EXPECT_TRUE(errors_after([](auto& a) {
                a.spec.type = "R";
                a.spec.main_class.reset();
              }).empty());
}

TEST(ApiValidation, CoresAndInstances) {
  EXPECT_EQ(errors_after([](auto& a) { a.spec.driver.cores = -1; }),
            one("spec.driver.cores: must be > 0, got -1"));
  EXPECT_EQ(errors_after([](auto& a) { a.spec.executor.cores = 0; }),
            one("spec.executor.cores: must be > 0, got 0"));
  EXPECT_EQ(errors_after([](auto& a) { a.spec.executor.instances = 0; }),
            one("spec.executor.instances: must be > 0, got 0"));
  EXPECT_TRUE(errors_after([](auto& a) { a.spec.executor.instances = 1; }).empty());
}

TEST(ApiValidation, MemorySizes) {
  for (const char* ok : {"512m", "1g", "2Gi", "1024", "384Mi"}) {
    EXPECT_TRUE(errors_after([&](auto& a) { a.spec.driver.memory = ok; }).empty()) << ok;
  }
  auto e = errors_after([](auto& a) { a.spec.executor.memory = "lots"; });
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].rfind("spec.executor.memory: invalid memory size \"lots\"", 0), 0u) << e[0];
  EXPECT_EQ(errors_after([](auto& a) { a.spec.driver.memory_overhead = "1.5g"; }).size(), 1u);
}

TEST(ApiValidation, CpuQuantities) {
  for (const char* ok : {"500m", "1", "1.5", "2"}) {
    EXPECT_TRUE(errors_after([&](auto& a) {
                  a.spec.driver.core_limit = ok;
                  a.spec.executor.core_request = ok;
                }).empty())
        << ok;
  }
  auto e = errors_after([](auto& a) { a.spec.driver.core_limit = "a lot"; });
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].rfind("spec.driver.coreLimit: invalid CPU quantity \"a lot\"", 0), 0u) << e[0];
  EXPECT_EQ(errors_after([](auto& a) { a.spec.driver.core_request = "0"; }),
            one("spec.driver.coreRequest: must be > 0, got \"0\""));
  EXPECT_EQ(errors_after([](auto& a) { a.spec.executor.core_limit = "-1"; }).size(), 1u);
}

TEST(ApiValidation, RestartPolicyNumbers) {
  EXPECT_EQ(errors_after([](auto& a) {
              a.spec.restart_policy.type = "OnFailure";
              a.spec.restart_policy.on_failure_retries = -1;
              a.spec.restart_policy.on_submission_failure_retries = -2;
              a.spec.restart_policy.on_failure_retry_interval = 0;
              a.spec.restart_policy.on_submission_failure_retry_interval = -5;
            }),
            (std::vector<std::string>{
                "spec.restartPolicy.onSubmissionFailureRetries: must be >= 0, got -2",
                "spec.restartPolicy.onFailureRetries: must be >= 0, got -1",
                "spec.restartPolicy.onSubmissionFailureRetryInterval: must be > 0, got -5",
                "spec.restartPolicy.onFailureRetryInterval: must be > 0, got 0",
            }));
  EXPECT_TRUE(errors_after([](auto& a) {
                a.spec.restart_policy.on_failure_retries = 0;
                a.spec.restart_policy.on_failure_retry_interval = 1;
              }).empty());
}

TEST(ApiValidation, TimeToLive) {
  EXPECT_EQ(errors_after([](auto& a) { a.spec.time_to_live_seconds = -1; }),
            one("spec.timeToLiveSeconds: must be >= 0, got -1"));
  EXPECT_TRUE(errors_after([](auto& a) { a.spec.time_to_live_seconds = 0; }).empty());
}

TEST(ApiValidation, DynamicAllocationOrder) {
  auto set = [](int min, int initial, int max) {
    return [=](SparkApplication& a) {
      auto& d = a.spec.dynamic_allocation.emplace();
      d.enabled = true;
      d.min_executors = min;
      d.initial_executors = initial;
      d.max_executors = max;
    };
  };
  EXPECT_TRUE(errors_after(set(1, 2, 3)).empty());
  EXPECT_TRUE(errors_after(set(2, 2, 2)).empty());
  EXPECT_EQ(errors_after(set(1, 5, 3)),
            one("spec.dynamicAllocation.initialExecutors: must be <= maxExecutors (3), got 5"));
  EXPECT_EQ(errors_after(set(2, 1, 3)),
            one("spec.dynamicAllocation.minExecutors: must be <= initialExecutors (1), got 2"));
  EXPECT_EQ(errors_after([](auto& a) {
              auto& d = a.spec.dynamic_allocation.emplace();
              d.min_executors = 4;
              d.max_executors = 2;
            }),
            one("spec.dynamicAllocation.minExecutors: must be <= maxExecutors (2), got 4"));
  EXPECT_EQ(errors_after([](auto& a) { a.spec.dynamic_allocation.emplace().min_executors = -1; }),
            one("spec.dynamicAllocation.minExecutors: must be >= 0, got -1"));
}

TEST(ApiValidation, NodeSelectorConflict) {
  EXPECT_EQ(errors_after([](auto& a) {
              a.spec.node_selector["disk"] = "ssd";
              a.spec.executor.node_selector["zone"] = "a";
            }),
            one("spec.nodeSelector: node selector cannot be defined at both SparkApplication and "
                "Driver/Executor"));
  EXPECT_TRUE(errors_after([](auto& a) { a.spec.node_selector["disk"] = "ssd"; }).empty());
  EXPECT_TRUE(errors_after([](auto& a) { a.spec.driver.node_selector["disk"] = "ssd"; }).empty());
}

TEST(ApiValidation, PodTemplateNeedsSpark3) {
  EXPECT_EQ(errors_after([](auto& a) {
              a.spec.spark_version = "2.4.8";
              a.spec.driver.template_ = Json::object();
            }),
            one("spec.driver.template: pod template feature requires Spark version 3.0.0 or "
                "higher"));
  EXPECT_TRUE(errors_after([](auto& a) { a.spec.executor.template_ = Json::object(); }).empty());
}

TEST(ApiValidation, DriverIngressOptions) {
  auto ingress = [](std::optional<int32_t> port, std::string format) {
    DriverIngressConfiguration o;
    o.service_port = port;
    o.service_port_name = "http";
    o.ingress_url_format = std::move(format);
    return o;
  };
  EXPECT_EQ(errors_after([&](auto& a) {
              a.spec.driver_ingress_options = {ingress(std::nullopt, "a.example.com"),
                                               ingress(8080, ""), ingress(8080, "b.example.com"),
                                               ingress(8081, "b.example.com")};
            }),
            (std::vector<std::string>{
                "spec.driverIngressOptions[0].servicePort: DriverIngressOptions has nill "
                "ServicePort",
                "spec.driverIngressOptions[1].ingressURLFormat: DriverIngressOptions has empty "
                "IngressURLFormat",
                "spec.driverIngressOptions[2].servicePort: DriverIngressOptions has duplicate "
                "ServicePort: 8080",
                "spec.driverIngressOptions[3].ingressURLFormat: DriverIngressOptions has "
                "duplicate IngressURLFormat: b.example.com",
            }));
  EXPECT_EQ(errors_after([&](auto& a) {
              auto o = ingress(8080, "x");
              o.service_port_name.reset();
              a.spec.driver_ingress_options = {o};
            }),
            one("spec.driverIngressOptions[0].servicePortName: required"));
}

TEST(ApiValidation, Ports) {
  EXPECT_EQ(errors_after([](auto& a) {
              a.spec.driver.ports.push_back({"p", "TCP", 0});
            }),
            one("spec.driver.ports[0].containerPort: must be a port number in 1..65535, got 0"));
  EXPECT_EQ(errors_after([](auto& a) {
              a.spec.executor.ports.push_back({"p", "TCP", 70000});
            }).size(),
            1u);
  EXPECT_EQ(
      errors_after([](auto& a) { a.spec.spark_ui_options.emplace().service_port = 0; }).size(), 1u);
  EXPECT_EQ(errors_after([](auto& a) {
              auto& p = a.spec.monitoring.emplace().prometheus.emplace();
              p.jmx_exporter_jar = "/j.jar";
              p.port = 80;
            }),
            one("spec.monitoring.prometheus.port: must be a port number in 1024..49151, got 80"));
}

TEST(ApiValidation, PrometheusNeedsJar) {
  EXPECT_EQ(errors_after([](auto& a) { a.spec.monitoring.emplace().prometheus.emplace(); }),
            one("spec.monitoring.prometheus.jmxExporterJar: required"));
}

TEST(ApiValidation, Gpu) {
  EXPECT_EQ(errors_after([](auto& a) {
              a.spec.driver.gpu = GPUSpec{"nvidia.com/gpu", 0};
            }),
            one("spec.driver.gpu.quantity: must be > 0, got 0"));
}

TEST(ApiValidation, ReportsEveryError) {
  auto e = errors_after([](auto& a) {
    a.metadata.name = "Bad";
    a.spec.driver.cores = 0;
    a.spec.executor.cores = 0;
    a.spec.time_to_live_seconds = -1;
  });
  EXPECT_EQ(e.size(), 4u);
}

ScheduledSparkApplication valid_scheduled() {
  ScheduledSparkApplication s;
  s.metadata.name = "nightly";
  s.spec.schedule = "@daily";
  s.spec.template_raw = {
      {"type", "Python"}, {"sparkVersion", "3.5.1"}, {"mainApplicationFile", "local:///app.py"}};
  return s;
}

std::vector<std::string> scheduled_errors(
    const std::function<void(ScheduledSparkApplication&)>& change,
    const ScheduleCheck& check = nullptr) {
  ScheduledSparkApplication app = valid_scheduled();
  change(app);
  std::vector<std::string> out;
  for (const auto& e : validate(app, check)) out.push_back(e.to_string());
  return out;
}

TEST(ApiValidation, ScheduledValid) {
  EXPECT_TRUE(scheduled_errors([](auto&) {}).empty());
  ScheduledSparkApplication app = valid_scheduled();
  app.spec = with_defaults(app.spec);
  EXPECT_TRUE(validate(app).empty());
}

TEST(ApiValidation, ScheduledSpecRules) {
  EXPECT_EQ(scheduled_errors([](auto& s) { s.metadata.name = "Nightly"; }).size(), 1u);
  EXPECT_EQ(scheduled_errors([](auto& s) { s.metadata.name = "Nightly"; })[0].find(
                "invalid ScheduledSparkApplication name \"Nightly\""),
            15u);
  EXPECT_EQ(scheduled_errors([](auto& s) { s.spec.concurrency_policy = "Sometimes"; }),
            one("spec.concurrencyPolicy: must be one of \"Allow\", \"Forbid\", \"Replace\", got "
                "\"Sometimes\""));
  EXPECT_EQ(scheduled_errors([](auto& s) { s.spec.successful_run_history_limit = -1; }),
            one("spec.successfulRunHistoryLimit: must be >= 0, got -1"));
  EXPECT_EQ(scheduled_errors([](auto& s) { s.spec.failed_run_history_limit = -2; }),
            one("spec.failedRunHistoryLimit: must be >= 0, got -2"));
  EXPECT_EQ(scheduled_errors([](auto& s) { s.spec.time_zone = ""; }),
            one("spec.timeZone: must not be empty when set (leave it out for local time)"));
  EXPECT_EQ(scheduled_errors([](auto& s) { s.spec.schedule = ""; }),
            one("spec.schedule: required, e.g. \"@every 10m\" or \"0 3 * * *\""));
  EXPECT_EQ(scheduled_errors([](auto& s) { s.spec.template_raw = Json::object(); }),
            one("spec.template: required"));
}

TEST(ApiValidation, ScheduledTemplateIsValidatedUnderItsPath) {
  EXPECT_EQ(scheduled_errors([](auto& s) {
              s.spec.template_raw["driver"] = {{"cores", -1}};
            }),
            one("spec.template.driver.cores: must be > 0, got -1"));
  EXPECT_EQ(scheduled_errors([](auto& s) { s.spec.template_raw.erase("mainApplicationFile"); }),
            one("spec.template.mainApplicationFile: required"));
  EXPECT_EQ(scheduled_errors([](auto& s) {
              s.spec.template_raw["driver"] = {{"cores", "x"}};
            }),
            one("spec.template.driver.cores: must be an integer, got string \"x\""));
}

TEST(ApiValidation, ScheduleCheckCallback) {
  std::string seen_tz;
  auto check = [&](const std::string& expr, const std::string& tz) {
    seen_tz = tz;
    if (expr == "bad") throw Invalid("expected exactly 5 fields, found 1: [bad]");
  };
  EXPECT_TRUE(scheduled_errors([](auto& s) { s.spec.time_zone = "UTC"; }, check).empty());
  EXPECT_EQ(seen_tz, "UTC");
  EXPECT_EQ(scheduled_errors([](auto& s) { s.spec.schedule = "bad"; }, check),
            one("spec.schedule: invalid schedule \"bad\": expected exactly 5 fields, found 1: "
                "[bad]"));
}

TEST(ApiValidation, BadTimeZoneIsBlamedOnTimeZone) {
  auto check = [](const std::string& expr, const std::string& tz) {
    if (tz == "Mars/Base") throw Invalid("unknown time zone Mars/Base");
    if (expr == "bad") throw Invalid("bad expression");
  };
  EXPECT_EQ(scheduled_errors([](auto& s) { s.spec.time_zone = "Mars/Base"; }, check),
            one("spec.timeZone: invalid time zone \"Mars/Base\": unknown time zone Mars/Base"));
  EXPECT_EQ(scheduled_errors(
                [](auto& s) {
                  s.spec.time_zone = "Mars/Base";
                  s.spec.schedule = "bad";
                },
                check),
            one("spec.schedule: invalid schedule \"bad\": unknown time zone Mars/Base"));
}

TEST(ApiValidation, NameHelpers) {
  EXPECT_TRUE(is_dns1035_label("a-1"));
  EXPECT_FALSE(is_dns1035_label("1-a"));
  EXPECT_TRUE(is_dns1123_label("1-a"));
  EXPECT_FALSE(is_dns1123_label("a_b"));
  EXPECT_TRUE(is_dns1123_subdomain("a.b-c.d"));
  EXPECT_FALSE(is_dns1123_subdomain("a..b"));
  EXPECT_FALSE(is_dns1123_subdomain(".a"));
}

}  // namespace
}  // namespace sp::api
