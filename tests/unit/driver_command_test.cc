// Tests for the local driver's spark-submit command builder and Spark environment discovery.
#include "runtime/local/driver_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "runtime/local/spark_env.h"

namespace sp::local {
namespace {

namespace fs = std::filesystem;

// "--conf" values of argv, in order.
std::vector<std::string> confs(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == "--conf") out.push_back(argv[++i]);
  }
  return out;
}

// The value after `flag`, or "<absent>".
std::string flag_value(const std::vector<std::string>& argv, const std::string& flag) {
  auto it = std::find(argv.begin(), argv.end(), flag);
  if (it == argv.end() || it + 1 == argv.end()) return "<absent>";
  return *(it + 1);
}

bool has_conf(const std::vector<std::string>& argv, const std::string& kv) {
  auto c = confs(argv);
  return std::find(c.begin(), c.end(), kv) != c.end();
}

api::SparkApplication full_app() {
  api::SparkApplication app;
  app.metadata.name = "spark-pi";
  app.metadata.namespace_ = "team-a";
  auto& s = app.spec;
  s.type = "Scala";
  s.mode = "cluster";
  s.main_class = "org.apache.spark.examples.SparkPi";
  s.main_application_file = "local:///opt/app/spark-examples.jar";
  s.arguments = {"1000", "--verbose"};
  s.proxy_user = "alice";
  s.spark_conf = {{"spark.sql.shuffle.partitions", "8"},
                  {"spark.hadoop.fs.s3a.secret.key", "hunter2"}};
  s.hadoop_conf = {{"fs.s3a.endpoint", "http://minio:9000"}};
  s.driver.cores = 2;
  s.driver.memory = "1g";
  s.driver.java_options = "-Dlog4j.debug=true";
  s.driver.env_vars = {{"FOO", "bar"}};
  s.driver.env = Json::parse(R"([{"name":"LITERAL","value":"x"},
                                  {"name":"FROM_SECRET","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}])");
  s.executor.instances = 2;
  s.executor.cores = 3;
  s.executor.memory = "2g";
  s.deps.jars = {"a.jar", "b.jar"};
  s.deps.files = {"f1"};
  s.deps.py_files = {"p.py", "q.zip"};
  s.deps.packages = {"org.x:y:1"};
  s.deps.exclude_packages = {"org.z:w"};
  s.deps.repositories = {"https://repo"};
  s.deps.archives = {"arch.tgz#env"};
  return app;
}

DriverCommandOptions options() {
  DriverCommandOptions o;
  o.spark_submit = "/spark/bin/spark-submit";
  o.spark_home = "/spark";
  o.python = "/venv/bin/python";
  o.java_home = "/jvm/17";
  o.event_log_dir = "/var/ev";
  o.working_dir = "/srv/app";
  o.submission_id = "sub-1";
  o.hardware_threads = 16;
  return o;
}

TEST(DriverCommand, FullSpec) {
  DriverCommand cmd = build_driver_command(full_app(), options());
  const auto& a = cmd.argv;
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a[0], "/spark/bin/spark-submit");
  EXPECT_EQ(flag_value(a, "--master"), "local[6]");
  EXPECT_EQ(cmd.local_threads, 6);
  EXPECT_EQ(flag_value(a, "--deploy-mode"), "client");
  EXPECT_EQ(flag_value(a, "--name"), "spark-pi");
  EXPECT_EQ(flag_value(a, "--class"), "org.apache.spark.examples.SparkPi");
  EXPECT_EQ(flag_value(a, "--proxy-user"), "alice");
  EXPECT_EQ(flag_value(a, "--driver-memory"), "1g");
  EXPECT_EQ(flag_value(a, "--jars"), "a.jar,b.jar");
  EXPECT_EQ(flag_value(a, "--files"), "f1");
  EXPECT_EQ(flag_value(a, "--py-files"), "p.py,q.zip");
  EXPECT_EQ(flag_value(a, "--packages"), "org.x:y:1");
  EXPECT_EQ(flag_value(a, "--exclude-packages"), "org.z:w");
  EXPECT_EQ(flag_value(a, "--repositories"), "https://repo");
  EXPECT_EQ(flag_value(a, "--archives"), "arch.tgz#env");
  EXPECT_TRUE(has_conf(a, "spark.sql.shuffle.partitions=8"));
  EXPECT_TRUE(has_conf(a, "spark.hadoop.fs.s3a.secret.key=hunter2"));
  EXPECT_TRUE(has_conf(a, "spark.hadoop.fs.s3a.endpoint=http://minio:9000"));
  EXPECT_TRUE(has_conf(a, "spark.driver.cores=2"));
  EXPECT_TRUE(has_conf(a, "spark.driver.extraJavaOptions=-Dlog4j.debug=true"));
  EXPECT_TRUE(has_conf(a, "spark.executor.memory=2g"));
  EXPECT_TRUE(has_conf(a, "spark.executor.cores=3"));
  EXPECT_TRUE(has_conf(a, "spark.eventLog.enabled=true"));
  EXPECT_TRUE(has_conf(a, "spark.eventLog.dir=file:/var/ev"));
  EXPECT_TRUE(has_conf(a, "spark.sparkplane.submissionId=sub-1"));
  EXPECT_TRUE(has_conf(a, "spark.sparkplane.app=team-a/spark-pi"));
  // main file (local:// stripped), then the arguments, at the end.
  ASSERT_GE(a.size(), 3u);
  EXPECT_EQ(a[a.size() - 3], "/opt/app/spark-examples.jar");
  EXPECT_EQ(a[a.size() - 2], "1000");
  EXPECT_EQ(a[a.size() - 1], "--verbose");
  EXPECT_EQ(cmd.main_file, "/opt/app/spark-examples.jar");

  EXPECT_EQ(cmd.env.at("SPARK_HOME"), "/spark");
  EXPECT_EQ(cmd.env.at("PYSPARK_PYTHON"), "/venv/bin/python");
  EXPECT_EQ(cmd.env.at("JAVA_HOME"), "/jvm/17");
  EXPECT_EQ(cmd.env.at("FOO"), "bar");
  EXPECT_EQ(cmd.env.at("LITERAL"), "x");
  EXPECT_FALSE(cmd.env.contains("FROM_SECRET"));
  ASSERT_EQ(cmd.warnings.size(), 1u);
  EXPECT_NE(cmd.warnings[0].find("spec.driver.env[1] (FROM_SECRET)"), std::string::npos)
      << cmd.warnings[0];
}

