// libFuzzer target: Spark event-log name parsing on arbitrary names, with the invariants that
// hold for every name (sanitizing is idempotent, what parses as a name is rebuilt from its
// parts when it has no odd dots).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eventlog/log_name.h"
#include "fuzz_seeds.h"

using namespace sp::eventlog;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  sp::fuzz::write_seeds({"application_1553914137147_0018", "local-1430917381535_1.lz4.inprogress",
                         "eventlog_v2_local-1766844910796", "events_12_local-1_1.zstd",
                         "events_3_app.lz4.compact", "appstatus_app.inprogress", ".hidden.crc",
                         "events_-9223372036854775808_x", "app..lz4.."});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view name(reinterpret_cast<const char*>(data), size);
  std::string codec = codec_extension(name);
  if (codec.find('.') != std::string::npos) std::abort();
  if (auto s = parse_single_log_name(name)) {
    if (s->codec_name != codec) std::abort();
    if (name.find("..") == std::string_view::npos && !name.ends_with(".") &&
        !name.ends_with(kCompactSuffix)) {
      std::string rebuilt = single_log_name(s->stem, s->codec_name, s->in_progress);
      if (rebuilt != name) std::abort();
    }
  }
  if (auto e = parse_event_file_name(name)) {
    if (e->codec_name != codec) std::abort();
  }
  parse_rolling_dir_name(name);
  parse_app_status_name(name);
  std::string once = sanitize_name(name);
  if (sanitize_name(once) != once) std::abort();
  return 0;
}
