#include "history/cleaner.h"

#include <algorithm>
#include <map>
#include <set>

namespace sp::history {

std::vector<std::string> logs_to_clean(const std::vector<CleanerLog>& logs, std::int64_t now_ms,
                                       const CleanerPolicy& policy) {
  const std::int64_t max_time = now_ms - policy.max_age.count();
  std::vector<std::string> out;
  std::set<std::string> deleted;
  auto remove = [&](const CleanerLog& l) {
    if (deleted.insert(l.key).second) out.push_back(l.key);
  };
  for (const auto& l : logs)
    if (l.last_updated_ms < max_time) remove(l);

  std::size_t remaining = logs.size() - deleted.size();
  if (remaining <= policy.max_num) return out;
  std::size_t excess = remaining - policy.max_num;

  // Applications ordered by their oldest remaining attempt, as Spark's "oldestAttempt" index.
  std::map<std::string, std::vector<const CleanerLog*>> apps;
  for (const auto& l : logs)
    if (l.app_id && !deleted.count(l.key)) apps[*l.app_id].push_back(&l);
  std::vector<std::pair<std::int64_t, const std::vector<const CleanerLog*>*>> order;
  for (const auto& [id, attempts] : apps) {
    std::int64_t oldest = INT64_MAX;
    for (const auto* a : attempts) oldest = std::min(oldest, a->last_updated_ms);
    order.emplace_back(oldest, &attempts);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [oldest, attempts] : order) {
    if (excess == 0) break;
    for (const auto* a : *attempts) {
      if (!a->completed) continue;
      remove(*a);
      if (excess > 0) --excess;
    }
  }
  return out;
}

}  // namespace sp::history
