#include "history/event_parser.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <unordered_map>

#include "history/spark_format.h"

namespace sp::history {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// A malformed field inside a known event.
struct BadEvent : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void bad(std::string_view what, std::string_view key) {
  throw BadEvent(std::string(what) + " \"" + std::string(key) + "\"");
}

// Whether n bytes are equal, with word loads: keys are short, and a call to memcmp costs more
// than the comparison (a byte loop would be turned back into one).
inline bool same_bytes(const char* a, const char* b, size_t n) {
  auto same = [&](size_t at, auto word) {
    decltype(word) x, y;
    std::memcpy(&x, a + at, sizeof(x));
    std::memcpy(&y, b + at, sizeof(y));
    return x == y;
  };
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (!same(i, uint64_t{})) return false;
    }
    return same(n - 8, uint64_t{});
  }
  if (n >= 4) return same(0, uint32_t{}) && same(n - 4, uint32_t{});
  if (n >= 2) return same(0, uint16_t{}) && same(n - 2, uint16_t{});
  return n == 0 || a[0] == b[0];
}

inline bool same_key(std::string_view a, std::string_view b) {
  return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size());
}

// An object's fields, read once: lookups then compare keys without re-walking the JSON.
// A repeated key keeps its last value, as Jackson's tree model does.
class Fields {
 public:
  Fields(const object& o) : obj(o) {  // NOLINT: implicit on purpose
    for (auto kv : o) add(kv.key, kv.value);
  }
  Fields(const Fields&) = delete;
  Fields& operator=(const Fields&) = delete;

  bool find(std::string_view key, element& out) const {
    // Fields are mostly asked for in the order Spark writes them: look after the last found.
    for (size_t k = 0; k < n_; ++k) {
      size_t i = next_ + k;
      if (i >= n_) i -= n_;
      const Entry& e = at(i);
      if (e.key.size() == key.size() && same_bytes(e.key.data(), key.data(), key.size())) {
        out = e.value;
        next_ = i + 1;
        return true;
      }
    }
    return false;
  }
  object obj;

 private:
  struct Entry {
    std::string_view key;
    element value;
  };
  // Uninitialized until added (no constructor runs for the slots not used).
  union Slot {
    Slot() {}
    Entry entry;
  };

  const Entry& at(size_t i) const { return i < kInline ? inline_[i].entry : extra_[i - kInline]; }
  Entry& at(size_t i) { return i < kInline ? inline_[i].entry : extra_[i - kInline]; }

  void add(std::string_view key, element value) {
    // Keys seen so far, by a cheap signature: a repeat is looked for only on a collision.
    const unsigned first = key.empty() ? 0u : static_cast<unsigned char>(key[0]);
    const uint64_t bit = uint64_t{1} << ((key.size() * 7 + first) & 63);
    if (seen_ & bit) {
      for (size_t i = 0; i < n_; ++i) {
        if (at(i).key == key) {
          at(i).value = value;
          return;
        }
      }
    }
    seen_ |= bit;
    if (n_ < kInline) {
      ::new (&inline_[n_].entry) Entry{key, value};
    } else {
      extra_.push_back(Entry{key, value});
    }
    ++n_;
  }

  static constexpr size_t kInline = 32;
  std::array<Slot, kInline> inline_;
  std::vector<Entry> extra_;
  size_t n_ = 0;
  uint64_t seen_ = 0;
  mutable size_t next_ = 0;
};

Fields as_fields(const element& e, std::string_view key) {
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) bad("expected an object for", key);
  return Fields(o);
}

// Spark's jsonOption: a field that is present and not null.
bool field(const Fields& obj, std::string_view key, element& out) {
  if (!obj.find(key, out)) return false;
  return !out.is_null();
}

int64_t to_long(const element& e, std::string_view key) {
  switch (e.type()) {
    case element_type::INT64:
      return e.get_int64().value_unsafe();
    case element_type::UINT64:
      return static_cast<int64_t>(e.get_uint64().value_unsafe());
    case element_type::DOUBLE: {
      double d = e.get_double().value_unsafe();
      if (std::isnan(d)) return 0;
      if (d >= 9.2e18) return std::numeric_limits<int64_t>::max();
      if (d <= -9.2e18) return std::numeric_limits<int64_t>::min();
      return static_cast<int64_t>(d);
    }
    default:
      bad("expected a number for", key);
  }
}

int to_int(const element& e, std::string_view key) {
  return static_cast<int>(static_cast<int32_t>(static_cast<uint32_t>(to_long(e, key))));
}

double to_double(const element& e, std::string_view key) {
  switch (e.type()) {
    case element_type::INT64:
      return static_cast<double>(e.get_int64().value_unsafe());
    case element_type::UINT64:
      return static_cast<double>(e.get_uint64().value_unsafe());
    case element_type::DOUBLE:
      return e.get_double().value_unsafe();
    default:
      bad("expected a number for", key);
  }
}

bool to_bool(const element& e, std::string_view key) {
  if (e.type() != element_type::BOOL) bad("expected a boolean for", key);
  return e.get_bool().value_unsafe();
}

std::string to_string(const element& e, std::string_view key) {
  if (e.type() == element_type::NULL_VALUE) return std::string();
  if (e.type() != element_type::STRING) bad("expected a string for", key);
  return std::string(e.get_string().value_unsafe());
}

// to_string into `out`, keeping its memory.
void assign_string(const element& e, std::string_view key, std::string& out) {
  if (e.type() == element_type::NULL_VALUE) {
    out.clear();
    return;
  }
  if (e.type() != element_type::STRING) bad("expected a string for", key);
  out.assign(e.get_string().value_unsafe());
}

// Jackson's JsonNode.asText.
std::string as_text(const element& e) {
  switch (e.type()) {
    case element_type::STRING:
      return std::string(e.get_string().value_unsafe());
    case element_type::INT64:
      return std::to_string(e.get_int64().value_unsafe());
    case element_type::UINT64:
      return std::to_string(e.get_uint64().value_unsafe());
    case element_type::DOUBLE:
      return java_double_string(e.get_double().value_unsafe());
    case element_type::BOOL:
      return e.get_bool().value_unsafe() ? "true" : "false";
    case element_type::NULL_VALUE:
      return "null";
    default:
      return std::string();
  }
}

