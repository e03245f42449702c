#include "history/history_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <set>

#include "common/error.h"
#include "history/api_path.h"
#include "history/listing_lines.h"
#include "history/zip_stream.h"

namespace sp::history {
namespace {

AppAcls acls_of(const AttemptSummary& s) {
  AppAcls a;
  a.owner = s.spark_user;
  if (s.view_acls) a.view = split_acl_list(*s.view_acls);
  if (s.view_acls_groups) a.view_groups = split_acl_list(*s.view_acls_groups);
  if (s.admin_acls) a.admins = split_acl_list(*s.admin_acls);
  if (s.admin_acls_groups) a.admin_groups = split_acl_list(*s.admin_acls_groups);
  return a;
}

Answer from(Response r) { return Answer{r.status, std::move(r.content_type), std::move(r.body)}; }

Answer json_error(int status, const std::string& message) {
  // Spark answers errors as text/plain with the message.
  return Answer{status, "text/plain;charset=utf-8", message};
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

HistoryService::HistoryService(std::shared_ptr<const storage::ObjectStore> store,
                               std::string dir_prefix, HistoryOptions options)
    : store_(std::move(store)),
      dir_(std::move(dir_prefix)),
      opt_(std::move(options)),
      cache_(*store_, opt_.cache_bytes) {
  if (!opt_.listing_cache.empty())
    restored_ = load_listing_cache(opt_.listing_cache, store_->describe(dir_));
}

HistoryService::~HistoryService() { stop(); }

HistoryService::Indexed HistoryService::summarize(const eventlog::EventLog& log) const {
  Indexed out;
  out.log = log;
  ListingLines lines;
  try {
    lines = read_listing_lines(*store_, log, opt_.end_event_chunk);
  } catch (const std::exception& e) {
    out.error = e.what();
    return out;
  }
  AppStore app;
  for (const auto& line : lines.lines) app.apply_line(line);
  app.set_last_updated(log.last_modified_ms);
  auto summary = app.summary();
  if (summary.app_id.empty()) {
    out.error = lines.error.empty() ? "no SparkListenerApplicationStart event" : lines.error;
    return out;
  }
  if (!lines.error.empty()) out.error = lines.error;
  out.summary = std::move(summary);
  return out;
}

ScanStats HistoryService::scan() {
  std::lock_guard scan_lock(scan_mu_);
  const auto began = std::chrono::steady_clock::now();
  ScanStats stats;
  eventlog::Discovery found;
  try {
    found = eventlog::discover_logs(*store_, dir_);
  } catch (const std::exception& e) {
    spdlog::error("history: cannot list {}: {}", store_->describe(dir_), e.what());
    count_scan(stats, false, began);
    return stats;
  }
  stats.logs = found.logs.size();
  for (const auto& s : found.skipped) spdlog::debug("history: skipping {}: {}", s.key, s.reason);

  // Which logs are new or changed since the last scan.
  std::vector<const eventlog::EventLog*> todo;
  std::vector<Indexed> restored;  // unchanged since the earlier run: listed as it found them
  std::set<std::string> present;
  {
    std::shared_lock lock(mu_);
    for (const auto& log : found.logs) {
      present.insert(log.key);
      auto it = index_.find(log.key);
      if (it != index_.end() && it->second.log.fingerprint == log.fingerprint) {
        ++stats.unchanged;
        continue;
      }
      auto r = restored_.find(log.key);
      if (r != restored_.end() && r->second.fingerprint == log.fingerprint) {
        restored.push_back(Indexed{log, std::move(r->second.summary), std::move(r->second.error)});
        restored_.erase(r);
        continue;
      }
      todo.push_back(&log);
    }
  }

  std::vector<Indexed> results(todo.size());
  // Summarize them on a few threads: each needs a head and a tail read. Requests to a remote
  // store mostly wait on the network: more of them at once.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned wanted =
      opt_.scan_threads ? opt_.scan_threads : (store_->remote() ? std::max(16u, cores) : cores);
  const unsigned threads =
      std::max(1u, std::min<unsigned>(wanted, static_cast<unsigned>(todo.size())));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next++) < todo.size();) results[i] = summarize(*todo[i]);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  std::vector<std::string> gone;  // ids of logs no longer found (not merely renamed)
  std::set<std::string> ids;
  for (const auto& log : found.logs) ids.insert(log.id);
  {
    std::unique_lock lock(mu_);
    for (auto& r : restored) {
      ++stats.restored;
      std::string key = r.log.key;
      index_[key] = std::move(r);
    }
    for (auto& r : results) {
      ++stats.summarized;
      if (!r.error.empty()) {
        ++stats.failed;
        auto prev = index_.find(r.log.key);
        if (prev == index_.end() || prev->second.error != r.error)
          spdlog::warn("history: {}: {}", store_->describe(r.log.key), r.error);
      }
      std::string key = r.log.key;
      index_[key] = std::move(r);
    }
    for (auto it = index_.begin(); it != index_.end();) {
      if (present.count(it->first)) {
        ++it;
        continue;
      }
      // An in-progress log that completed is found under its new name: its app stays cached.
      if (!ids.count(it->second.log.id)) gone.push_back(it->second.log.id);
      it = index_.erase(it);
      ++stats.removed;
    }
  }
  for (const auto& id : gone) cache_.erase(id);
  if (stats.summarized > 0 || stats.removed > 0 || stats.restored > 0) listing_dirty_ = true;
  save_listing(false);
  count_scan(stats, true, began);
  return stats;
}

void HistoryService::count_scan(const ScanStats& stats, bool listed,
                                std::chrono::steady_clock::time_point began) {
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
  const std::chrono::duration<double> now = std::chrono::system_clock::now().time_since_epoch();
  std::lock_guard lock(totals_mu_);
  ++totals_.scans;
  if (!listed) ++totals_.list_failures;
  totals_.logs_summarized += stats.summarized;
  totals_.logs_restored += stats.restored;
  totals_.last_duration_seconds = took.count();
  totals_.last_end_unix_seconds = now.count();
}

ScanTotals HistoryService::scan_totals() const {
  std::lock_guard lock(totals_mu_);
  return totals_;
}

ListingCounts HistoryService::listing_counts() const {
  ListingCounts c;
  std::set<std::string> apps;
  std::shared_lock lock(mu_);
  for (const auto& [key, ix] : index_) {
    ++c.logs;
    if (!ix.error.empty()) ++c.unreadable;
    if (!ix.summary) continue;
    if (ix.summary->has_app_id()) apps.insert(ix.summary->app_id);
    if (!ix.summary->completed) ++c.in_progress;
  }
  c.apps = apps.size();
  return c;
}

void HistoryService::save_listing(bool now) {
  if (opt_.listing_cache.empty() || !listing_dirty_) return;
  const auto t = std::chrono::steady_clock::now();
  if (!now && listing_saved_ && t - *listing_saved_ < kSaveListingEvery) return;
  ListingCache cache;
  {
    std::shared_lock lock(mu_);
    for (const auto& [key, ix] : index_) cache[key] = {ix.log.fingerprint, ix.summary, ix.error};
  }
  try {
    save_listing_cache(opt_.listing_cache, store_->describe(dir_), cache);
    listing_dirty_ = false;
  } catch (const Error& e) {
    spdlog::warn("history: {} (the next start reads every log again)", e.what());
  }
  listing_saved_ = t;
}

void HistoryService::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void HistoryService::stop() {
  {
    std::lock_guard lock(loop_mu_);
    stopping_ = true;
  }
  loop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard scan_lock(scan_mu_);
  save_listing(true);
}

void HistoryService::loop() {
  auto next_clean = std::chrono::steady_clock::now();
  std::unique_lock lock(loop_mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      scan();
      if (opt_.cleaner && opt_.remove && std::chrono::steady_clock::now() >= next_clean) {
        clean();
        next_clean = std::chrono::steady_clock::now() + opt_.cleaner_interval;
      }
    } catch (const std::exception& e) {
      spdlog::error("history: scan failed: {}", e.what());
    }
    lock.lock();
    loop_cv_.wait_for(lock, opt_.update_interval, [this] { return stopping_; });
  }
}

