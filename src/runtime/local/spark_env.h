// Finds what a local driver needs: Java 17+ (JAVA_HOME, else PATH) and Spark (SPARK_HOME,
// else the pyspark venv that `make deps` installs), plus the python for PYSPARK_PYTHON.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sp::local {

inline constexpr const char* kJavaNotFound =
    "Java 17+ not found: install openjdk-17-jre-headless or set JAVA_HOME (run make deps)";
inline constexpr const char* kSparkNotFound = "Spark not found: set SPARK_HOME or run make deps";

// Reads an environment variable; injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_env();  // ::getenv; empty values count as unset

struct JavaInstall {
  std::string java_bin;   // .../bin/java
  std::string java_home;  // may be empty when the home cannot be derived
  int major = 0;
};

struct SparkInstall {
  std::string spark_home;
  std::string spark_submit;  // <spark_home>/bin/spark-submit
  std::string python;        // for PYSPARK_PYTHON
};

struct SparkEnv {
  JavaInstall java;
  SparkInstall spark;
};

// Each returns nullopt and sets *error to the one-line message above when not found.
std::optional<JavaInstall> find_java(const EnvLookup& env, std::string* error);
std::optional<SparkInstall> find_spark(const EnvLookup& env, std::string* error);
std::optional<SparkEnv> find_spark_env(const EnvLookup& env, std::string* error);

// "17.0.15" -> 17, "1.8.0_392" -> 8, "21" -> 21; 0 when unparseable.
int parse_java_version(std::string_view version);
// The major version of a java binary: from <home>/release, else `java -version`; 0 if unknown.
int java_major_version(const std::string& java_bin);

}  // namespace sp::local