Fields req_object(const Fields& obj, std::string_view key) {
  element e;
  object o;
  if (!field(obj, key, e) || e.get_object().get(o) != simdjson::SUCCESS) {
    bad("missing object", key);
  }
  return Fields(o);
}

element req(const Fields& obj, std::string_view key) {
  element e;
  if (!obj.find(key, e)) bad("missing field", key);
  return e;
}

int64_t req_long(const Fields& obj, std::string_view key) { return to_long(req(obj, key), key); }
int req_int(const Fields& obj, std::string_view key) { return to_int(req(obj, key), key); }
bool req_bool(const Fields& obj, std::string_view key) { return to_bool(req(obj, key), key); }
std::string req_string(const Fields& obj, std::string_view key) {
  return to_string(req(obj, key), key);
}

int64_t opt_long(const Fields& obj, std::string_view key, int64_t def) {
  element e;
  return field(obj, key, e) ? to_long(e, key) : def;
}
int opt_int(const Fields& obj, std::string_view key, int def) {
  element e;
  return field(obj, key, e) ? to_int(e, key) : def;
}
bool opt_bool(const Fields& obj, std::string_view key, bool def) {
  element e;
  return field(obj, key, e) ? to_bool(e, key) : def;
}
std::optional<std::string> opt_text(const Fields& obj, std::string_view key) {
  element e;
  if (!field(obj, key, e)) return std::nullopt;
  return as_text(e);
}
std::optional<int64_t> opt_long_value(const Fields& obj, std::string_view key) {
  element e;
  if (!field(obj, key, e)) return std::nullopt;
  return to_long(e, key);
}

array req_array(const element& e, std::string_view key) {
  array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) bad("expected an array for", key);
  return a;
}

// Spark's mapFromJson: an object of strings; later duplicate keys win.
StringPairs string_map(const element& e, std::string_view key) {
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) bad("expected an object for", key);
  StringPairs out;
  std::unordered_map<std::string, size_t> seen;
  for (auto kv : o) {
    std::string k(kv.key);
    std::string v = to_string(kv.value, k);
    auto it = seen.find(k);
    if (it != seen.end()) {
      out[it->second].second = std::move(v);
    } else {
      seen.emplace(k, out.size());
      out.emplace_back(std::move(k), std::move(v));
    }
  }
  return out;
}

StringPairs req_string_map(const Fields& obj, std::string_view key) {
  element e;
  if (!field(obj, key, e)) bad("missing object", key);
  return string_map(e, key);
}

// Properties: string values only (nulls are skipped, as java.util.Properties cannot hold them),
// and only those the listeners read (kListenerProperties): a job or stage carries dozens.
StringPairs properties(const Fields& obj, std::string_view key) {
  element e;
  object o;
  StringPairs out;
  if (!field(obj, key, e) || e.get_object().get(o) != simdjson::SUCCESS) return out;
  for (auto kv : o) {
    bool used = false;
    for (std::string_view k : kListenerProperties) used = used || same_key(k, kv.key);
    if (used && kv.value.type() == element_type::STRING) {
      out.emplace_back(std::string(kv.key), std::string(kv.value.get_string().value_unsafe()));
    }
  }
  return out;
}

std::vector<int> int_list(const element& e, std::string_view key) {
  std::vector<int> out;
  for (element x : req_array(e, key)) out.push_back(to_int(x, key));
  return out;
}

StorageLevel storage_level(const Fields& obj) {
  StorageLevel l;
  l.use_disk = req_bool(obj, "Use Disk");
  l.use_memory = req_bool(obj, "Use Memory");
  l.use_off_heap = opt_bool(obj, "Use Off Heap", false);
  l.deserialized = req_bool(obj, "Deserialized");
  l.replication = req_int(obj, "Replication");
  return l;
}

// The string form of an internal metric's list of updated blocks.
std::string block_list_text(const element& e) {
  std::vector<std::string> items;
  for (element x : req_array(e, "Value")) {
    Fields b = as_fields(x, "Value");
    std::string id = req_string(b, "Block ID");
    Fields st = req_object(b, "Status");
    StorageLevel l = storage_level(req_object(st, "Storage Level"));
    std::string level;
    level += l.use_disk ? "disk, " : "";
    level += l.use_memory ? "memory, " : "";
    level += l.use_off_heap ? "offheap, " : "";
    level += l.deserialized ? "deserialized, " : "";
    level += std::to_string(l.replication) + " replicas";
    items.push_back("(" + id + ",BlockStatus(StorageLevel(" + level + ")," +
                    std::to_string(req_long(st, "Memory Size")) + "," +
                    std::to_string(req_long(st, "Disk Size")) + "))");
  }
  std::string out = "[";
  size_t shown = items.size() > 5 ? 5 : items.size();
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += items.size() > 5 ? "," : ", ";
    out += items[i];
  }
  if (items.size() > 5) {
    out += ",... " + std::to_string(items.size() - 5) + " more items]";
  } else {
    out += "]";
  }
  return out;
}

// as_text into `out`, keeping its memory (strings and integers, the usual values, in place).
void assign_text(const element& e, std::string& out) {
  char buf[24];
  switch (e.type()) {
    case element_type::STRING:
      out.assign(e.get_string().value_unsafe());
      return;
    case element_type::INT64: {
      auto r = std::to_chars(buf, buf + sizeof(buf), e.get_int64().value_unsafe());
      out.assign(buf, r.ptr);
      return;
    }
    case element_type::UINT64: {
      auto r = std::to_chars(buf, buf + sizeof(buf), e.get_uint64().value_unsafe());
      out.assign(buf, r.ptr);
      return;
    }
    default:
      out = as_text(e);
  }
}

// assign_text into an optional string, reset when the value is absent.
void opt_text_into(bool present, const element& e, std::optional<std::string>& out) {
  if (!present) {
    out.reset();
    return;
  }
  if (!out) out.emplace();
  assign_text(e, *out);
}

