// Tests of SparkApplication / ScheduledSparkApplication JSON parsing and serialization.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "api/types.h"
#include "common/error.h"
#include "common/yaml.h"

namespace sp::api {
namespace {

Json load(const std::string& name) {
  std::string path = std::string(SPARKPLANE_SOURCE_DIR) + "/tests/data/manifests/" + name;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto docs = parse_yaml_documents(text.str(), path);
  EXPECT_EQ(docs.size(), 1u);
  return docs.at(0);
}

// Key order is not part of the contract: compare as unordered JSON.
nlohmann::json unordered(const Json& j) { return nlohmann::json::parse(j.dump()); }

std::string parse_error(const Json& spec) {
  try {
    spark_application_spec_from_json(spec);
  } catch (const Invalid& e) {
    return e.what();
  }
  return "no error";
}

TEST(ApiJson, FullSparkApplicationRoundTrips) {
  Json doc = load("full-sparkapplication.yaml");
  SparkApplication app = spark_application_from_json(doc);
  EXPECT_EQ(unordered(to_json(app)), unordered(doc));
  // Parsing what we wrote gives the same again.
  EXPECT_EQ(unordered(to_json(spark_application_from_json(to_json(app)))), unordered(doc));
}

TEST(ApiJson, FullSparkApplicationTypedView) {
  SparkApplication app = spark_application_from_json(load("full-sparkapplication.yaml"));
  const auto& s = app.spec;
  EXPECT_EQ(app.metadata.name, "spark-pi-full");
  EXPECT_EQ(app.metadata.namespace_, "analytics");
  EXPECT_EQ(s.type, "Scala");
  EXPECT_EQ(s.spark_version, "3.5.1");
  EXPECT_EQ(s.mode, "cluster");
  EXPECT_EQ(s.proxy_user, "alice");
  EXPECT_EQ(s.image_pull_secrets, std::vector<std::string>{"regcred"});
  EXPECT_EQ(s.main_class, "org.apache.spark.examples.SparkPi");
  EXPECT_EQ(s.arguments, std::vector<std::string>{"1000"});
  EXPECT_EQ(s.spark_conf.at("spark.eventLog.enabled"), "true");
  EXPECT_EQ(s.hadoop_conf.at("fs.s3a.path.style.access"), "true");
  EXPECT_EQ(s.spark_config_map, "spark-conf");
  EXPECT_EQ(s.hadoop_config_map, "hadoop-conf");
  EXPECT_TRUE(s.volumes.is_array());
  // driver
  EXPECT_EQ(s.driver.template_["metadata"]["labels"]["from-template"], "yes");
  EXPECT_EQ(s.driver.cores, 1);
  EXPECT_EQ(s.driver.core_limit, "1200m");
  EXPECT_EQ(s.driver.core_request, "500m");
  EXPECT_EQ(s.driver.memory, "512m");
  EXPECT_EQ(s.driver.memory_overhead, "384m");
  ASSERT_TRUE(s.driver.gpu);
  EXPECT_EQ(s.driver.gpu->name, "nvidia.com/gpu");
  EXPECT_EQ(s.driver.gpu->quantity, 1);
  ASSERT_EQ(s.driver.config_maps.size(), 1u);
  EXPECT_EQ(s.driver.config_maps[0].path, "/etc/app");
  ASSERT_EQ(s.driver.secrets.size(), 1u);
  EXPECT_EQ(s.driver.secrets[0].secret_type, "GCPServiceAccount");
  EXPECT_EQ(s.driver.env[0]["name"], "LOG_LEVEL");
  EXPECT_EQ(s.driver.env_vars.at("MODE"), "batch");
  EXPECT_TRUE(s.driver.env_from.is_array());
  EXPECT_EQ(s.driver.env_secret_key_refs.at("DB_PASSWORD").key, "password");
  EXPECT_EQ(s.driver.labels.at("version"), "3.5.1");
  EXPECT_EQ(s.driver.annotations.at("prometheus.io/scrape"), "false");
  EXPECT_TRUE(s.driver.volume_mounts.is_array());
  EXPECT_TRUE(s.driver.affinity.contains("nodeAffinity"));
  EXPECT_EQ(s.driver.tolerations[0]["key"], "dedicated");
  EXPECT_EQ(s.driver.pod_security_context["runAsUser"], 185);
  EXPECT_EQ(s.driver.security_context["allowPrivilegeEscalation"], false);
  EXPECT_EQ(s.driver.scheduler_name, "default-scheduler");
  EXPECT_EQ(s.driver.sidecars[0]["name"], "logshipper");
  EXPECT_EQ(s.driver.init_containers[0]["name"], "init");
  EXPECT_EQ(s.driver.host_network, false);
  EXPECT_TRUE(s.driver.dns_config.contains("nameservers"));
  EXPECT_EQ(s.driver.termination_grace_period_seconds, 30);
  EXPECT_EQ(s.driver.service_account, "spark");
  EXPECT_EQ(s.driver.host_aliases[0]["ip"], "10.0.0.5");
  EXPECT_EQ(s.driver.share_process_namespace, false);
  EXPECT_EQ(s.driver.pod_name, "spark-pi-full-driver");
  EXPECT_EQ(s.driver.java_options, "-Dlog4j.configuration=file:///opt/log4j.properties");
  EXPECT_TRUE(s.driver.lifecycle.contains("preStop"));
  EXPECT_EQ(s.driver.kubernetes_master, "https://kubernetes.default.svc");
  EXPECT_EQ(s.driver.service_annotations.at("svc"), "driver");
  EXPECT_EQ(s.driver.service_labels.at("svc"), "driver");
  ASSERT_EQ(s.driver.ports.size(), 1u);
  EXPECT_EQ(s.driver.ports[0].container_port, 7078);
  EXPECT_EQ(s.driver.ports[0].protocol, "TCP");
  EXPECT_EQ(s.driver.priority_class_name, "high");
  // executor
  EXPECT_EQ(s.executor.cores, 2);
  EXPECT_EQ(s.executor.instances, 3);
  EXPECT_EQ(s.executor.core_request, "1");
  EXPECT_EQ(s.executor.memory, "2g");
  EXPECT_EQ(s.executor.delete_on_termination, true);
  EXPECT_EQ(s.executor.ports[0].name, "shuffle");
  EXPECT_EQ(s.executor.priority_class_name, "low");
  EXPECT_EQ(s.executor.java_options, "-XX:+UseG1GC");
  // the rest of the spec
  EXPECT_EQ(s.deps.jars.size(), 1u);
  EXPECT_EQ(s.deps.py_files[0], "local:///opt/py/lib.zip");
  EXPECT_EQ(s.deps.exclude_packages[0], "com.amazonaws:aws-java-sdk-bundle");
  EXPECT_EQ(s.deps.repositories.size(), 1u);
  EXPECT_EQ(s.deps.archives.size(), 1u);
  EXPECT_EQ(s.restart_policy.type, "OnFailure");
  EXPECT_EQ(s.restart_policy.on_submission_failure_retries, 3);
  EXPECT_EQ(s.restart_policy.on_failure_retries, 2);
  EXPECT_EQ(s.restart_policy.on_submission_failure_retry_interval, 10);
  EXPECT_EQ(s.restart_policy.on_failure_retry_interval, 20);
  EXPECT_EQ(s.failure_retries, 1);
  EXPECT_EQ(s.retry_interval, 5);
  EXPECT_EQ(s.python_version, "3");
  EXPECT_EQ(s.memory_overhead_factor, "0.2");
  ASSERT_TRUE(s.monitoring && s.monitoring->prometheus);
  EXPECT_TRUE(s.monitoring->expose_driver_metrics);
  EXPECT_EQ(s.monitoring->metrics_properties_file, "/etc/metrics/conf/metrics.properties");
  EXPECT_EQ(s.monitoring->prometheus->port, 8090);
  EXPECT_EQ(s.monitoring->prometheus->configuration, "rules: []");
  EXPECT_EQ(s.batch_scheduler, "volcano");
  EXPECT_EQ(s.time_to_live_seconds, 3600);
  ASSERT_TRUE(s.batch_scheduler_options);
  EXPECT_EQ(s.batch_scheduler_options->queue, "default");
  EXPECT_EQ(s.batch_scheduler_options->resources["memory"], "8Gi");
  ASSERT_TRUE(s.spark_ui_options);
  EXPECT_EQ(s.spark_ui_options->service_port, 4040);
  EXPECT_EQ(s.spark_ui_options->ingress_tls[0]["secretName"], "spark-tls");
  ASSERT_EQ(s.driver_ingress_options.size(), 1u);
  EXPECT_EQ(s.driver_ingress_options[0].ingress_url_format, "{{$appName}}.example.com");
  EXPECT_EQ(s.driver_ingress_options[0].service_port_name, "http");
  ASSERT_TRUE(s.dynamic_allocation);
  EXPECT_EQ(s.dynamic_allocation->max_executors, 5);
  EXPECT_EQ(s.dynamic_allocation->shuffle_tracking_timeout, 60000);
  EXPECT_EQ(s.dynamic_allocation->shuffle_tracking_enabled, true);
  EXPECT_EQ(s.suspend, false);
  EXPECT_EQ(s.managed_by, "sparkplane");
  // status
  EXPECT_EQ(app.status.app_state.state, AppState::kCompleted);
  EXPECT_EQ(app.status.submission_id, "7f1c2f0e-3b9a-4c55-9d1e-0a2b3c4d5e6f");
  EXPECT_EQ(app.status.driver_info.web_ui_port, 4040);
  EXPECT_EQ(app.status.executor_state.size(), 2u);
  EXPECT_EQ(app.status.execution_attempts, 1);
}

TEST(ApiJson, SpecIsStoredAsWrittenIncludingUnknownFields) {
  Json doc = {{"apiVersion", kApiVersion},
              {"kind", kSparkApplicationKind},
              {"metadata", {{"name", "a"}}},
              {"spec", {{"type", "Python"}, {"futureField", {{"x", 1}}}}}};
  SparkApplication app = spark_application_from_json(doc);
  EXPECT_EQ(to_json(app)["spec"], doc["spec"]);
  EXPECT_FALSE(to_json(app).contains("status"));  // an empty status is left out
}

TEST(ApiJson, WrongTypesNameTheFieldPath) {
  EXPECT_EQ(parse_error({{"driver", {{"cores", "two"}}}}),
            "spec.driver.cores: must be an integer, got string \"two\"");
  EXPECT_EQ(parse_error({{"executor", {{"instances", 1.5}}}}),
            "spec.executor.instances: must be an integer, got number 1.5");
  EXPECT_EQ(parse_error({{"executor", {{"instances", 3000000000LL}}}}),
            "spec.executor.instances: must be a 32-bit integer, got number 3000000000");
  EXPECT_EQ(parse_error({{"type", 3}}), "spec.type: must be a string, got number 3");
  EXPECT_EQ(parse_error({{"arguments", "a b"}}),
            "spec.arguments: must be an array of strings, got string \"a b\"");
  EXPECT_EQ(parse_error({{"arguments", Json::array({"a", 1})}}),
            "spec.arguments[1]: must be a string, got number 1");
  EXPECT_EQ(parse_error({{"sparkConf", {{"spark.x", 1}}}}),
            "spec.sparkConf.spark.x: must be a string, got number 1");
  EXPECT_EQ(parse_error({{"driver", {{"ports", {{{"containerPort", "80"}}}}}}}),
            "spec.driver.ports[0].containerPort: must be an integer, got string \"80\"");
  EXPECT_EQ(parse_error({{"suspend", "yes"}}),
            "spec.suspend: must be a boolean, got string \"yes\"");
  EXPECT_EQ(parse_error({{"driver", "big"}}), "spec.driver: must be an object, got string \"big\"");
  EXPECT_EQ(parse_error({{"volumes", {{"name", "x"}}}}),
            "spec.volumes: must be an array, got object");
  EXPECT_EQ(parse_error({{"dynamicAllocation", {{"enabled", "true"}}}}),
            "spec.dynamicAllocation.enabled: must be a boolean, got string \"true\"");
  EXPECT_EQ(parse_error({{"driver", {{"envSecretKeyRefs", {{"A", {{"key", 1}}}}}}}}),
            "spec.driver.envSecretKeyRefs.A.key: must be a string, got number 1");
}

TEST(ApiJson, NullMeansNotSet) {
  SparkApplicationSpec s = spark_application_spec_from_json(
      {{"driver", {{"cores", nullptr}}}, {"monitoring", nullptr}, {"mainClass", nullptr}});
  EXPECT_FALSE(s.driver.cores);
  EXPECT_FALSE(s.monitoring);
  EXPECT_FALSE(s.main_class);
}

TEST(ApiJson, StatusOmitsEmptyFieldsLikeGo) {
  SparkApplicationStatus st;
  EXPECT_EQ(status_to_json(st), Json::object());
  st.app_state.state = AppState::kNew;
  st.submission_attempts = 1;
  Json j = status_to_json(st);
  EXPECT_EQ(j["applicationState"], Json({{"state", ""}}));
  EXPECT_EQ(j["driverInfo"], Json::object());
  EXPECT_EQ(j["submissionAttempts"], 1);
  EXPECT_FALSE(j.contains("executionAttempts"));
  EXPECT_FALSE(j.contains("terminationTime"));
  EXPECT_FALSE(j.contains("executorState"));
  EXPECT_FALSE(j.contains("sparkApplicationId"));
}

TEST(ApiJson, StatusRoundTrips) {
  SparkApplicationStatus st;
  st.spark_application_id = "spark-1";
  st.submission_id = "id";
  st.last_submission_attempt_time = "2024-01-01T00:00:00Z";
  st.driver_info.pod_name = "a-driver";
  st.driver_info.web_ui_port = 4040;
  st.app_state = {AppState::kFailing, "driver container failed with ExitCode: 1, Reason: Error"};
  st.executor_state["a-exec-1"] = "FAILED";
  st.execution_attempts = 2;
  st.submission_attempts = 2;
  Json j = status_to_json(st);
  EXPECT_EQ(j["applicationState"]["state"], "FAILING");
  EXPECT_EQ(j["submissionID"], "id");
  EXPECT_EQ(j["driverInfo"]["webUIPort"], 4040);
  EXPECT_EQ(status_to_json(status_from_json(j)), j);
}

TEST(ApiJson, StatusTypeErrorsNameThePath) {
  try {
    status_from_json({{"executionAttempts", "1"}});
    FAIL();
  } catch (const Invalid& e) {
    EXPECT_STREQ(e.what(), "status.executionAttempts: must be an integer, got string \"1\"");
  }
}

TEST(ApiJson, FullScheduledSparkApplicationRoundTrips) {
  Json doc = load("full-scheduledsparkapplication.yaml");
  ScheduledSparkApplication app = scheduled_spark_application_from_json(doc);
  EXPECT_EQ(unordered(to_json(app)), unordered(doc));
  EXPECT_EQ(app.spec.schedule, "0 3 * * *");
  EXPECT_EQ(app.spec.time_zone, "Europe/Paris");
  EXPECT_EQ(app.spec.suspend, false);
  EXPECT_EQ(app.spec.concurrency_policy, "Forbid");
  EXPECT_EQ(app.spec.successful_run_history_limit, 3);
  EXPECT_EQ(app.spec.failed_run_history_limit, 2);
  EXPECT_EQ(app.spec.template_raw["type"], "Python");
  EXPECT_EQ(app.status.schedule_state, "Scheduled");
  EXPECT_EQ(app.status.past_failed_run_names.size(), 1u);
  EXPECT_EQ(app.status.next_run, "2024-05-02T03:00:00Z");
  EXPECT_EQ(status_to_json(scheduled_status_from_json(doc["status"])), doc["status"]);
}

TEST(ApiJson, ScheduledTemplateTypesAreChecked) {
  Json doc = {{"metadata", {{"name", "s"}}},
              {"spec", {{"schedule", "@hourly"}, {"template", {{"driver", {{"cores", "1"}}}}}}}};
  try {
    scheduled_spark_application_from_json(doc);
    FAIL();
  } catch (const Invalid& e) {
    EXPECT_STREQ(e.what(), "spec.template.driver.cores: must be an integer, got string \"1\"");
  }
}

TEST(ApiJson, ScheduledStatusOmitsEmptyFields) {
  EXPECT_EQ(status_to_json(ScheduledSparkApplicationStatus{}), Json::object());
}

}  // namespace
}  // namespace sp::api