void HistoryService::clean() {
  std::vector<CleanerLog> logs;
  {
    std::shared_lock lock(mu_);
    for (const auto& [key, ix] : index_) {
      CleanerLog c;
      c.key = key;
      c.last_updated_ms = ix.log.last_modified_ms;
      if (ix.summary) {
        c.app_id = ix.summary->app_id;
        c.completed = ix.summary->completed;
      }
      logs.push_back(std::move(c));
    }
  }
  for (const auto& key : logs_to_clean(logs, now_ms(), opt_.cleaner_policy)) {
    try {
      opt_.remove(key);
      spdlog::info("history: cleaner deleted {}", store_->describe(key));
    } catch (const std::exception& e) {
      spdlog::warn("history: cleaner could not delete {}: {}", store_->describe(key), e.what());
    }
  }
}

std::vector<const HistoryService::Indexed*> HistoryService::attempts_of(
    const std::string& app_id) const {
  std::vector<const Indexed*> out;
  for (const auto& [key, ix] : index_)
    if (ix.summary && ix.summary->app_id == app_id) out.push_back(&ix);
  return out;
}

const HistoryService::Indexed* HistoryService::find(
    const std::string& app_id, const std::optional<std::string>& attempt) const {
  for (const auto* ix : attempts_of(app_id))
    if (ix->summary->attempt_id == attempt) return ix;
  return nullptr;
}