// Spark's accumValueFromJson followed by the status store's string form, into `out`.
void accum_value_into(const std::optional<std::string>& name, const element& v,
                      std::optional<std::string>& out) {
  if (!out) out.emplace();
  if (name && name->rfind("internal.metrics.", 0) == 0) {
    element_type t = v.type();
    if (t == element_type::INT64 || t == element_type::UINT64) {
      assign_text(v, *out);
      return;
    }
    if (t == element_type::ARRAY) {
      *out = block_list_text(v);
      return;
    }
    bad("unexpected value for accumulator", *name);
  }
  assign_text(v, *out);
}

// One accumulable into `a`, reusing its strings: false (and nothing read) for an internal
// task-metric accumulator ("internal.metrics.*") when they are not kept, since the status store
// drops them from task and stage answers and their values are in the task metrics already. The
// object's fields are found in one pass (the most frequent objects of a log: a task end holds
// dozens); a repeated key keeps its last value, as Jackson's tree model does.
bool accumulable_into(const element& e, AccumulableInfo& a, bool keep_internal_metrics) {
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) bad("expected an object for", "Accumulables");
  enum { kId, kName, kUpdate, kValue, kInternal, kCountFailed, kMetadata, kKeys };
  std::array<element, kKeys> v;
  std::array<bool, kKeys> has{};
  for (auto kv : o) {
    const std::string_view k = kv.key;
    // The key's length picks the one name it can be (a fixed-size compare each).
    int i = -1;
    const char* d = k.data();
    switch (k.size()) {
      case 2:
        if (same_bytes(d, "ID", 2)) i = kId;
        break;
      case 4:
        if (same_bytes(d, "Name", 4)) i = kName;
        break;
      case 5:
        if (same_bytes(d, "Value", 5)) i = kValue;
        break;
      case 6:
        if (same_bytes(d, "Update", 6)) i = kUpdate;
        break;
      case 8:
        if (same_bytes(d, "Internal", 8)) {
          i = kInternal;
        } else if (same_bytes(d, "Metadata", 8)) {
          i = kMetadata;
        }
        break;
      case 19:
        if (same_bytes(d, "Count Failed Values", 19)) i = kCountFailed;
        break;
      default:
        break;
    }
    if (i >= 0) {
      v[static_cast<size_t>(i)] = kv.value;
      has[static_cast<size_t>(i)] = true;
    }
  }
  // jsonOption: present and not null.
  auto present = [&](int i) {
    return has[static_cast<size_t>(i)] && !v[static_cast<size_t>(i)].is_null();
  };
  auto at = [&](int i) -> const element& { return v[static_cast<size_t>(i)]; };
  bool internal_name = false;
  if (present(kName) && at(kName).type() == element_type::STRING) {
    internal_name = at(kName).get_string().value_unsafe().starts_with("internal.metrics.");
  }
  if (!keep_internal_metrics && internal_name && present(kInternal) &&
      at(kInternal).type() == element_type::BOOL && at(kInternal).get_bool().value_unsafe()) {
    return false;
  }
  if (!has[kId]) bad("missing field", "ID");
  a.id = to_long(at(kId), "ID");
  opt_text_into(present(kName), at(kName), a.name);
  for (auto [i, out] : {std::pair{kUpdate, &a.update}, std::pair{kValue, &a.value}}) {
    if (present(i)) {
      accum_value_into(a.name, at(i), *out);
    } else {
      out->reset();
    }
  }
  a.internal = present(kInternal) && to_bool(at(kInternal), "Internal");
  a.count_failed_values = present(kCountFailed) && to_bool(at(kCountFailed), "Count Failed Values");
  opt_text_into(present(kMetadata), at(kMetadata), a.metadata);
  return true;
}

void accumulables_into(const Fields& obj, std::string_view key, std::vector<AccumulableInfo>& out,
                       bool keep_internal_metrics = false) {
  size_t n = 0;
  element e;
  if (field(obj, key, e)) {
    for (element x : req_array(e, key)) {
      if (n == out.size()) out.emplace_back();
      if (accumulable_into(x, out[n], keep_internal_metrics)) ++n;
    }
  }
  out.resize(n);
}

std::vector<AccumulableInfo> accumulables(const Fields& obj, std::string_view key,
                                          bool keep_internal_metrics = false) {
  std::vector<AccumulableInfo> out;
  accumulables_into(obj, key, out, keep_internal_metrics);
  return out;
}

RddInfo rdd_info(const element& e) {
  Fields o = as_fields(e, "RDD Info");
  RddInfo r;
  r.id = req_int(o, "RDD ID");
  r.name = req_string(o, "Name");
  element x;
  if (field(o, "Callsite", x)) r.callsite = as_text(x);
  if (field(o, "Parent IDs", x)) r.parent_ids = int_list(x, "Parent IDs");
  r.storage_level = storage_level(req_object(o, "Storage Level"));
  r.num_partitions = req_int(o, "Number of Partitions");
  return r;
}

StageInfo stage_info(const element& e) {
  Fields o = as_fields(e, "Stage Info");
  StageInfo s;
  s.stage_id = req_int(o, "Stage ID");
  s.attempt_id = opt_int(o, "Stage Attempt ID", 0);
  s.name = req_string(o, "Stage Name");
  s.num_tasks = req_int(o, "Number of Tasks");
  for (element r : req_array(req(o, "RDD Info"), "RDD Info")) s.rdd_infos.push_back(rdd_info(r));
  element x;
  if (field(o, "Parent IDs", x)) s.parent_ids = int_list(x, "Parent IDs");
  if (field(o, "Details", x)) s.details = as_text(x);
  s.submission_time = opt_long_value(o, "Submission Time");
  s.completion_time = opt_long_value(o, "Completion Time");
  s.failure_reason = opt_text(o, "Failure Reason");
  // StageInfo.accumulables is a map by id: a later entry replaces an earlier one.
  for (AccumulableInfo& a : accumulables(o, "Accumulables")) {
    bool replaced = false;
    for (AccumulableInfo& have : s.accumulables) {
      if (have.id == a.id) {
        have = a;
        replaced = true;
        break;
      }
    }
    if (!replaced) s.accumulables.push_back(std::move(a));
  }
  s.shuffle_push_enabled = opt_bool(o, "Shuffle Push Enabled", false);
  s.shuffle_mergers_count = opt_int(o, "Shuffle Push Mergers Count", 0);
  s.resource_profile_id = opt_int(o, "Resource Profile Id", 0);
  return s;
}

