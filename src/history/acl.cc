#include "history/acl.h"

#include <algorithm>

namespace sp::history {
namespace {

bool names(const std::vector<std::string>& list, const std::string& who) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& entry) { return entry == "*" || entry == who; });
}

bool any_group(const std::vector<std::string>& list, const std::vector<std::string>& groups) {
  if (std::find(list.begin(), list.end(), "*") != list.end()) return true;
  return std::any_of(groups.begin(), groups.end(), [&](const std::string& g) {
    return std::find(list.begin(), list.end(), g) != list.end();
  });
}

}  // namespace

bool may_view(const AclConfig& config, const AppAcls& app, const Viewer& viewer) {
  if (!config.enabled) return true;
  if (viewer.user.empty()) return false;
  const std::string& u = viewer.user;
  if (u == app.owner || names(config.admins, u) || names(app.view, u) || names(app.admins, u))
    return true;
  return any_group(config.admin_groups, viewer.groups) ||
         any_group(app.view_groups, viewer.groups) || any_group(app.admin_groups, viewer.groups);
}

std::vector<std::string> split_acl_list(const std::string& value) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= value.size()) {
    std::size_t j = value.find(',', i);
    if (j == std::string::npos) j = value.size();
    std::size_t b = i, e = j;
    while (b < e && (value[b] == ' ' || value[b] == '\t')) ++b;
    while (e > b && (value[e - 1] == ' ' || value[e - 1] == '\t')) --e;
    if (e > b) out.emplace_back(value.substr(b, e - b));
    i = j + 1;
  }
  return out;
}

}  // namespace sp::history
