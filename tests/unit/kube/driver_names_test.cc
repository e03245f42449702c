// Names and ids of a submission's objects: Spark's sanitizing rules, Kubernetes length limits,
// and determinism (the same submission, the same names; another submission, other names).
#include <gtest/gtest.h>

#include "driver_test_util.h"
#include "runtime/kube/driver_names.h"

namespace sp::kube {
namespace {

using testing::app_from;
using testing::build;
using testing::scala_spec;

TEST(DriverNames, ResourcePrefixSanitizesLikeSpark) {
  EXPECT_EQ(resource_name_prefix("spark-pi", "0123456789abcdef"), "spark-pi-0123456789abcdef");
  EXPECT_EQ(resource_name_prefix("My_App  2", "ab"), "my-app-2-ab");
  EXPECT_EQ(resource_name_prefix("-lead", "ab"), "lead-ab");
  EXPECT_EQ(resource_name_prefix("9lives", "ab"), "xlives-ab");
}

TEST(DriverNames, AppNameLabelIsAValidLabel) {
  EXPECT_EQ(app_name_label("Spark Pi!"), "spark-pi");
  std::string long_name(80, 'a');
  EXPECT_EQ(app_name_label(long_name).size(), 63u);
  EXPECT_EQ(app_name_label(std::string(62, 'a') + "_b"), std::string(62, 'a'));
}

TEST(DriverNames, ServiceNameFallsBackWhenTooLong) {
  EXPECT_EQ(driver_service_name("app-0123456789abcdef", "fedcba9876543210"),
            "app-0123456789abcdef-driver-svc");
  std::string prefix(60, 'a');
  std::string name = driver_service_name(prefix, "fedcba9876543210");
  EXPECT_EQ(name, "spark-fedcba9876543210-driver-svc");
  EXPECT_LE(name.size(), kMaxDnsLabel);
}

TEST(DriverNames, DriverPodNameAsTheOperatorPicksIt) {
  EXPECT_EQ(driver_pod_name(app_from(scala_spec())), "app-driver");
  EXPECT_EQ(driver_pod_name(app_from(scala_spec("  driver:\n    podName: custom-pod\n"))),
            "custom-pod");
  EXPECT_EQ(driver_pod_name(app_from(
                scala_spec("  sparkConf:\n    spark.kubernetes.driver.pod.name: from-conf\n"))),
            "from-conf");
}

TEST(DriverNames, KubeflowNameHashesLongNames) {
  EXPECT_EQ(kubeflow_name("app", "ui-svc"), "app-ui-svc");
  std::string name(70, 'x');
  std::string n = kubeflow_name(name, "ui-svc");
  EXPECT_EQ(n.size(), 63u);
  EXPECT_TRUE(n.ends_with("-ui-svc"));
  // 63 - len("ui-svc") - 10 characters of the name, then 8 hex digits of the MD5.
  EXPECT_EQ(n.substr(0, 47), std::string(47, 'x'));
  EXPECT_EQ(n[47], '-');
  EXPECT_EQ(n.substr(48, 8).find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(DriverNames, SameSubmissionSameNames) {
  auto a = build(scala_spec(), {}, "sub-1");
  auto b = build(scala_spec(), {}, "sub-1");
  EXPECT_EQ(a.app_id, b.app_id);
  EXPECT_EQ(a.service_name, b.service_name);
  EXPECT_EQ(a.config_map["metadata"]["name"], b.config_map["metadata"]["name"]);
  auto objects_a = a.objects(), objects_b = b.objects();
  ASSERT_EQ(objects_a.size(), objects_b.size());
  for (size_t i = 0; i < objects_a.size(); ++i) EXPECT_EQ(objects_a[i].dump(), objects_b[i].dump());
}

TEST(DriverNames, AnotherSubmissionOtherNames) {
  auto a = build(scala_spec(), {}, "sub-1");
  auto b = build(scala_spec(), {}, "sub-2");
  EXPECT_NE(a.app_id, b.app_id);
  EXPECT_NE(a.service_name, b.service_name);
  EXPECT_NE(a.config_map["metadata"]["name"], b.config_map["metadata"]["name"]);
  EXPECT_EQ(a.driver_pod_name, b.driver_pod_name);  // the operator's fixed name
}

TEST(DriverNames, IdsHaveSparksShapes) {
  auto r = build(scala_spec());
  EXPECT_TRUE(r.app_id.starts_with("spark-"));
  EXPECT_EQ(r.app_id.size(), 6u + 32u);
  std::string cm = r.config_map["metadata"]["name"];
  EXPECT_TRUE(cm.starts_with("spark-drv-") && cm.ends_with("-conf-map")) << cm;
  EXPECT_EQ(cm.size(), std::string("spark-drv--conf-map").size() + 16);
  EXPECT_TRUE(r.service_name.starts_with("app-") && r.service_name.ends_with("-driver-svc"));
}

TEST(DriverNames, LongAppNameKeepsServiceWithinLimits) {
  std::string name(60, 'n');
  auto r = build_driver_resources(app_from(scala_spec(), name), "sub-1", {});
  EXPECT_LE(r.service_name.size(), kMaxDnsLabel);
  EXPECT_TRUE(r.service_name.starts_with("spark-"));
  EXPECT_EQ(r.spark_properties.at("spark.driver.host"), r.service_name + ".ns.svc");
  EXPECT_LE(r.ui_service_name.size(), kMaxDnsLabel);
}

}  // namespace
}  // namespace sp::kube