// The task info into `t`, reusing its strings and accumulables.
void task_info(const Fields& parent, TaskInfo& t) {
  Fields o = req_object(parent, "Task Info");
  t.task_id = req_long(o, "Task ID");
  t.index = req_int(o, "Index");
  t.attempt = opt_int(o, "Attempt", 1);
  t.partition_id = opt_int(o, "Partition ID", -1);
  t.launch_time = req_long(o, "Launch Time");
  assign_string(req(o, "Executor ID"), "Executor ID", t.executor_id);
  assign_string(req(o, "Host"), "Host", t.host);
  assign_string(req(o, "Locality"), "Locality", t.locality);
  static const char* kLocalities[] = {"PROCESS_LOCAL", "NODE_LOCAL", "NO_PREF", "RACK_LOCAL",
                                      "ANY"};
  bool known = false;
  for (const char* l : kLocalities) known = known || t.locality == l;
  if (!known) bad("unknown locality", t.locality);
  t.speculative = opt_bool(o, "Speculative", false);
  t.getting_result_time = req_long(o, "Getting Result Time");
  t.finish_time = req_long(o, "Finish Time");
  t.failed = req_bool(o, "Failed");
  t.killed = opt_bool(o, "Killed", false);
  accumulables_into(o, "Accumulables", t.accumulables);
}

ExecutorMetricValues executor_metrics(const Fields& parent, std::string_view key) {
  ExecutorMetricValues v{};
  element e;
  object raw;
  if (!field(parent, key, e) || e.get_object().get(raw) != simdjson::SUCCESS) return v;
  // One pass over the fields; Spark writes the names in this order, so each is looked for
  // from the one after the last found. Nulls are 0 and a repeated name keeps its last value.
  size_t next = 0;
  for (auto kv : raw) {
    for (size_t k = 0; k < kExecutorMetricNames.size(); ++k) {
      size_t i = next + k < kExecutorMetricNames.size() ? next + k
                                                        : next + k - kExecutorMetricNames.size();
      if (!same_key(kExecutorMetricNames[i], kv.key)) continue;
      v[i] = kv.value.is_null() ? 0 : to_long(kv.value, kv.key);
      next = i + 1;
      break;
    }
  }
  return v;
}

TaskMetrics task_metrics(const Fields& parent) {
  TaskMetrics m = filled_metrics(0);
  element e;
  if (!field(parent, "Task Metrics", e)) return m;
  Fields o = as_fields(e, "Task Metrics");
  m[kExecutorDeserializeTime] = req_long(o, "Executor Deserialize Time");
  m[kExecutorDeserializeCpuTime] = opt_long(o, "Executor Deserialize CPU Time", 0);
  m[kExecutorRunTime] = req_long(o, "Executor Run Time");
  m[kExecutorCpuTime] = opt_long(o, "Executor CPU Time", 0);
  m[kPeakExecutionMemory] = opt_long(o, "Peak Execution Memory", 0);
  m[kResultSize] = req_long(o, "Result Size");
  m[kJvmGcTime] = req_long(o, "JVM GC Time");
  m[kResultSerializationTime] = req_long(o, "Result Serialization Time");
  m[kMemoryBytesSpilled] = req_long(o, "Memory Bytes Spilled");
  m[kDiskBytesSpilled] = req_long(o, "Disk Bytes Spilled");
  element x;
  object raw;
  if (field(o, "Shuffle Read Metrics", x) && x.get_object().get(raw) == simdjson::SUCCESS) {
    Fields r(raw);
    m[kShuffleRemoteBlocksFetched] = req_int(r, "Remote Blocks Fetched");
    m[kShuffleLocalBlocksFetched] = req_int(r, "Local Blocks Fetched");
    m[kShuffleRemoteBytesRead] = req_long(r, "Remote Bytes Read");
    m[kShuffleRemoteBytesReadToDisk] = opt_long(r, "Remote Bytes Read To Disk", 0);
    m[kShuffleLocalBytesRead] = opt_long(r, "Local Bytes Read", 0);
    m[kShuffleFetchWaitTime] = req_long(r, "Fetch Wait Time");
    m[kShuffleRecordsRead] = opt_long(r, "Total Records Read", 0);
    m[kShuffleRemoteReqsDuration] = opt_long(r, "Remote Requests Duration", 0);
    element px;
    object push_raw;
    // "Push Based Shuffle" in the logs Spark writes ("Shuffle Push Read Metrics" in some builds).
    bool push = (field(r, "Push Based Shuffle", px) || field(r, "Shuffle Push Read Metrics", px)) &&
                px.get_object().get(push_raw) == simdjson::SUCCESS;
    if (push) {
      Fields p(push_raw);
      m[kPushCorruptMergedBlockChunks] = opt_long(p, "Corrupt Merged Block Chunks", 0);
      m[kPushMergedFetchFallbackCount] = opt_long(p, "Merged Fetch Fallback Count", 0);
      m[kPushRemoteMergedBlocksFetched] = opt_long(p, "Merged Remote Blocks Fetched", 0);
      m[kPushLocalMergedBlocksFetched] = opt_long(p, "Merged Local Blocks Fetched", 0);
      m[kPushRemoteMergedChunksFetched] = opt_long(p, "Merged Remote Chunks Fetched", 0);
      m[kPushLocalMergedChunksFetched] = opt_long(p, "Merged Local Chunks Fetched", 0);
      m[kPushRemoteMergedBytesRead] = opt_long(p, "Merged Remote Bytes Read", 0);
      m[kPushLocalMergedBytesRead] = opt_long(p, "Merged Local Bytes Read", 0);
      m[kPushRemoteMergedReqsDuration] = opt_long(p, "Merged Remote Requests Duration", 0);
    }
  }
  if (field(o, "Shuffle Write Metrics", x) && x.get_object().get(raw) == simdjson::SUCCESS) {
    Fields r(raw);
    m[kShuffleBytesWritten] = req_long(r, "Shuffle Bytes Written");
    m[kShuffleRecordsWritten] = opt_long(r, "Shuffle Records Written", 0);
    m[kShuffleWriteTime] = req_long(r, "Shuffle Write Time");
  }
  if (field(o, "Output Metrics", x) && x.get_object().get(raw) == simdjson::SUCCESS) {
    Fields r(raw);
    m[kOutputBytesWritten] = req_long(r, "Bytes Written");
    m[kOutputRecordsWritten] = opt_long(r, "Records Written", 0);
  }
  if (field(o, "Input Metrics", x) && x.get_object().get(raw) == simdjson::SUCCESS) {
    Fields r(raw);
    m[kInputBytesRead] = req_long(r, "Bytes Read");
    m[kInputRecordsRead] = opt_long(r, "Records Read", 0);
  }
  return m;
}