Answer HistoryService::answer(const std::string& api_path, const QueryParams& query,
                              const Viewer& viewer) {
  auto path = parse_api_path(api_path);
  if (!path) return json_error(404, "Unknown path: /api/v1/" + api_path);
  using Kind = ApiPath::Kind;
  if (path->kind == Kind::kVersion)
    return Answer{200, "application/json", "{\n  \"spark\" : \"" + opt_.spark_version + "\"\n}"};

  std::shared_lock lock(mu_);
  if (path->kind == Kind::kApplicationList) {
    std::vector<AttemptSummary> all;
    for (const auto& [key, ix] : index_)
      if (ix.summary) all.push_back(*ix.summary);
    lock.unlock();
    int status = 200;
    std::string body = application_list_json(all, query, &status);
    return Answer{status, status == 200 ? "application/json" : "text/plain;charset=utf-8",
                  std::move(body)};
  }
  auto attempts = attempts_of(path->app_id);
  if (attempts.empty()) return from(app_not_found(path->app_id, path->attempt_id));
  if (path->kind == Kind::kApplication) {
    std::vector<AttemptSummary> mine;
    for (const auto* ix : attempts) mine.push_back(*ix->summary);
    for (const auto& s : mine)
      if (!may_view(opt_.acls, acls_of(s), viewer))
        return json_error(403, "user \"" + viewer.user + "\" is not authorized");
    return from(application_json(mine, path->app_id));
  }
  const Indexed* ix = find(path->app_id, path->attempt_id);
  if (!ix) return from(app_not_found(path->app_id, path->attempt_id));
  if (!may_view(opt_.acls, acls_of(*ix->summary), viewer))
    return json_error(403,
                      "user \"" + viewer.user + "\" is not authorized to view " + path->app_id);
  if (path->kind == Kind::kAttempt)
    return from(application_json({*ix->summary}, path->app_id, path->attempt_id));
  if (path->resource == "logs" || path->resource.starts_with("logs/"))
    return json_error(500, "logs are streamed by the HTTP layer");
  eventlog::EventLog log = ix->log;
  lock.unlock();

  auto app = cache_.get(log);
  std::lock_guard app_lock(app->mu);
  return from(serve_app(*app->store, path->resource, query));
}

std::optional<Answer> HistoryService::check_logs(const std::string& app_id,
                                                 const std::optional<std::string>& attempt_id,
                                                 const Viewer& viewer) {
  std::shared_lock lock(mu_);
  auto attempts = attempts_of(app_id);
  if (attempt_id) {
    const Indexed* ix = find(app_id, attempt_id);
    attempts = ix ? std::vector<const Indexed*>{ix} : std::vector<const Indexed*>{};
  }
  if (attempts.empty()) return json_error(404, "no such app: " + app_id);
  for (const auto* ix : attempts)
    if (!may_view(opt_.acls, acls_of(*ix->summary), viewer))
      return json_error(403, "user \"" + viewer.user + "\" is not authorized to view " + app_id);
  return std::nullopt;
}

bool HistoryService::stream_logs(const std::string& app_id,
                                 const std::optional<std::string>& attempt_id,
                                 const std::function<bool(std::string_view)>& sink) {
  std::vector<eventlog::EventLog> logs;
  {
    std::shared_lock lock(mu_);
    for (const auto* ix : attempts_of(app_id))
      if (!attempt_id || ix->summary->attempt_id == attempt_id) logs.push_back(ix->log);
  }
  ZipStreamWriter zip(sink);
  std::string buf(1u << 20, '\0');
  for (const auto& log : logs) {
    for (const auto& f : log.files) {
      // Spark names the entries after the files, inside the rolling directory for rolling logs.
      std::string name = log.rolling ? log.name + "/" + std::string(f.name()) : log.name;
      if (!zip.begin(name, f.mtime_ms)) return false;
      for (std::uint64_t off = 0;;) {
        const std::size_t n = store_->read(f.key, off, buf);
        if (n == 0) break;
        if (!zip.write(std::string_view(buf.data(), n))) return false;
        off += n;
      }
      if (!zip.end()) return false;
    }
  }
  return zip.finish();
}

std::vector<std::pair<std::string, std::string>> HistoryService::problems() const {
  std::shared_lock lock(mu_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, ix] : index_)
    if (!ix.error.empty()) out.emplace_back(ix.log.name, ix.error);
  return out;
}

}  // namespace sp::history
