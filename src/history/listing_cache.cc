#include "history/listing_cache.h"

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/files.h"
#include "common/json.h"

namespace sp::history {
namespace {

constexpr int kVersion = 1;

Json to_json(const AttemptSummary& s) {
  Json j = {{"appId", s.app_id},
            {"name", s.name},
            {"startTime", s.start_time},
            {"endTime", s.end_time},
            {"lastUpdated", s.last_updated},
            {"duration", s.duration},
            {"sparkUser", s.spark_user},
            {"completed", s.completed},
            {"appSparkVersion", s.app_spark_version}};
  auto optional = [&j](const char* key, const std::optional<std::string>& v) {
    if (v) j[key] = *v;
  };
  optional("attemptId", s.attempt_id);
  optional("viewAcls", s.view_acls);
  optional("adminAcls", s.admin_acls);
  optional("viewAclsGroups", s.view_acls_groups);
  optional("adminAclsGroups", s.admin_acls_groups);
  return j;
}

AttemptSummary summary_of(const Json& j) {
  AttemptSummary s;
  s.app_id = j.at("appId").get<std::string>();
  s.name = j.at("name").get<std::string>();
  s.start_time = j.at("startTime").get<std::int64_t>();
  s.end_time = j.at("endTime").get<std::int64_t>();
  s.last_updated = j.at("lastUpdated").get<std::int64_t>();
  s.duration = j.at("duration").get<std::int64_t>();
  s.spark_user = j.at("sparkUser").get<std::string>();
  s.completed = j.at("completed").get<bool>();
  s.app_spark_version = j.at("appSparkVersion").get<std::string>();
  auto optional = [&j](const char* key, std::optional<std::string>& v) {
    if (j.contains(key)) v = j.at(key).get<std::string>();
  };
  optional("attemptId", s.attempt_id);
  optional("viewAcls", s.view_acls);
  optional("adminAcls", s.admin_acls);
  optional("viewAclsGroups", s.view_acls_groups);
  optional("adminAclsGroups", s.admin_acls_groups);
  return s;
}

}  // namespace

ListingCache load_listing_cache(const std::filesystem::path& file, const std::string& location) {
  ListingCache out;
  const std::optional<std::string> text = read_small_file(file.string());
  if (!text) return out;  // the first run
  try {
    const Json j = Json::parse(*text);
    if (j.at("version").get<int>() != kVersion || j.at("location").get<std::string>() != location)
      return out;
    for (const auto& [key, v] : j.at("logs").items()) {
      CachedListing c;
      c.fingerprint = v.at("fingerprint").get<std::string>();
      if (v.contains("summary")) c.summary = summary_of(v.at("summary"));
      if (v.contains("error")) c.error = v.at("error").get<std::string>();
      out.emplace(key, std::move(c));
    }
  } catch (const std::exception& e) {
    spdlog::warn("history: ignoring the unreadable listing cache {} ({}); logs are read again",
                 file.string(), e.what());
    out.clear();
  }
  return out;
}

void save_listing_cache(const std::filesystem::path& file, const std::string& location,
                        const ListingCache& cache) {
  Json logs = Json::object();
  for (const auto& [key, c] : cache) {
    Json v = {{"fingerprint", c.fingerprint}};
    if (c.summary) v["summary"] = to_json(*c.summary);
    if (!c.error.empty()) v["error"] = c.error;
    logs[key] = std::move(v);
  }
  const Json j = {{"version", kVersion}, {"location", location}, {"logs", std::move(logs)}};
  std::string why;
  if (!write_file_atomic(file.string(), j.dump(), &why))
    throw Error("cannot save the listing cache: " + why);
}

}  // namespace sp::history