std::string block_manager_id_string(const Fields& parent, std::string_view key) {
  element e;
  object o;
  if (!field(parent, key, e) || e.get_object().get(o) != simdjson::SUCCESS) return "null";
  return "BlockManagerId(" + req_string(o, "Executor ID") + ", " + req_string(o, "Host") + ", " +
         std::to_string(req_int(o, "Port")) + ", None)";
}

// java.lang.StackTraceElement.toString for elements built from the log.
std::string stack_trace_text(const Fields& parent) {
  element e;
  std::string out;
  if (!field(parent, "Stack Trace", e)) return out;
  bool first = true;
  for (element x : req_array(e, "Stack Trace")) {
    Fields l = as_fields(x, "Stack Trace");
    std::string cls = req_string(l, "Declaring Class");
    std::string method = req_string(l, "Method Name");
    std::optional<std::string> file;
    element f;
    if (field(l, "File Name", f)) file = to_string(f, "File Name");
    int line = req_int(l, "Line Number");
    std::string s = cls + "." + method + "(";
    if (line == -2) {
      s += "Native Method)";
    } else if (file && line >= 0) {
      s += *file + ":" + std::to_string(line) + ")";
    } else if (file) {
      s += *file + ")";
    } else {
      s += "Unknown Source)";
    }
    if (!first) out += "\n";
    first = false;
    out += "        " + s;
  }
  return out;
}

TaskEndReason task_end_reason(const Fields& parent) {
  Fields o = req_object(parent, "Task End Reason");
  std::string reason = req_string(o, "Reason");
  TaskEndReason r;
  if (reason == "Success") {
    r.kind = TaskEndKind::kSuccess;
  } else if (reason == "Resubmitted") {
    r.kind = TaskEndKind::kResubmitted;
    r.message = "Resubmitted (resubmitted due to lost executor)";
  } else if (reason == "FetchFailed") {
    r.kind = TaskEndKind::kFetchFailed;
    std::string bm = block_manager_id_string(o, "Block Manager Address");
    int shuffle_id = req_int(o, "Shuffle ID");
    int64_t map_id = req_long(o, "Map ID");
    element mi;
    std::string map_index = field(o, "Map Index", mi) ? std::to_string(to_int(mi, "Map Index"))
                                                      : std::string("Unknown");
    int reduce_id = req_int(o, "Reduce ID");
    std::string message = opt_text(o, "Message").value_or("Unknown reason");
    r.message = "FetchFailed(" + bm + ", shuffleId=" + std::to_string(shuffle_id) +
                ", mapIndex=" + map_index + ", mapId=" + std::to_string(map_id) +
                ", reduceId=" + std::to_string(reduce_id) + ", message=\n" + message + "\n)";
  } else if (reason == "ExceptionFailure") {
    r.kind = TaskEndKind::kExceptionFailure;
    std::string class_name = req_string(o, "Class Name");
    std::string description = req_string(o, "Description");
    std::optional<std::string> full = opt_text(o, "Full Stack Trace");
    if (full) {
      r.message = *full;
    } else {
      r.message = class_name + ": " + description + "\n" + stack_trace_text(o);
    }
  } else if (reason == "TaskResultLost") {
    r.kind = TaskEndKind::kTaskResultLost;
    r.message = "TaskResultLost (result lost from block manager)";
  } else if (reason == "TaskKilled") {
    r.kind = TaskEndKind::kTaskKilled;
    r.message = opt_text(o, "Kill Reason").value_or("unknown reason");
  } else if (reason == "TaskCommitDenied") {
    r.kind = TaskEndKind::kTaskCommitDenied;
    r.message = "TaskCommitDenied (Driver denied task commit) for job: " +
                std::to_string(opt_int(o, "Job ID", -1)) +
                ", partition: " + std::to_string(opt_int(o, "Partition ID", -1)) +
                ", attemptNumber: " + std::to_string(opt_int(o, "Attempt Number", -1));
  } else if (reason == "ExecutorLostFailure") {
    r.kind = TaskEndKind::kExecutorLostFailure;
    bool by_app = opt_bool(o, "Exit Caused By App", true);
    std::string exec = opt_text(o, "Executor ID").value_or("Unknown");
    std::optional<std::string> loss = opt_text(o, "Loss Reason");
    r.message = "ExecutorLostFailure (executor " + exec + " exited " +
                (by_app ? "caused by one of the running tasks" : "unrelated to the running tasks") +
                ")" + (loss ? " Reason: " + *loss : std::string());
  } else if (reason == "UnknownReason") {
    r.kind = TaskEndKind::kUnknownReason;
    r.message = "UnknownReason";
  } else {
    bad("unknown task end reason", reason);
  }
  return r;
}

// ---- events -----------------------------------------------------------------------------

JobStartEvent job_start(const Fields& o) {
  JobStartEvent ev;
  ev.job_id = req_int(o, "Job ID");
  ev.time = opt_long(o, "Submission Time", -1);
  ev.stage_ids = int_list(req(o, "Stage IDs"), "Stage IDs");
  ev.properties = properties(o, "Properties");
  element infos;
  if (field(o, "Stage Infos", infos)) {
    for (element s : req_array(infos, "Stage Infos")) ev.stage_infos.push_back(stage_info(s));
  } else {
    for (int id : ev.stage_ids) {
      StageInfo s;
      s.stage_id = id;
      s.name = "unknown";
      s.details = "unknown";
      ev.stage_infos.push_back(std::move(s));
    }
  }
  return ev;
}

JobEndEvent job_end(const Fields& o) {
  JobEndEvent ev;
  ev.job_id = req_int(o, "Job ID");
  ev.time = opt_long(o, "Completion Time", -1);
  Fields r = req_object(o, "Job Result");
  std::string result = req_string(r, "Result");
  if (result == "JobSucceeded") {
    ev.succeeded = true;
  } else if (result == "JobFailed") {
    ev.succeeded = false;
  } else {
    bad("unknown job result", result);
  }
  return ev;
}