TEST(DriverCommand, TypedFieldsComeAfterSparkConf) {
  auto app = full_app();
  app.spec.spark_conf["spark.driver.cores"] = "7";
  auto c = confs(build_driver_command(app, options()).argv);
  auto user = std::find(c.begin(), c.end(), "spark.driver.cores=7");
  auto typed = std::find(c.begin(), c.end(), "spark.driver.cores=2");
  ASSERT_NE(user, c.end());
  ASSERT_NE(typed, c.end());
  EXPECT_LT(user, typed);  // spark-submit keeps the last one
}

TEST(DriverCommand, PythonAppHasNoClassAndUserEventLogWins) {
  api::SparkApplication app;
  app.metadata.name = "py";
  app.metadata.namespace_ = "default";
  app.spec.type = "Python";
  app.spec.main_class = "ignored.Main";
  app.spec.main_application_file = "jobs/pi.py";
  app.spec.spark_conf = {{"spark.eventLog.enabled", "false"},
                         {"spark.eventLog.dir", "s3a://bucket/ev"}};
  auto cmd = build_driver_command(app, options());
  EXPECT_EQ(flag_value(cmd.argv, "--class"), "<absent>");
  EXPECT_EQ(flag_value(cmd.argv, "--driver-memory"), "<absent>");
  EXPECT_TRUE(has_conf(cmd.argv, "spark.eventLog.enabled=false"));
  EXPECT_FALSE(has_conf(cmd.argv, "spark.eventLog.enabled=true"));
  EXPECT_TRUE(has_conf(cmd.argv, "spark.eventLog.dir=s3a://bucket/ev"));
  EXPECT_FALSE(has_conf(cmd.argv, "spark.eventLog.dir=file:/var/ev"));
  EXPECT_EQ(cmd.argv.back(), "/srv/app/jobs/pi.py");
  EXPECT_EQ(flag_value(cmd.argv, "--master"), "local[1]");
}

