// ObjectCodec: what an informer packs reads back equal, similar objects pack small, and bytes
// it did not pack are refused.
#include "runtime/kube/object_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "common/error.h"

namespace sp::kube {
namespace {

Json app(int i) {
  const std::string name = "app-" + std::to_string(i);
  return Json{{"apiVersion", "sparkoperator.k8s.io/v1beta2"},
              {"kind", "SparkApplication"},
              {"metadata",
               {{"name", name},
                {"namespace", "spark-jobs"},
                {"uid", "5a1c" + std::to_string(100000 + i) + "-8d2e-4f6a-9b3c-0d1e2f3a4b5c"},
                {"resourceVersion", std::to_string(4000 + i)},
                {"generation", 1},
                {"labels", {{"team", "data"}, {"sparkoperator.k8s.io/app-name", name}}},
                {"finalizers", {"sparkoperator.k8s.io/finalizer"}}}},
              {"spec",
               {{"type", "Scala"},
                {"mode", "cluster"},
                {"image", "apache/spark:4.1.1"},
                {"mainClass", "org.apache.spark.examples.SparkPi"},
                {"mainApplicationFile", "local:///opt/spark/examples/jars/spark-examples.jar"},
                {"arguments", {std::to_string(i)}},
                {"sparkVersion", "4.1.1"},
                {"driver", {{"cores", 1}, {"memory", "512m"}, {"serviceAccount", "spark"}}},
                {"executor", {{"cores", 1}, {"instances", 2}, {"memory", "512m"}}}}},
              {"status",
               {{"applicationState", {{"state", "RUNNING"}}},
                {"submissionID", "ed02eebc-f674-548d-8bdb-" + std::to_string(700000000000 + i)},
                {"driverInfo", {{"podName", name + "-driver"}, {"webUIPort", 4040}}},
                {"executionAttempts", 1},
                {"ratio", 0.5},
                {"flags", {true, false, nullptr}}}}};
}

TEST(ObjectCodec, PacksAndReadsBackEqual) {
  ObjectCodec codec;
  for (int i = 0; i < 5; ++i) {
    const Json o = app(i);
    EXPECT_EQ(codec.unpack(codec.pack(o)), o);
  }
  const Json other = {{"kind", "Pod"}, {"metadata", {{"name", "x"}}}, {"list", Json::array()}};
  EXPECT_EQ(codec.unpack(codec.pack(other)), other);  // unlike the dictionary: still exact
}

TEST(ObjectCodec, ObjectsLikeTheFirstPackSmall) {
  ObjectCodec codec;
  codec.pack(app(0));
  std::string msgpack;
  Json::to_msgpack(app(1), nlohmann::detail::output_adapter<char>(msgpack));
  const std::string packed = codec.pack(app(1));
  EXPECT_LT(packed.size() * 4, msgpack.size()) << packed.size() << " vs " << msgpack.size();
}

TEST(ObjectCodec, RefusesBytesItDidNotPack) {
  ObjectCodec codec;
  EXPECT_THROW(codec.unpack("anything"), Error);  // nothing packed yet
  codec.pack(app(0));
  EXPECT_THROW(codec.unpack("not zstd at all"), Error);
  std::string cut = codec.pack(app(1));
  cut.resize(cut.size() / 2);
  EXPECT_THROW(codec.unpack(cut), Error);
}

TEST(ObjectCodec, ThreadsPackAndUnpackAtOnce) {
  ObjectCodec codec;
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const Json o = app(t * 1000 + i);
        if (codec.unpack(codec.pack(o)) != o) ++wrong[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace sp::kube