EnvironmentUpdateEvent environment_update(const Fields& o) {
  EnvironmentUpdateEvent ev;
  ev.jvm = req_string_map(o, "JVM Information");
  ev.spark = req_string_map(o, "Spark Properties");
  element e;
  if (field(o, "Hadoop Properties", e)) ev.hadoop = string_map(e, "Hadoop Properties");
  ev.system = req_string_map(o, "System Properties");
  if (field(o, "Metrics Properties", e)) ev.metrics = string_map(e, "Metrics Properties");
  ev.classpath = req_string_map(o, "Classpath Entries");
  return ev;
}

ResourceProfileAddedEvent resource_profile_added(const Fields& o) {
  ResourceProfileAddedEvent ev;
  ev.id = req_int(o, "Resource Profile Id");
  Fields exec_reqs = req_object(o, "Executor Resource Requests");
  for (auto kv : exec_reqs.obj) {
    object r;
    if (kv.value.get_object().get(r) != simdjson::SUCCESS) bad("bad request", kv.key);
    ExecutorResourceRequest er;
    er.resource_name = req_string(r, "Resource Name");
    er.amount = req_long(r, "Amount");
    er.discovery_script = req_string(r, "Discovery Script");
    er.vendor = req_string(r, "Vendor");
    ev.executor_resources.emplace_back(std::string(kv.key), std::move(er));
  }
  Fields task_reqs = req_object(o, "Task Resource Requests");
  for (auto kv : task_reqs.obj) {
    object r;
    if (kv.value.get_object().get(r) != simdjson::SUCCESS) bad("bad request", kv.key);
    TaskResourceRequest tr;
    tr.resource_name = req_string(r, "Resource Name");
    tr.amount = to_double(req(r, "Amount"), "Amount");
    ev.task_resources.emplace_back(std::string(kv.key), std::move(tr));
  }
  return ev;
}

ExecutorAddedEvent executor_added(const Fields& o) {
  ExecutorAddedEvent ev;
  ev.time = req_long(o, "Timestamp");
  ev.executor_id = req_string(o, "Executor ID");
  Fields info = req_object(o, "Executor Info");
  ev.host = req_string(info, "Host");
  ev.total_cores = req_int(info, "Total Cores");
  ev.log_urls = req_string_map(info, "Log Urls");
  element e;
  if (field(info, "Attributes", e)) ev.attributes = string_map(e, "Attributes");
  object res;
  if (field(info, "Resources", e)) {
    if (e.get_object().get(res) != simdjson::SUCCESS) bad("expected an object for", "Resources");
    for (auto kv : res) {
      object r;
      if (kv.value.get_object().get(r) != simdjson::SUCCESS) bad("bad resource", kv.key);
      ResourceInformation ri;
      ri.name = req_string(r, "name");
      for (element a : req_array(req(r, "addresses"), "addresses")) {
        ri.addresses.push_back(to_string(a, "addresses"));
      }
      ev.resources.emplace_back(std::string(kv.key), std::move(ri));
    }
  }
  ev.resource_profile_id = opt_int(info, "Resource Profile Id", 0);
  return ev;
}

ExecutorMetricsUpdateEvent metrics_update(const Fields& o) {
  ExecutorMetricsUpdateEvent ev;
  ev.executor_id = req_string(o, "Executor ID");
  for (element x : req_array(req(o, "Metrics Updated"), "Metrics Updated")) {
    Fields u = as_fields(x, "Metrics Updated");
    TaskAccumUpdates t;
    t.task_id = req_long(u, "Task ID");
    t.stage_id = req_int(u, "Stage ID");
    t.stage_attempt_id = req_int(u, "Stage Attempt ID");
    t.updates = accumulables(u, "Accumulator Updates", true);
    ev.accum_updates.push_back(std::move(t));
  }
  element e;
  if (field(o, "Executor Metrics Updated", e)) {
    for (element x : req_array(e, "Executor Metrics Updated")) {
      Fields u = as_fields(x, "Executor Metrics");
      StageExecutorUpdate s;
      s.stage_id = req_int(u, "Stage ID");
      s.stage_attempt_id = req_int(u, "Stage Attempt ID");
      s.metrics = executor_metrics(u, "Executor Metrics");
      ev.executor_updates.push_back(s);
    }
  }
  return ev;
}

BlockUpdatedEvent block_updated(const Fields& o) {
  Fields info = req_object(o, "Block Updated Info");
  BlockUpdatedEvent ev;
  Fields bm = req_object(info, "Block Manager ID");
  ev.executor_id = req_string(bm, "Executor ID");
  ev.host = req_string(bm, "Host");
  ev.port = req_int(bm, "Port");
  ev.block_id = req_string(info, "Block ID");
  ev.storage_level = storage_level(req_object(info, "Storage Level"));
  ev.mem_size = req_long(info, "Memory Size");
  ev.disk_size = req_long(info, "Disk Size");
  return ev;
}

std::vector<SqlMetricInfo> sql_metrics(const element& e, std::string_view key) {
  std::vector<SqlMetricInfo> out;
  for (element x : req_array(e, key)) {
    Fields m = as_fields(x, key);
    SqlMetricInfo info;
    info.name = req_string(m, "name");
    info.accumulator_id = req_long(m, "accumulatorId");
    info.metric_type = req_string(m, "metricType");
    out.push_back(std::move(info));
  }
  return out;
}

void spark_plan_info(const element& e, SparkPlanInfo& out) {
  Fields o = as_fields(e, "sparkPlanInfo");
  out.node_name = req_string(o, "nodeName");
  out.simple_string = req_string(o, "simpleString");
  element x;
  if (field(o, "children", x)) {
    for (element c : req_array(x, "children")) {
      out.children.emplace_back();
      spark_plan_info(c, out.children.back());
    }
  }
  if (field(o, "metrics", x)) out.metrics = sql_metrics(x, "metrics");
}

