#include "eventlog/log_shipper.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/error.h"
#include "common/files.h"
#include "common/json.h"
#include "eventlog/log_name.h"

namespace sp::eventlog {

namespace {

bool hidden(std::string_view name) { return name.empty() || name.front() == '.'; }

}  // namespace

LogShipper::LogShipper(std::filesystem::path from, std::shared_ptr<storage::ObjectStore> to,
                       ShipOptions options)
    : from_(from), to_(std::move(to)), options_(std::move(options)) {
  if (options_.state_file.empty()) options_.state_file = from_.root() / ".sparkplane-ship.json";
  load_state();
}

void LogShipper::load_state() {
  const std::optional<std::string> text = read_small_file(options_.state_file.string());
  if (!text) return;  // first run
  try {
    const Json j = Json::parse(*text);
    for (const auto& [key, v] : j.at("shipped").items()) {
      shipped_[key] = {v.at("size").get<std::uint64_t>(), v.at("mtime_ms").get<std::int64_t>()};
    }
  } catch (const std::exception& e) {
    // Nothing is lost: without it, files are shipped again (replacing the same keys).
    spdlog::warn("ship: ignoring the unreadable state file {} ({}); files will be shipped again",
                 options_.state_file.string(), e.what());
    shipped_.clear();
  }
}

void LogShipper::note_change() {
  state_dirty_ = true;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_save_ >= kSaveEvery) save_state();
}

void LogShipper::save_state() {
  last_save_ = std::chrono::steady_clock::now();
  state_dirty_ = false;
  Json j;
  j["shipped"] = Json::object();
  for (const auto& [key, s] : shipped_)
    j["shipped"][key] = {{"size", s.size}, {"mtime_ms", s.mtime_ms}};
  std::string why;
  if (!write_file_atomic(options_.state_file.string(), j.dump(), &why))
    throw Error("cannot save the ship state: " + why);
}

bool LogShipper::ship_file(const storage::ObjectInfo& file, ShipReport& report) {
  auto it = shipped_.find(file.key);
  if (it != shipped_.end() && it->second.size == file.size &&
      it->second.mtime_ms == file.mtime_ms) {
    return true;
  }
  try {
    // Read as it is now: a file that grows meanwhile is shipped again on a later pass.
    std::unique_ptr<storage::MappedObject> mapped = from_.map(file.key);
    const std::string_view bytes = mapped ? mapped->bytes() : std::string_view();
    to_->put(file.key, bytes.substr(0, std::min<std::size_t>(bytes.size(), file.size)));
    shipped_[file.key] = {file.size, file.mtime_ms};
    note_change();
    ++report.uploaded;
    spdlog::info("ship: {} ({} bytes) -> {}", file.key, file.size, to_->describe(file.key));
    return true;
  } catch (const NotFound&) {
    return false;  // renamed or removed by Spark meanwhile: seen again on the next pass
  } catch (const Error& e) {
    ++report.failed;
    spdlog::warn("ship: {}: {} (retried on the next pass)", file.key, e.what());
    return false;
  }
}

void LogShipper::drop(const std::string& key, ShipReport& report) {
  try {
    to_->remove(key);
    if (shipped_.erase(key) > 0) note_change();
    ++report.deleted;
  } catch (const Error& e) {
    ++report.failed;
    spdlog::warn("ship: removing {}: {} (retried on the next pass)", to_->describe(key), e.what());
  }
}

void LogShipper::ship_growing(const storage::ObjectInfo& file, ShipReport& report) {
  auto& last = last_in_progress_put_[file.key];
  const auto now = std::chrono::steady_clock::now();
  if (shipped_.contains(file.key) && now - last < options_.in_progress_every) return;
  if (ship_file(file, report)) last = now;
}

void LogShipper::ship_single(const storage::ObjectInfo& file, ShipReport& report) {
  const auto name = parse_single_log_name(file.key);
  if (!name) return;
  if (name->in_progress) {
    ship_growing(file, report);
    return;
  }
  // Completed: the final file, then the in-progress copy goes.
  if (!ship_file(file, report)) return;
  const std::string in_progress = file.key + std::string(kInProgressSuffix);
  if (shipped_.contains(in_progress)) {
    drop(in_progress, report);
    last_in_progress_put_.erase(in_progress);
  }
}

void LogShipper::ship_rolling(const storage::ObjectInfo& dir, ShipReport& report) {
  std::vector<std::pair<std::int64_t, storage::ObjectInfo>> events;
  std::optional<storage::ObjectInfo> marker, status;
  for (auto& f : from_.list(dir.key)) {
    if (f.is_prefix || hidden(f.name())) continue;
    if (auto e = parse_event_file_name(f.name()); e && e->index) {
      events.emplace_back(*e->index, std::move(f));
    } else if (auto s = parse_app_status_name(f.name())) {
      (s->in_progress ? marker : status) = std::move(f);
    }
  }
  std::sort(events.begin(), events.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  const bool ended = status.has_value();
  if (!ended && marker && !ship_file(*marker, report)) return;  // in progress, first of all
  // Every events file Spark has moved on from; the last one too once the app has ended.
  bool all = true;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i + 1 == events.size() && !ended) {
      ship_growing(events[i].second, report);  // the one Spark writes: the app shows as running
      break;
    }
    all = ship_file(events[i].second, report) && all;
    last_in_progress_put_.erase(events[i].second.key);
  }
  if (!ended || !all) return;
  if (!ship_file(*status, report)) return;
  const std::string marker_key = status->key + std::string(kInProgressSuffix);
  if (shipped_.contains(marker_key)) drop(marker_key, report);
}

ShipReport LogShipper::ship_once() {
  ShipReport report;
  std::vector<storage::ObjectInfo> entries;
  try {
    entries = from_.list("");
  } catch (const Error& e) {
    ++report.failed;
    spdlog::warn("ship: cannot list {}: {}", from_.root().string(), e.what());
    return report;
  }
  // What was shipped is saved at the end of the pass, and every kSaveEvery during it: a crash
  // in between ships a few files again, under the same keys (at least once, no duplicates).
  struct SaveAtEnd {
    LogShipper& self;
    ~SaveAtEnd() {
      if (!self.state_dirty_) return;
      try {
        self.save_state();
      } catch (const Error& e) {
        spdlog::warn("ship: {} (files may be shipped again after a restart)", e.what());
      }
    }
  } save_at_end{*this};
  for (const auto& entry : entries) {
    if (hidden(entry.name())) continue;
    try {
      if (entry.is_prefix) {
        if (parse_rolling_dir_name(entry.name())) ship_rolling(entry, report);
      } else {
        ship_single(entry, report);
      }
    } catch (const Error& e) {
      ++report.failed;
      spdlog::warn("ship: {}: {}", entry.key, e.what());
    }
  }
  return report;
}

}  // namespace sp::eventlog
