#include "ui/ui_http.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/files.h"
#include "common/http_server.h"
#include "common/json.h"
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
  if (a.etag.empty()) {  // read from SPARKPLANE_UI_DIR: no ETag
    res.set_content(a.body.data(), a.body.size(), std::string(a.content_type));
    return;
  }
  res.set_header("ETag", std::string(a.etag));
  if (req.get_header_value("If-None-Match") == a.etag) {
    res.status = 304;
    return;
  }
  res.set_content(a.body.data(), a.body.size(), std::string(a.content_type));
}

std::string_view content_type_of(std::string_view name) {
  auto ends = [name](std::string_view ext) { return name.ends_with(ext); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "";
}

// Serves `name` from the directory SPARKPLANE_UI_DIR names, when set (for working on the UI
// without rebuilding: edit src/ui/assets, reload the page), else from the binary.
bool serve_named(const std::string& name, const httplib::Request& req, httplib::Response& res) {
  static const char* dir = std::getenv("SPARKPLANE_UI_DIR");
  if (dir != nullptr && *dir != '\0') {
    const std::string_view type = content_type_of(name);
    // Names are [A-Za-z0-9_.-]+ (the route's pattern); none may start with a dot.
    std::optional<std::string> body;
    if (!type.empty() && name.front() != '.') body = read_small_file(std::string(dir) + "/" + name);
    if (!body) return false;
    serve(Asset{name, type, "", *body}, req, res);
    return true;
  }
  const Asset* a = find_asset(name);
  if (a == nullptr) return false;
  serve(*a, req, res);
  return true;
}

}  // namespace

const Asset* find_asset(std::string_view path) {
  for (std::size_t i = 0; i < kAssetCount; ++i) {
    if (kAssets[i].path == path) return &kAssets[i];
  }
  return nullptr;
}

std::string normalize_base_path(const std::string& text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t j = std::min(text.find('/', i), text.size());
    const std::string seg = text.substr(i, j - i);
    i = j + 1;
    if (seg.empty()) continue;
    if (seg == "." || seg == "..")
      throw Invalid("base path " + text + ": no \".\" or \"..\" segments");
    for (const char c : seg) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
        throw Invalid("base path " + text + ": only letters, digits, '-', '_', '.' and '/'");
    }
    out += "/" + seg;
  }
  return out;
}

std::string check_history_url(const std::string& text) {
  if (text.empty()) return text;
  const bool ok = text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0 ||
                  (text[0] == '/' && text.rfind("//", 0) != 0);
  const bool clean = std::none_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\';
  });
  if (!ok || !clean) {
    throw Invalid("invalid history URL \"" + text +
                  "\": give an http:// or https:// address of the history server's UI, or a path "
                  "starting with /, without spaces or quotes");
  }
  return text;
}

void mount_ui(httplib::Server& server, UiOptions options) {
  const std::string config = Json{{"controlPlane", options.control_plane},
                                  {"history", options.history},
                                  {"historyUrl", check_history_url(options.history_url)}}
                                 .dump();
  std::vector<std::string> bases = {""};
  if (!options.base_path.empty()) {
    bases.push_back(regex_literal(options.base_path));
    server.Get(bases.back(),
               [base = options.base_path](const httplib::Request&, httplib::Response& res) {
                 res.set_redirect(base + "/");
               });
  }
  for (const auto& base : bases) {
    server.Get(base + R"(/ui-config\.json)",
               [config](const httplib::Request&, httplib::Response& res) {
                 res.set_header("Cache-Control", "no-cache");
                 res.set_content(config, "application/json");
               });
    server.Get(base + "/", [](const httplib::Request& req, httplib::Response& res) {
      serve_named("index.html", req, res);
    });
    server.Get(base + R"(/static/([A-Za-z0-9_.-]+))",
               [](const httplib::Request& req, httplib::Response& res) {
                 const std::string name = req.matches[1].str();
                 if (name == "index.html" || !serve_named(name, req, res)) {
                   res.status = 404;
                   res.set_content("no such file", "text/plain");
                 }
               });
  }
}

}  // namespace sp::ui