std::shared_ptr<SparkPlanInfo> plan_field(const Fields& o) {
  auto plan = std::make_shared<SparkPlanInfo>();
  spark_plan_info(req(o, "sparkPlanInfo"), *plan);
  return plan;
}

ExclusionEvent exclusion(ExclusionKind kind, const Fields& o, bool node, bool for_stage) {
  ExclusionEvent ev;
  ev.kind = kind;
  ev.id = req_string(o, node ? "hostId" : "executorId");
  if (for_stage) {
    ev.stage_id = req_int(o, "stageId");
    ev.stage_attempt_id = req_int(o, "stageAttemptId");
  }
  return ev;
}

}  // namespace

// Task events kept from lines parsed before, to parse new ones into (see parse_line).
struct EventSpares {
  static constexpr size_t kMax = 64;
  std::vector<TaskStartEvent> starts;
  std::vector<TaskEndEvent> ends;
  TaskInfo getting_result;

  // Keeps what `out` holds, when it is a task event.
  void keep(Event& out) {
    if (auto* start = std::get_if<TaskStartEvent>(&out); start && starts.size() < kMax) {
      starts.push_back(std::move(*start));
    } else if (auto* end = std::get_if<TaskEndEvent>(&out); end && ends.size() < kMax) {
      ends.push_back(std::move(*end));
    }
  }
  template <typename T>
  std::vector<T>& of() {
    if constexpr (std::is_same_v<T, TaskStartEvent>) {
      return starts;
    } else {
      return ends;
    }
  }
};

namespace {

// A T in `out`: the one there, else one kept from before, else a new one.
template <typename T>
T& reuse(Event& out, EventSpares& spares) {
  if (auto* have = std::get_if<T>(&out)) return *have;
  spares.keep(out);
  std::vector<T>& kept = spares.of<T>();
  if (kept.empty()) return out.emplace<T>();
  T& t = out.emplace<T>(std::move(kept.back()));
  kept.pop_back();
  return t;
}

bool parse_event(std::string_view name, const Fields& o, Event& out, EventSpares& spares) {
  // Class-named events may appear with or without their package.
  size_t dot = name.rfind('.');
  std::string_view simple = dot == std::string_view::npos ? name : name.substr(dot + 1);
  if (simple.rfind("SparkListener", 0) != 0) {
    spares.keep(out);
    out = IgnoredEvent{};
    return true;
  }
  simple.remove_prefix(13);
  if (simple != "TaskEnd" && simple != "TaskStart") spares.keep(out);
  if (simple == "TaskEnd") {
    // Every field is set: the event may hold an earlier line's.
    TaskEndEvent& ev = reuse<TaskEndEvent>(out, spares);
    ev.stage_id = req_int(o, "Stage ID");
    ev.stage_attempt_id = opt_int(o, "Stage Attempt ID", 0);
    element task_type = req(o, "Task Type");
    if (task_type.type() != element_type::STRING) to_string(task_type, "Task Type");
    ev.reason = task_end_reason(o);
    task_info(o, ev.task);
    ev.executor_metrics = executor_metrics(o, "Task Executor Metrics");
    ev.metrics = task_metrics(o);
  } else if (simple == "TaskStart") {
    TaskStartEvent& ev = reuse<TaskStartEvent>(out, spares);
    ev.stage_id = req_int(o, "Stage ID");
    ev.stage_attempt_id = opt_int(o, "Stage Attempt ID", 0);
    task_info(o, ev.task);
  } else if (simple == "TaskGettingResult") {
    task_info(o, spares.getting_result);
    out = IgnoredEvent{};
  } else if (simple == "StageSubmitted") {
    StageSubmittedEvent ev;
    ev.stage = stage_info(req(o, "Stage Info"));
    ev.properties = properties(o, "Properties");
    out = std::move(ev);
  } else if (simple == "StageCompleted") {
    StageCompletedEvent ev;
    ev.stage = stage_info(req(o, "Stage Info"));
    out = std::move(ev);
  } else if (simple == "JobStart") {
    out = job_start(o);
  } else if (simple == "JobEnd") {
    out = job_end(o);
  } else if (simple == "EnvironmentUpdate") {
    out = environment_update(o);
  } else if (simple == "BlockManagerAdded") {
    BlockManagerAddedEvent ev;
    Fields bm = req_object(o, "Block Manager ID");
    ev.executor_id = req_string(bm, "Executor ID");
    ev.host = req_string(bm, "Host");
    ev.port = req_int(bm, "Port");
    ev.max_mem = req_long(o, "Maximum Memory");
    ev.time = opt_long(o, "Timestamp", -1);
    ev.max_on_heap = opt_long_value(o, "Maximum Onheap Memory");
    ev.max_off_heap = opt_long_value(o, "Maximum Offheap Memory");
    out = std::move(ev);
  } else if (simple == "BlockManagerRemoved") {
    out = IgnoredEvent{};
  } else if (simple == "UnpersistRDD") {
    out = UnpersistRddEvent{req_int(o, "RDD ID")};
  } else if (simple == "ApplicationStart") {
    ApplicationStartEvent ev;
    ev.app_name = req_string(o, "App Name");
    ev.app_id = opt_text(o, "App ID");
    ev.time = req_long(o, "Timestamp");
    ev.user = req_string(o, "User");
    ev.attempt_id = opt_text(o, "App Attempt ID");
    element e;
    if (field(o, "Driver Logs", e)) ev.driver_logs = string_map(e, "Driver Logs");
    if (field(o, "Driver Attributes", e)) ev.driver_attributes = string_map(e, "Driver Attributes");
    out = std::move(ev);
  } else if (simple == "ApplicationEnd") {
    out = ApplicationEndEvent{req_long(o, "Timestamp")};
  } else if (simple == "ExecutorAdded") {
    out = executor_added(o);
  } else if (simple == "ExecutorRemoved") {
    ExecutorRemovedEvent ev;
    ev.time = req_long(o, "Timestamp");
    ev.executor_id = req_string(o, "Executor ID");
    ev.reason = req_string(o, "Removed Reason");
    out = std::move(ev);
  } else if (simple == "LogStart") {
    out = LogStartEvent{req_string(o, "Spark Version")};
  } else if (simple == "ExecutorMetricsUpdate") {
    out = metrics_update(o);
  } else if (simple == "StageExecutorMetrics") {
    StageExecutorMetricsEvent ev;
    ev.executor_id = req_string(o, "Executor ID");
    ev.stage_id = req_int(o, "Stage ID");
    ev.stage_attempt_id = req_int(o, "Stage Attempt ID");
    ev.metrics = executor_metrics(o, "Executor Metrics");
    out = std::move(ev);
  } else if (simple == "BlockUpdated") {
    out = block_updated(o);
  } else if (simple == "ResourceProfileAdded") {
    out = resource_profile_added(o);
  } else if (simple == "ExecutorBlacklisted" || simple == "ExecutorExcluded") {
    out = exclusion(ExclusionKind::kExecutorExcluded, o, false, false);
  } else if (simple == "ExecutorUnblacklisted" || simple == "ExecutorUnexcluded") {
    out = exclusion(ExclusionKind::kExecutorUnexcluded, o, false, false);
  } else if (simple == "ExecutorBlacklistedForStage" || simple == "ExecutorExcludedForStage") {
    out = exclusion(ExclusionKind::kExecutorExcludedForStage, o, false, true);
  } else if (simple == "NodeBlacklisted" || simple == "NodeExcluded") {
    out = exclusion(ExclusionKind::kNodeExcluded, o, true, false);
  } else if (simple == "NodeUnblacklisted" || simple == "NodeUnexcluded") {
    out = exclusion(ExclusionKind::kNodeUnexcluded, o, true, false);
  } else if (simple == "NodeBlacklistedForStage" || simple == "NodeExcludedForStage") {
    out = exclusion(ExclusionKind::kNodeExcludedForStage, o, true, true);
  } else if (simple == "MiscellaneousProcessAdded") {
    MiscellaneousProcessAddedEvent ev;
    ev.time = req_long(o, "time");
    ev.process_id = req_string(o, "processId");
    Fields info = req_object(o, "info");
    ev.host_port = req_string(info, "hostPort");
    ev.cores = req_int(info, "cores");
    ev.log_urls = req_string_map(info, "logUrlInfo");
    out = std::move(ev);
  } else if (simple == "SQLExecutionStart") {
    SqlExecutionStartEvent ev;
    ev.execution_id = req_long(o, "executionId");
    ev.root_execution_id = opt_long_value(o, "rootExecutionId");
    ev.description = req_string(o, "description");
    ev.details = req_string(o, "details");
    ev.physical_plan_description = req_string(o, "physicalPlanDescription");
    ev.plan = plan_field(o);
    ev.time = req_long(o, "time");
    out = std::move(ev);
  } else if (simple == "SQLExecutionEnd") {
    SqlExecutionEndEvent ev;
    ev.execution_id = req_long(o, "executionId");
    ev.time = req_long(o, "time");
    ev.error_message = opt_text(o, "errorMessage");
    // Spark 4.1 writes "errorMessage":"" for a success; its server treats that as no error.
    if (ev.error_message && ev.error_message->empty()) ev.error_message.reset();
    out = std::move(ev);
  } else if (simple == "SQLAdaptiveExecutionUpdate") {
    SqlAdaptiveExecutionUpdateEvent ev;
    ev.execution_id = req_long(o, "executionId");
    ev.physical_plan_description = req_string(o, "physicalPlanDescription");
    ev.plan = plan_field(o);
    out = std::move(ev);
  } else if (simple == "SQLAdaptiveSQLMetricUpdates") {
    SqlAdaptiveMetricUpdatesEvent ev;
    ev.execution_id = req_long(o, "executionId");
    ev.metrics = sql_metrics(req(o, "sqlPlanMetrics"), "sqlPlanMetrics");
    out = std::move(ev);
  } else if (simple == "DriverAccumUpdates") {
    SqlDriverAccumUpdatesEvent ev;
    ev.execution_id = req_long(o, "executionId");
    for (element pair : req_array(req(o, "accumUpdates"), "accumUpdates")) {
      array a = req_array(pair, "accumUpdates");
      if (a.size() != 2) bad("expected a pair in", "accumUpdates");
      ev.updates.emplace_back(to_long(a.at(0).value_unsafe(), "accumUpdates"),
                              to_long(a.at(1).value_unsafe(), "accumUpdates"));
    }
    out = std::move(ev);
  } else {
    out = IgnoredEvent{};
  }
  return true;
}

}  // namespace