TEST(DriverCommand, RemoteEventLogDirIsPassedAsIs) {
  auto o = options();
  o.event_log_dir = "s3a://logs/spark";
  EXPECT_TRUE(
      has_conf(build_driver_command(full_app(), o).argv, "spark.eventLog.dir=s3a://logs/spark"));
}

TEST(DriverCommand, LocalThreadCount) {
  api::SparkApplicationSpec s;
  EXPECT_EQ(local_thread_count(s, 8), 1);
  s.executor.instances = 2;
  s.executor.cores = 2;
  EXPECT_EQ(local_thread_count(s, 8), 4);
  EXPECT_EQ(local_thread_count(s, 3), 3);  // capped to the hardware
  s.executor.instances = 0;
  EXPECT_EQ(local_thread_count(s, 8), 1);  // at least one
  s.executor.instances = 1;
  s.dynamic_allocation = api::DynamicAllocation{};
  s.dynamic_allocation->enabled = true;
  s.dynamic_allocation->initial_executors = 3;
  EXPECT_EQ(local_thread_count(s, 64), 6);
  s.dynamic_allocation->max_executors = 5;
  EXPECT_EQ(local_thread_count(s, 64), 10);
  s.dynamic_allocation->enabled = false;
  EXPECT_EQ(local_thread_count(s, 64), 2);
  EXPECT_GE(local_thread_count(s, 0), 1);  // 0: hardware_concurrency
}

TEST(DriverCommand, MainFileResolution) {
  api::SparkApplication app;
  auto o = options();
  auto resolve = [&](const std::string& f) {
    app.spec.main_application_file = f;
    return resolve_main_file(app, o);
  };
  EXPECT_EQ(resolve("local:///opt/x.jar"), "/opt/x.jar");
  EXPECT_EQ(resolve("file:///opt/x.py"), "/opt/x.py");
  EXPECT_EQ(resolve("file:/opt/x.py"), "/opt/x.py");
  EXPECT_EQ(resolve("/abs/x.py"), "/abs/x.py");
  EXPECT_EQ(resolve("rel/../x.py"), "/srv/app/x.py");
  EXPECT_EQ(resolve("s3a://bucket/x.py"), "s3a://bucket/x.py");
  EXPECT_EQ(resolve("http://host/x.jar"), "http://host/x.jar");
  app.spec.main_application_file.reset();
  EXPECT_EQ(resolve_main_file(app, o), "");
}

TEST(DriverCommand, ImagePathsMapIntoSparkHome) {
  fs::path home = fs::temp_directory_path() / ("sp-dc-" + std::to_string(::getpid()));
  fs::create_directories(home / "examples/src/main/python");
  std::ofstream(home / "examples/src/main/python/pi.py") << "print(1)\n";
  api::SparkApplication app;
  app.spec.main_application_file = "local:///opt/spark/examples/src/main/python/pi.py";
  auto o = options();
  o.spark_home = home.string();
  EXPECT_EQ(resolve_main_file(app, o), (home / "examples/src/main/python/pi.py").string());
  EXPECT_EQ(check_main_file(app, o), std::nullopt);
  fs::remove_all(home);
}

TEST(DriverCommand, CheckMainFile) {
  api::SparkApplication app;
  auto o = options();
  EXPECT_EQ(check_main_file(app, o), std::nullopt);  // unset: left to validation
  app.spec.main_application_file = "missing/job.py";
  EXPECT_EQ(check_main_file(app, o),
            std::optional<std::string>("spec.mainApplicationFile: file not found: "
                                       "/srv/app/missing/job.py"));
  app.spec.main_application_file = "local:///nonexistent/x.jar";
  EXPECT_EQ(
      check_main_file(app, o),
      std::optional<std::string>("spec.mainApplicationFile: file not found: /nonexistent/x.jar"));
  app.spec.main_application_file = "s3a://bucket/x.py";
  EXPECT_EQ(check_main_file(app, o), std::nullopt);
  app.spec.main_application_file = "/bin/sh";
  EXPECT_EQ(check_main_file(app, o), std::nullopt);
}

