// One application attempt as the History Server lists it (Spark's listing data: id, name,
// times, user, completion, Spark version and the ACLs from the environment's Spark properties).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sp::history {

struct AttemptSummary {
  std::string app_id;  // empty when the log never named its application
  std::string name;
  std::optional<std::string> attempt_id;
  int64_t start_time = -1;    // epoch ms; -1 when unknown
  int64_t end_time = -1;      // -1 while incomplete
  int64_t last_updated = -1;  // log modification time (AppStore::set_last_updated)
  int64_t duration = 0;       // 0 while incomplete
  std::string spark_user;
  bool completed = false;         // an ApplicationEnd event was seen
  std::string app_spark_version;  // "" when the log has no SparkListenerLogStart

  // From the first EnvironmentUpdate's Spark properties; nullopt when absent or empty.
  std::optional<std::string> view_acls;          // spark.ui.view.acls
  std::optional<std::string> admin_acls;         // spark.admin.acls
  std::optional<std::string> view_acls_groups;   // spark.ui.view.acls.groups
  std::optional<std::string> admin_acls_groups;  // spark.admin.acls.groups

  bool has_app_id() const { return !app_id.empty(); }
};

}  // namespace sp::history
