// The CLI's view of the sparkplane API: resource types and their names on the command line, and
// typed calls that turn Kubernetes Status answers into sp::NotFound / Conflict / Invalid / Error.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli.h"
#include "common/http_client.h"
#include "common/json.h"

namespace sp::cli {

struct ResourceType {
  std::string plural;    // "sparkapplications"
  std::string singular;  // "sparkapplication"
  std::string kind;      // "SparkApplication"
  // "sparkapplication.sparkoperator.k8s.io", as kubectl names it in messages.
  std::string qualified() const;
};

const ResourceType& spark_applications();
const ResourceType& scheduled_spark_applications();
// sparkapp, sparkapps, sparkapplication(s), scheduledsparkapp(s), scheduledsparkapplication(s),
// with or without ".sparkoperator.k8s.io". Throws CliError(2) naming the accepted words.
const ResourceType& resource_type(const std::string& word);
const ResourceType& resource_type_for_plural(const std::string& plural);

// "sparkapp/NAME" -> {type, NAME}; a bare "NAME" -> {default_type, NAME}.
std::pair<const ResourceType*, std::string> parse_type_and_name(const std::string& arg,
                                                                const ResourceType& default_type);

class ApiClient {
 public:
  explicit ApiClient(const GlobalOptions& g);

  std::optional<Json> get(const ResourceType& t, const std::string& ns, const std::string& name);
  // ns "" lists every namespace.
  std::vector<Json> list(const ResourceType& t, const std::string& ns,
                         const std::string& label_selector = "");
  // Warnings of the server (Warning headers, without the "299 - " code) go to `warnings`.
  Json create(const ResourceType& t, const Json& obj, std::vector<std::string>* warnings);
  Json replace(const ResourceType& t, const Json& obj, std::vector<std::string>* warnings);
  Json remove(const ResourceType& t, const std::string& ns, const std::string& name);
  std::vector<Json> events(const std::string& ns, const std::string& name);
  // GET on the driver log endpoint with `query` ("stream=stdout&offset=3"); 200 or throws.
  HttpResponse log(const std::string& ns, const std::string& name, const std::string& query);

  static std::string path(const ResourceType& t, const std::string& ns,
                          const std::string& name = "");

 private:
  // Throws for a non-2xx answer: 404 NotFound, 409 Conflict, 400/422 Invalid, else Error; the
  // message is the Status message.
  static void check(const HttpResponse& r);
  HttpClient http_;
};

}  // namespace sp::cli
