#include "history/history_http.h"

#include <httplib.h>

#include <chrono>

#include "common/http_server.h"
#include "common/metrics.h"
#include "history/api_path.h"

namespace sp::history {
namespace {

constexpr std::string_view kApiPrefix = "/api/v1/";

Viewer viewer_of(const httplib::Request& req, const HttpOptions& opt) {
  Viewer v;
  if (!opt.user_header.empty()) v.user = req.get_header_value(opt.user_header.c_str());
  if (!opt.groups_header.empty())
    v.groups = split_acl_list(req.get_header_value(opt.groups_header.c_str()));
  return v;
}

// The raw path after /api/v1/ (still percent-encoded: ids are decoded segment by segment, so
// an encoded "/" stays inside its segment).
std::string api_path_of(const httplib::Request& req, const std::string& base_path) {
  std::string target = req.target.empty() ? req.path : req.target;
  const auto q = target.find('?');
  if (q != std::string::npos) target.resize(q);
  if (!base_path.empty() && target.starts_with(base_path + "/")) target.erase(0, base_path.size());
  return target.size() > kApiPrefix.size() ? target.substr(kApiPrefix.size()) : std::string();
}

QueryParams query_of(const httplib::Request& req) {
  QueryParams q;
  for (const auto& [k, v] : req.params) q.emplace(k, v);
  return q;
}

// The request metrics, or none.
struct RequestMetrics {
  Counter* requests = nullptr;
  Counter* errors = nullptr;
  Histogram* duration = nullptr;

  explicit RequestMetrics(MetricsRegistry* m) {
    if (m == nullptr) return;
    requests = &m->counter("sparkplane_history_requests_total", "History API requests answered.");
    errors = &m->counter("sparkplane_history_request_errors_total",
                         "History API requests answered with a 5xx status.");
    duration = &m->histogram("sparkplane_history_request_duration_seconds",
                             "Time to answer a history API request (a zip download: until its "
                             "first bytes).",
                             {0.001, 0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30});
  }
  void count(int status, std::chrono::steady_clock::time_point began) const {
    if (requests == nullptr) return;
    requests->inc();
    if (status >= 500) errors->inc();
    duration->observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
  }
};

void send(httplib::Response& res, Answer a) {
  res.status = a.status;
  res.set_content(std::move(a.body), a.content_type.c_str());
}

}  // namespace

void mount_history(httplib::Server& server, HistoryService& service, HttpOptions options) {
  std::vector<std::string> bases = {""};
  if (!options.base_path.empty()) bases.push_back(regex_literal(options.base_path));
  const RequestMetrics counted(options.metrics);
  for (const auto& base : bases) {
    server.Get(
        base + R"(/api/v1/(applications|version)(/.*)?)",
        [&service, options, counted](const httplib::Request& req, httplib::Response& res) {
          const auto began = std::chrono::steady_clock::now();
          struct Count {
            const RequestMetrics& m;
            const httplib::Response& res;
            std::chrono::steady_clock::time_point began;
            ~Count() { m.count(res.status, began); }
          } count{counted, res, began};
          const std::string path = api_path_of(req, options.base_path);
          const Viewer viewer = viewer_of(req, options);
          auto parsed = parse_api_path(path);
          if (parsed && parsed->kind == ApiPath::Kind::kAppResource && parsed->resource == "logs") {
            if (auto refused = service.check_logs(parsed->app_id, parsed->attempt_id, viewer))
              return send(res, std::move(*refused));
            const std::string file =
                "eventLogs-" + parsed->app_id +
                (parsed->attempt_id ? "-" + *parsed->attempt_id : std::string()) + ".zip";
            res.set_header("Content-Disposition", "attachment; filename=\"" + file + "\"");
            res.set_chunked_content_provider(
                "application/octet-stream",
                [&service, app = parsed->app_id, attempt = parsed->attempt_id](
                    size_t, httplib::DataSink& sink) {
                  service.stream_logs(app, attempt, [&sink](std::string_view bytes) {
                    return sink.is_writable() && sink.write(bytes.data(), bytes.size());
                  });
                  sink.done();
                  return true;
                });
            return;
          }
          send(res, service.answer(path, query_of(req), viewer));
        });
  }
}

}  // namespace sp::history