TEST(DriverCommand, MaskSecrets) {
  std::vector<std::string> argv = {"spark-submit",
                                   "--conf",
                                   "spark.hadoop.fs.s3a.secret.key=hunter2",
                                   "--conf",
                                   "spark.ssl.keyPassword=pw",
                                   "--conf",
                                   "spark.my.TOKEN=t",
                                   "--conf",
                                   "spark.kerberos.credentials.x=c",
                                   "--conf",
                                   "spark.app.name=ok",
                                   "main.py",
                                   "secret=visible-arg"};
  auto masked = mask_secrets(argv);
  EXPECT_EQ(masked[2], "spark.hadoop.fs.s3a.secret.key=***");
  EXPECT_EQ(masked[4], "spark.ssl.keyPassword=***");
  EXPECT_EQ(masked[6], "spark.my.TOKEN=***");
  EXPECT_EQ(masked[8], "spark.kerberos.credentials.x=***");
  EXPECT_EQ(masked[10], "spark.app.name=ok");
  EXPECT_EQ(masked[12], "secret=visible-arg");
}

TEST(DriverCommandSparkEnv, ParsesJavaVersions) {
  EXPECT_EQ(parse_java_version("17.0.15"), 17);
  EXPECT_EQ(parse_java_version("21"), 21);
  EXPECT_EQ(parse_java_version("1.8.0_392"), 8);
  EXPECT_EQ(parse_java_version("11.0.2+9"), 11);
  EXPECT_EQ(parse_java_version("garbage"), 0);
  EXPECT_EQ(parse_java_version(""), 0);
}

TEST(DriverCommandSparkEnv, MissingPiecesGiveOneLineErrors) {
  std::map<std::string, std::string> vars = {
      {"PATH", "/nonexistent"}, {"JAVA_HOME", "/nonexistent/jdk"}, {"HOME", "/nonexistent/home"}};
  EnvLookup env = [&](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  std::string error;
  EXPECT_FALSE(find_java(env, &error));
  EXPECT_EQ(error,
            "Java 17+ not found: install openjdk-17-jre-headless or set JAVA_HOME (run make deps)");
  error.clear();
  EXPECT_FALSE(find_spark(env, &error));
  EXPECT_EQ(error, "Spark not found: set SPARK_HOME or run make deps");
  vars["SPARK_HOME"] = "/nonexistent/spark";
  EXPECT_FALSE(find_spark(env, &error));
  EXPECT_FALSE(find_spark_env(env, &error));
  EXPECT_EQ(error,
            "Java 17+ not found: install openjdk-17-jre-headless or set JAVA_HOME (run make deps)");
}

TEST(DriverCommandSparkEnv, FindsSparkHomeAndPython) {
  fs::path root = fs::temp_directory_path() / ("sp-env-" + std::to_string(::getpid()));
  fs::path pyspark = root / "venv/lib/python3.11/site-packages/pyspark";
  fs::create_directories(pyspark / "bin");
  fs::create_directories(root / "venv/bin");
  for (auto p : {pyspark / "bin/spark-submit", root / "venv/bin/python"}) {
    std::ofstream(p) << "#!/bin/sh\n";
    fs::permissions(p, fs::perms::owner_all);
  }
  std::map<std::string, std::string> vars = {{"SPARKPLANE_CACHE", root.string()}};
  EnvLookup env = [&](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  std::string error;
  auto spark = find_spark(env, &error);
  ASSERT_TRUE(spark) << error;
  EXPECT_EQ(spark->spark_home, pyspark.string());
  EXPECT_EQ(spark->spark_submit, (pyspark / "bin/spark-submit").string());
  EXPECT_EQ(spark->python, (root / "venv/bin/python").string());
  vars["SPARK_HOME"] = pyspark.string();
  vars["PYSPARK_PYTHON"] = "/usr/bin/python3.99";
  spark = find_spark(env, &error);
  ASSERT_TRUE(spark) << error;
  EXPECT_EQ(spark->python, "/usr/bin/python3.99");
  fs::remove_all(root);
}

TEST(DriverCommandSparkEnv, FindsInstalledJavaWhenPresent) {
  if (!fs::exists("/usr/bin/java")) GTEST_SKIP() << "no java on this machine";
  std::string error;
  EnvLookup env = [](const std::string& k) -> std::optional<std::string> {
    if (k == "PATH") return std::string("/usr/bin");
    return std::nullopt;
  };
  auto java = find_java(env, &error);
  ASSERT_TRUE(java) << error;
  EXPECT_GE(java->major, 17);
}

}  // namespace
}  // namespace sp::local
