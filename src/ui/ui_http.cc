#include "ui/ui_http.h"

#include <httplib.h>

#include <string>

#include "ui/ui_assets.h"

namespace sp::ui {
namespace {

constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

void serve(const Asset& a, const httplib::Request& req, httplib::Response& res) {
  res.set_header("Content-Security-Policy", kCsp);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  // Revalidated each time (the names carry no hash): a 304 when unchanged.
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", std::string(a.etag));
  if (req.get_header_value("If-None-Match") == a.etag) {
    res.status = 304;
    return;
  }
  res.set_content(a.body.data(), a.body.size(), std::string(a.content_type));
}

}  // namespace

const Asset* find_asset(std::string_view path) {
  for (std::size_t i = 0; i < kAssetCount; ++i) {
    if (kAssets[i].path == path) return &kAssets[i];
  }
  return nullptr;
}

void mount_ui(httplib::Server& server, UiOptions options) {
  const std::string config =
      std::string("{\"controlPlane\":") + (options.control_plane ? "true" : "false") + "}";
  server.Get("/ui-config.json", [config](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_content(config, "application/json");
  });
  server.Get("/", [](const httplib::Request& req, httplib::Response& res) {
    serve(*find_asset("index.html"), req, res);
  });
  server.Get(R"(/static/([A-Za-z0-9_.-]+))",
             [](const httplib::Request& req, httplib::Response& res) {
               const Asset* a = find_asset(req.matches[1].str());
               if (a == nullptr || a->path == "index.html") {
                 res.status = 404;
                 res.set_content("no such file", "text/plain");
                 return;
               }
               serve(*a, req, res);
             });
}

}  // namespace sp::ui
