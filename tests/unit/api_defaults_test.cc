// Tests of the Kubeflow defaults for SparkApplication and ScheduledSparkApplication specs.
#include <gtest/gtest.h>

#include "api/defaults.h"

namespace sp::api {
namespace {

TEST(ApiDefaults, EmptySpecGetsKubeflowDefaults) {
  SparkApplicationSpec s = with_defaults(SparkApplicationSpec{});
  EXPECT_EQ(s.type, "Scala");
  EXPECT_EQ(s.mode, "cluster");
  EXPECT_EQ(s.restart_policy.type, "Never");
  EXPECT_FALSE(s.restart_policy.on_failure_retry_interval);  // only for other policies
  EXPECT_FALSE(s.restart_policy.on_submission_failure_retry_interval);
  EXPECT_EQ(s.driver.cores, 1);
  EXPECT_EQ(s.driver.memory, "1g");
  EXPECT_EQ(s.executor.cores, 1);
  EXPECT_EQ(s.executor.memory, "1g");
  EXPECT_EQ(s.executor.instances, 1);
  EXPECT_FALSE(s.dynamic_allocation);
}

TEST(ApiDefaults, SetValuesAreKept) {
  SparkApplicationSpec in;
  in.type = "Python";
  in.mode = "client";
  in.driver.cores = 4;
  in.driver.memory = "8g";
  in.executor.instances = 7;
  in.restart_policy.type = "OnFailure";
  in.restart_policy.on_failure_retry_interval = 30;
  SparkApplicationSpec s = with_defaults(in);
  EXPECT_EQ(s.type, "Python");
  EXPECT_EQ(s.mode, "client");
  EXPECT_EQ(s.driver.cores, 4);
  EXPECT_EQ(s.driver.memory, "8g");
  EXPECT_EQ(s.executor.instances, 7);
  EXPECT_EQ(s.restart_policy.on_failure_retry_interval, 30);
  EXPECT_EQ(s.restart_policy.on_submission_failure_retry_interval, 5);
}

TEST(ApiDefaults, RetryIntervalsDefaultToFiveSecondsUnlessNever) {
  SparkApplicationSpec in;
  in.restart_policy.type = "Always";
  SparkApplicationSpec s = with_defaults(in);
  EXPECT_EQ(s.restart_policy.on_failure_retry_interval, 5);
  EXPECT_EQ(s.restart_policy.on_submission_failure_retry_interval, 5);
  EXPECT_FALSE(s.restart_policy.on_failure_retries);  // retries get no default
}

TEST(ApiDefaults, SparkConfKeysSuppressPodDefaults) {
  SparkApplicationSpec in;
  in.spark_conf = {{"spark.driver.cores", "2"},
                   {"spark.driver.memory", "4g"},
                   {"spark.executor.cores", "3"},
                   {"spark.executor.memory", "6g"},
                   {"spark.executor.instances", "9"}};
  SparkApplicationSpec s = with_defaults(in);
  EXPECT_FALSE(s.driver.cores);
  EXPECT_FALSE(s.driver.memory);
  EXPECT_FALSE(s.executor.cores);
  EXPECT_FALSE(s.executor.memory);
  EXPECT_FALSE(s.executor.instances);
}

TEST(ApiDefaults, NoInstancesDefaultWithDynamicAllocation) {
  SparkApplicationSpec in;
  in.dynamic_allocation.emplace().enabled = true;
  SparkApplicationSpec s = with_defaults(in);
  EXPECT_FALSE(s.executor.instances);
  EXPECT_EQ(s.dynamic_allocation->shuffle_tracking_enabled, true);

  SparkApplicationSpec conf;
  conf.spark_conf["spark.dynamicAllocation.enabled"] = "true";
  EXPECT_FALSE(with_defaults(conf).executor.instances);
  conf.spark_conf["spark.dynamicAllocation.enabled"] = "false";
  EXPECT_EQ(with_defaults(conf).executor.instances, 1);
  SparkApplicationSpec lower;
  lower.spark_conf["spark.dynamicallocation.enabled"] = "true";
  EXPECT_FALSE(with_defaults(lower).executor.instances);
}

TEST(ApiDefaults, ShuffleTrackingIsLeftAloneWhenSetOrDisabled) {
  SparkApplicationSpec in;
  auto& da = in.dynamic_allocation.emplace();
  da.enabled = true;
  da.shuffle_tracking_enabled = false;
  EXPECT_EQ(with_defaults(in).dynamic_allocation->shuffle_tracking_enabled, false);
  da.enabled = false;
  da.shuffle_tracking_enabled.reset();
  EXPECT_FALSE(with_defaults(in).dynamic_allocation->shuffle_tracking_enabled);
}

TEST(ApiDefaults, ScheduledSpecDefaults) {
  ScheduledSparkApplicationSpec s = with_defaults(ScheduledSparkApplicationSpec{});
  EXPECT_EQ(s.concurrency_policy, "Allow");
  EXPECT_EQ(s.successful_run_history_limit, 1);
  EXPECT_EQ(s.failed_run_history_limit, 1);
  ScheduledSparkApplicationSpec in;
  in.concurrency_policy = "Forbid";
  in.successful_run_history_limit = 0;
  in.failed_run_history_limit = 4;
  s = with_defaults(in);
  EXPECT_EQ(s.concurrency_policy, "Forbid");
  EXPECT_EQ(s.successful_run_history_limit, 0);
  EXPECT_EQ(s.failed_run_history_limit, 4);
}

}  // namespace
}  // namespace sp::api
