// spec.batchScheduler as the Kubeflow operator applies it before submitting. yunikorn (its
// internal/scheduler/yunikorn): the queue label from batchSchedulerOptions.queue, the
// yunikorn.apache.org/task-group-name annotation on driver and executors, the task groups (the
// driver's and, when executors start at once, theirs, with their minimum resources) on the
// driver, and scheduler name yunikorn. Other schedulers only name the pods' scheduler (the
// webhook's addSchedulerName); the PodGroups Volcano and the scheduler-plugins need are not made
// here, which a warning says.
#include <algorithm>

#include "common/error.h"
#include "common/quantity.h"
#include "runtime/kube/driver_build.h"

namespace sp::kube::detail {
namespace {

constexpr int64_t kMinOverheadBytes = 384 * kMiB;

int64_t bytes_of(const std::string& field, const std::string& s) {
  auto v = try_parse_memory_bytes(s, kMiB);
  if (!v) throw Invalid(field + ": \"" + s + "\": expected a size such as 512m or 2g");
  return *v;
}

double overhead_factor(const Build& b) {
  if (b.spec.memory_overhead_factor) {
    try {
      return std::stod(*b.spec.memory_overhead_factor);
    } catch (const std::exception&) {
      throw Invalid("spec.memoryOverheadFactor: \"" + *b.spec.memory_overhead_factor +
                    "\": expected a number");
    }
  }
  return (b.spec.type == "Java" || b.spec.type == "Scala") ? 0.1 : 0.4;
}

int64_t memory_request(const api::SparkPodSpec& pod, double factor, const std::string& field) {
  int64_t memory = pod.memory ? bytes_of(field + ".memory", *pod.memory) : 0;
  int64_t overhead =
      pod.memory_overhead
          ? bytes_of(field + ".memoryOverhead", *pod.memory_overhead)
          : std::max(static_cast<int64_t>(static_cast<double>(memory) * factor), kMinOverheadBytes);
  return memory + overhead;
}

std::string cpu_request(const api::SparkPodSpec& pod, const std::optional<std::string>& request,
                        const std::string& field) {
  if (request) {
    if (!try_parse_cpu_millis(*request)) {
      throw Invalid(field + ".coreRequest: \"" + *request + "\": expected a CPU quantity");
    }
    return *request;
  }
  return pod.cores ? std::to_string(*pod.cores) : "1";
}

std::string mib(int64_t bytes) { return std::to_string(bytes / kMiB) + "Mi"; }

int32_t initial_executors(const api::SparkApplicationSpec& spec) {
  int32_t n = spec.executor.instances.value_or(0);
  const auto& da = spec.dynamic_allocation;
  if (da && da->enabled) {
    if (da->min_executors) n = std::max(n, *da->min_executors);
    if (da->initial_executors) n = std::max(n, *da->initial_executors);
  }
  return n;
}

Json task_group(const std::string& name, int32_t min_member, const std::string& cpu,
                const std::string& memory, std::map<std::string, std::string> node_selector,
                const api::SparkPodSpec& pod, bool with_labels) {
  Json g = Json{{"name", name},
                {"minMember", min_member},
                {"minResource", {{"cpu", cpu}, {"memory", memory}}}};
  if (!node_selector.empty()) g["nodeSelector"] = to_object(node_selector);
  if (pod.tolerations.is_array() && !pod.tolerations.empty()) g["tolerations"] = pod.tolerations;
  if (pod.affinity.is_object()) g["affinity"] = pod.affinity;
  if (with_labels && !pod.labels.empty()) g["labels"] = to_object(pod.labels);
  return g;
}

void yunikorn(Build& b) {
  auto& spec = b.spec;
  double factor = overhead_factor(b);
  // The operator builds the groups from the labels the pods have before the queue label goes
  // in, but Go shares the map: a group sees the queue label when the role had labels already.
  bool driver_labels = !spec.driver.labels.empty();
  bool executor_labels = !spec.executor.labels.empty();
  if (spec.batch_scheduler_options && spec.batch_scheduler_options->queue) {
    spec.driver.labels["queue"] = *spec.batch_scheduler_options->queue;
    spec.executor.labels["queue"] = *spec.batch_scheduler_options->queue;
  }
  auto selector = [&](const std::map<std::string, std::string>& pod) {
    std::map<std::string, std::string> merged = spec.node_selector;
    for (const auto& [k, v] : pod) merged[k] = v;
    return merged;
  };
  Json groups = Json::array();
  groups.push_back(task_group("spark-driver", 1,
                              cpu_request(spec.driver, spec.driver.core_request, "spec.driver"),
                              mib(memory_request(spec.driver, factor, "spec.driver")),
                              selector(spec.driver.node_selector), spec.driver, driver_labels));
  if (int32_t n = initial_executors(spec); n > 0) {
    int64_t memory = memory_request(spec.executor, factor, "spec.executor");
    auto it = spec.spark_conf.find("spark.executor.pyspark.memory");
    if (spec.type == "Python" && it != spec.spark_conf.end()) {
      memory += bytes_of("spec.sparkConf[spark.executor.pyspark.memory]", it->second);
    }
    auto on = spec.spark_conf.find("spark.memory.offHeap.enabled");
    auto size = spec.spark_conf.find("spark.memory.offHeap.size");
    if (on != spec.spark_conf.end() && on->second != "false" && size != spec.spark_conf.end()) {
      memory += bytes_of("spec.sparkConf[spark.memory.offHeap.size]", size->second);
    }
    groups.push_back(task_group(
        "spark-executor", n,
        cpu_request(spec.executor, spec.executor.core_request, "spec.executor"), mib(memory),
        selector(spec.executor.node_selector), spec.executor, executor_labels));
  }
  spec.driver.scheduler_name = "yunikorn";
  spec.executor.scheduler_name = "yunikorn";
  spec.driver.annotations["yunikorn.apache.org/task-group-name"] = "spark-driver";
  spec.executor.annotations["yunikorn.apache.org/task-group-name"] = "spark-executor";
  spec.driver.annotations["yunikorn.apache.org/task-groups"] = groups.dump();
}

}  // namespace

void apply_batch_scheduler(Build& b) {
  const auto& scheduler = b.spec.batch_scheduler;
  if (!scheduler || scheduler->empty()) return;
  if (*scheduler == "yunikorn") {
    yunikorn(b);
  } else if (*scheduler == "volcano" || *scheduler == "kube-scheduler") {
    b.warn("spec.batchScheduler: " + *scheduler +
           ": the PodGroup the Kubeflow operator creates for it is not created; the pods only "
           "get schedulerName " +
           *scheduler);
  }
}

}  // namespace sp::kube::detail
