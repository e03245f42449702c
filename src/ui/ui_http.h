// Serves the web UI on an HTTP server beside the APIs it reads: the page at "/" and its files
// under "/static/". The page finds the APIs relative to its own address, so it works behind a
// proxy's path prefix. Every answer forbids inline scripts and anything from another origin
// (Content-Security-Policy), so a value that slipped past escaping still could not run.
// SPARKPLANE_UI_DIR=<dir> serves the files from that directory instead of the binary, for
// working on the UI without rebuilding.
#pragma once

#include <string>

namespace httplib {
class Server;
}

namespace sp::ui {

struct UiOptions {
  bool control_plane = false;  // the server also has the control plane's API (`sparkplane up`)
  bool history = true;         // the server has Spark's history API (not the operator's UI)
  // Where the history pages are when this server has none ("https://history.example.com/"):
  // the control plane's pages link each application there. See check_history_url.
  std::string history_url;
  // Also serve the UI under this prefix ("/spark-history"; "" for none), for a proxy that passes
  // its path prefix on rather than stripping it. "<base>" redirects to "<base>/".
  std::string base_path;
};

// "" or "/a/b" from what a user gives ("a/b/", "/a/b"); throws sp::Invalid for characters
// other than letters, digits, "-", "_", "." and "/", or for a "." or ".." segment.
std::string normalize_base_path(const std::string& text);

// `text` if it is an absolute http(s) URL or a path starting with "/", else throws sp::Invalid
// (a link to javascript: or data: must never reach the page).
std::string check_history_url(const std::string& text);

// Also serves "/ui-config.json": what the page should offer on this server.
void mount_ui(httplib::Server& server, UiOptions options = {});

}  // namespace sp::ui
