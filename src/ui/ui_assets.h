// The web UI's files (src/ui/assets), built into the binary by cmake/embed_assets.cmake: nothing
// is fetched from the network at run time.
#pragma once

#include <cstddef>
#include <string_view>

namespace sp::ui {

struct Asset {
  std::string_view path;          // relative to src/ui/assets: "index.html", "app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // quoted, from the file's SHA-256
  std::string_view body;
};

extern const Asset kAssets[];
extern const std::size_t kAssetCount;

// The asset at `path`, or nullptr.
const Asset* find_asset(std::string_view path);

}  // namespace sp::ui