std::string StorageLevel::description() const {
  std::string result;
  if (use_disk) result += "Disk ";
  if (use_memory) result += use_off_heap ? "Memory (off heap) " : "Memory ";
  result += deserialized ? "Deserialized " : "Serialized ";
  result += std::to_string(replication) + "x Replicated";
  return result;
}

const char* TaskInfo::status() const {
  if (!finished()) return getting_result() ? "GET RESULT" : "RUNNING";
  if (failed) return "FAILED";
  if (killed) return "KILLED";
  return "SUCCESS";
}

EventParser::EventParser() : spares_(std::make_unique<EventSpares>()) {}
EventParser::~EventParser() = default;

bool EventParser::parse(std::string_view line, Event& out, std::string* error, bool padded) {
  element doc;
  if (auto err = parser_.parse(line.data(), line.size(), !padded).get(doc); err) {
    if (error) *error = simdjson::error_message(err);
    return false;
  }
  object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    if (error) *error = "not a JSON object";
    return false;
  }
  element name;
  std::string_view event_name;
  if (obj["Event"].get(name) != simdjson::SUCCESS ||
      name.get_string().get(event_name) != simdjson::SUCCESS) {
    if (error) *error = "no \"Event\" field";
    return false;
  }
  try {
    return parse_event(event_name, Fields(obj), out, *spares_);
  } catch (const BadEvent& e) {
    if (error) *error = std::string(event_name) + ": " + e.what();
    return false;
  }
}

void EventParser::parse_line(std::string_view line, ParsedLine& out, bool padded) {
  out.error.clear();
  bool blank = true;
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      blank = false;
      break;
    }
  }
  if (blank) {  // the event is left as it is (not read)
    out.kind = ParsedLine::Kind::kBlank;
    return;
  }
  out.kind = parse(line, out.event, &out.error, padded) ? ParsedLine::Kind::kEvent
                                                        : ParsedLine::Kind::kMalformed;
}

}  // namespace sp::history
