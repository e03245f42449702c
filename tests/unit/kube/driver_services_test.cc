// The driver's Services and Ingresses: Spark's headless Service, the operator's Spark UI Service
// and Ingress, and the Services and Ingresses of driverIngressOptions.
#include <gtest/gtest.h>

#include "driver_test_util.h"

namespace sp::kube {
namespace {

using testing::build;
using testing::scala_spec;

TEST(DriverServices, HeadlessServiceSelectsTheDriver) {
  auto r =
      build(scala_spec("  sparkConf:\n    spark.ui.port: \"4041\"\n"
                       "  driver:\n    labels: {tier: gold}\n    serviceLabels: {s: l}\n"
                       "    serviceAnnotations: {s: a}\n"));
  const Json& svc = r.service;
  EXPECT_EQ(svc["metadata"]["name"], r.service_name);
  EXPECT_EQ(svc["metadata"]["namespace"], "ns");
  EXPECT_EQ(svc["metadata"]["labels"],
            Json::parse(R"({"s": "l", "spark-app-selector": ")" + r.app_id + R"("})"));
  EXPECT_EQ(svc["metadata"]["annotations"], Json::parse(R"({"s": "a"})"));
  EXPECT_EQ(svc["spec"]["clusterIP"], "None");
  EXPECT_EQ(svc["spec"]["ipFamilyPolicy"], "SingleStack");
  EXPECT_EQ(svc["spec"]["ipFamilies"], Json::parse(R"(["IPv4"])"));
  EXPECT_EQ(svc["spec"]["ports"], Json::parse(R"([
      {"name": "driver-rpc-port", "port": 7078, "targetPort": 7078},
      {"name": "blockmanager", "port": 7079, "targetPort": 7079},
      {"name": "spark-ui", "port": 4041, "targetPort": 4041},
      {"name": "spark-connect", "port": 15002, "targetPort": 15002}])"));
  // The selector is Spark's driver labels, which the pod carries.
  const Json& selector = svc["spec"]["selector"];
  EXPECT_EQ(selector["spark-role"], "driver");
  EXPECT_EQ(selector["tier"], "gold");
  EXPECT_EQ(selector["sparkoperator.k8s.io/submission-id"], "sub-1");
  for (const auto& [k, v] : selector.items()) {
    EXPECT_EQ(r.driver_pod["metadata"]["labels"][k], v) << k;
  }
}

TEST(DriverServices, PortsFromTheConf) {
  auto r =
      build(scala_spec("  sparkConf:\n    spark.driver.port: \"7001\"\n"
                       "    spark.blockManager.port: \"7002\"\n"
                       "    spark.connect.grpc.binding.port: \"15003\"\n"));
  // Spark's Service step reads only spark.driver.blockManager.port; its pod step falls back to
  // spark.blockManager.port.
  EXPECT_EQ(r.service["spec"]["ports"][0]["port"], 7001);
  EXPECT_EQ(r.service["spec"]["ports"][1]["port"], 7079);
  EXPECT_EQ(r.service["spec"]["ports"][3]["port"], 15003);
  EXPECT_EQ(r.spark_properties.at("spark.driver.blockManager.port"), "7079");
  const Json& ports = testing::driver_container(r)["ports"];
  EXPECT_EQ(ports[0]["containerPort"], 7001);
  EXPECT_EQ(ports[1]["containerPort"], 7002);
  EXPECT_EQ(ports[3]["containerPort"], 15003);
}

TEST(DriverServices, UiServiceByDefault) {
  auto r = build(scala_spec());
  const Json& svc = r.ui_service;
  EXPECT_EQ(r.ui_service_name, "app-ui-svc");
  EXPECT_EQ(r.ui_service_port, 4040);
  EXPECT_EQ(svc["metadata"]["labels"], Json::parse(R"({"sparkoperator.k8s.io/app-name": "app",
      "sparkoperator.k8s.io/submission-id": "sub-1"})"));
  EXPECT_EQ(svc["metadata"]["ownerReferences"][0]["kind"], "SparkApplication");
  EXPECT_EQ(svc["spec"], Json::parse(R"({"ports": [{"name": "spark-driver-ui-port", "port": 4040,
      "targetPort": 4040}], "selector": {"sparkoperator.k8s.io/app-name": "app",
      "spark-role": "driver"}, "type": "ClusterIP"})"));
  EXPECT_TRUE(r.ui_ingress.is_null());

  DriverOptions off;
  off.enable_ui_service = false;
  auto none = build(scala_spec(), off);
  EXPECT_TRUE(none.ui_service.is_null());
  EXPECT_TRUE(none.ui_service_name.empty());
}

