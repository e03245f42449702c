// Serves the web UI on an HTTP server beside the APIs it reads: the page at "/" and its files
// under "/static/". The page finds the APIs relative to its own address, so it works behind a
// proxy's path prefix. Every answer forbids inline scripts and anything from another origin
// (Content-Security-Policy), so a value that slipped past escaping still could not run.
#pragma once

namespace httplib {
class Server;
}

namespace sp::ui {

void mount_ui(httplib::Server& server);

}  // namespace sp::ui