TEST(DriverServices, UiServiceOptions) {
  auto r =
      build(scala_spec("  sparkConf:\n    spark.ui.port: \"4041\"\n"
                       "  sparkUIOptions:\n    servicePort: 80\n    servicePortName: http\n"
                       "    serviceType: NodePort\n    serviceLabels: {ui: \"yes\"}\n"
                       "    serviceAnnotations: {a: b}\n"));
  const Json& svc = r.ui_service;
  EXPECT_EQ(svc["metadata"]["labels"], Json::parse(R"({"ui": "yes"})"));  // replaces the default
  EXPECT_EQ(svc["metadata"]["annotations"], Json::parse(R"({"a": "b"})"));
  EXPECT_EQ(svc["spec"]["ports"],
            Json::parse(R"([{"name": "http", "port": 80, "targetPort": 4041}])"));
  EXPECT_EQ(svc["spec"]["type"], "NodePort");
  // Without sparkUIOptions the service port follows spark.ui.port.
  auto plain = build(scala_spec("  sparkConf:\n    spark.ui.port: \"4041\"\n"));
  EXPECT_EQ(plain.ui_service_port, 4041);
}

TEST(DriverServices, UiIngress) {
  DriverOptions opts;
  opts.ingress_url_format = "{{$appName}}.{{ $appNamespace }}.example.com/ui";
  opts.ingress_class_name = "nginx";
  auto r = build(scala_spec("  sparkUIOptions:\n    ingressAnnotations: {x: y}\n"
                            "    ingressTLS: [{hosts: [app.ns.example.com], secretName: tls}]\n"),
                 opts);
  EXPECT_EQ(r.ui_ingress_name, "app-ui-ingress");
  EXPECT_EQ(r.ui_ingress_url, "http://app.ns.example.com/ui");
  const Json& ing = r.ui_ingress;
  EXPECT_EQ(ing["apiVersion"], "networking.k8s.io/v1");
  EXPECT_EQ(ing["metadata"]["annotations"],
            Json::parse(R"({"x": "y", "nginx.ingress.kubernetes.io/rewrite-target": "/$2"})"));
  EXPECT_EQ(ing["spec"], Json::parse(R"js({"rules": [{"host": "app.ns.example.com", "http":
      {"paths": [{"backend": {"service": {"name": "app-ui-svc", "port": {"number": 4040}}},
      "path": "/ui(/|$)(.*)", "pathType": "ImplementationSpecific"}]}}],
      "tls": [{"hosts": ["app.ns.example.com"], "secretName": "tls"}],
      "ingressClassName": "nginx"})js"));
  // A host without a path: no rewrite.
  opts.ingress_url_format = "https://{{$appName}}.example.com";
  auto host = build(scala_spec(), opts);
  EXPECT_EQ(host.ui_ingress_url, "https://app.example.com");
  EXPECT_FALSE(host.ui_ingress["metadata"].contains("annotations"));
  EXPECT_EQ(host.ui_ingress["spec"]["rules"][0]["http"]["paths"][0]["path"], "");
}

TEST(DriverServices, DriverIngressOptions) {
  auto r = build(scala_spec(
      "  driverIngressOptions:\n"
      "    - servicePort: 8080\n      servicePortName: http\n"
      "      ingressURLFormat: \"{{$appName}}-api.example.com\"\n"
      "      ingressAnnotations: {k: v}\n"
      "    - servicePort: 9090\n      servicePortName: grpc\n      serviceType: NodePort\n"
      "      ingressURLFormat: \"{{$appName}}.example.com/grpc\"\n"));
  ASSERT_EQ(r.ingress_services.size(), 2u);
  ASSERT_EQ(r.ingresses.size(), 2u);
  EXPECT_EQ(r.ingresses[1]["metadata"]["name"], "app-ing-9090");
  EXPECT_EQ(r.ingresses[1]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/rewrite-target"],
            "/$2");
  const Json& svc = r.ingress_services[0];
  EXPECT_EQ(svc["metadata"]["name"], "app-driver-8080");
  EXPECT_EQ(svc["spec"]["ports"],
            Json::parse(R"([{"name": "http", "port": 8080, "targetPort": 8080}])"));
  EXPECT_EQ(r.ingress_services[1]["spec"]["type"], "NodePort");
  const Json& ing = r.ingresses[0];
  EXPECT_EQ(ing["metadata"]["name"], "app-ing-8080");
  EXPECT_EQ(ing["metadata"]["annotations"], Json::parse(R"({"k": "v"})"));
  EXPECT_EQ(ing["spec"]["rules"][0]["host"], "app-api.example.com");
  EXPECT_EQ(ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"],
            "app-driver-8080");
}

}  // namespace
}  // namespace sp::kube
