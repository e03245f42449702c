#include "storage/aws_credentials.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/http_client.h"
#include "common/json.h"
#include "common/time_format.h"
#include "storage/xml_tree.h"

namespace sp::storage {
namespace {

constexpr auto kRefreshBefore = std::chrono::minutes(5);

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::optional<std::string> non_empty(const GetEnv& env, const char* name) {
  auto v = env(name);
  if (v && !trim(*v).empty()) return trim(*v);
  return std::nullopt;
}

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(std::string("cannot read ") + what + " " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// "scheme://host[:port]" and the rest of a URL.
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto scheme = url.find("://");
  const auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme == std::string::npos) throw Error("not a URL: " + url);
  if (path == std::string::npos) return {url, "/"};
  return {url.substr(0, path), url.substr(path)};
}

std::optional<Time> expiry(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto t = parse_rfc3339(text);
  if (!t) throw Error("credentials expiration \"" + text + "\" is not an RFC 3339 time");
  return t;
}

// EKS Pod Identity and ECS: GET the URI, with the token as Authorization; JSON answer.
AwsCredentials::Fetched fetch_container(const std::string& uri, const GetEnv& env) {
  HttpClientOptions o;
  o.server_name = "the container credentials endpoint";
  o.unreachable_hint = "is the EKS Pod Identity agent running on this node?";
  const auto [base, path] = split_url(uri);
  HttpClient client(base, o);
  HttpRequest r;
  r.path = path;
  r.timeout = std::chrono::seconds(5);
  if (auto file = non_empty(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    r.headers["Authorization"] = trim(read_file(*file, "the container authorization token"));
  } else if (auto token = non_empty(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
    r.headers["Authorization"] = *token;
  }
  const HttpResponse resp = client.send(r);
  if (resp.status != 200) {
    throw Error("container credentials endpoint " + uri + " answered HTTP " +
                std::to_string(resp.status));
  }
  Json j;
  try {
    j = Json::parse(resp.body);
  } catch (const std::exception&) {
    throw Error("container credentials endpoint " + uri + " did not answer JSON");
  }
  AwsCredentials::Fetched f;
  f.keys.access_key_id = j.value("AccessKeyId", "");
  f.keys.secret_access_key = j.value("SecretAccessKey", "");
  f.keys.session_token = j.value("Token", "");
  if (f.keys.access_key_id.empty() || f.keys.secret_access_key.empty()) {
    throw Error("container credentials endpoint " + uri + " answered without AccessKeyId");
  }
  f.expires = expiry(j.value("Expiration", ""));
  return f;
}

// IRSA: STS AssumeRoleWithWebIdentity, which needs no signature (the token is the proof).
AwsCredentials::Fetched fetch_web_identity(const std::string& token_file,
                                           const std::string& role_arn,
                                           const std::string& session_name,
                                           const std::string& sts_endpoint) {
  HttpClientOptions o;
  o.server_name = "AWS STS";
  o.unreachable_hint = "check AWS_ENDPOINT_URL_STS or AWS_REGION";
  const auto [base, path] = split_url(sts_endpoint);
  HttpClient client(base, o);
  HttpRequest r;
  r.method = "POST";
  r.path = path;
  r.content_type = "application/x-www-form-urlencoded";
  r.body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + url_encode(role_arn) +
           "&RoleSessionName=" + url_encode(session_name) +
           "&WebIdentityToken=" + url_encode(trim(read_file(token_file, "the web identity token")));
  r.timeout = std::chrono::seconds(10);
  const HttpResponse resp = client.send(r);
  XmlNode root;
  try {
    root = parse_xml(resp.body);
  } catch (const Invalid&) {
    throw Error("AWS STS at " + sts_endpoint + " answered HTTP " + std::to_string(resp.status) +
                " without XML");
  }
  if (resp.status != 200) {
    const XmlNode* err = root.child("Error");
    throw Error("AWS STS refused AssumeRoleWithWebIdentity for " + role_arn + ": " +
                (err != nullptr ? err->child_text("Code") + ": " + err->child_text("Message")
                                : "HTTP " + std::to_string(resp.status)));
  }
  const XmlNode* result = root.child("AssumeRoleWithWebIdentityResult");
  const XmlNode* creds = result != nullptr ? result->child("Credentials") : nullptr;
  if (creds == nullptr)
    throw Error("AWS STS answered AssumeRoleWithWebIdentity without Credentials");
  AwsCredentials::Fetched f;
  f.keys = {creds->child_text("AccessKeyId"), creds->child_text("SecretAccessKey"),
            creds->child_text("SessionToken")};
  f.expires = expiry(creds->child_text("Expiration"));
  return f;
}

}  // namespace

GetEnv process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::optional<AwsKeys> read_credentials_profile(const std::string& text, const std::string& profile,
                                                const std::string& file_name) {
  std::istringstream in(text);
  std::string line, section;
  bool found = false;
  AwsKeys keys;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = trim(line.substr(1, line.size() - 2));
      if (section.rfind("profile ", 0) == 0) section = trim(section.substr(8));
      found = found || section == profile;
      continue;
    }
    if (section != profile) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = trim(line.substr(0, eq));
    const std::string value = trim(line.substr(eq + 1));
    if (key == "aws_access_key_id") keys.access_key_id = value;
    if (key == "aws_secret_access_key") keys.secret_access_key = value;
    if (key == "aws_session_token") keys.session_token = value;
  }
  if (!found) return std::nullopt;
  if (keys.access_key_id.empty() || keys.secret_access_key.empty()) {
    throw Error("profile " + profile + " of " + file_name +
                " lacks aws_access_key_id or aws_secret_access_key");
  }
  return keys;
}

AwsCredentials::AwsCredentials(std::string source, std::function<Fetched()> fetch,
                               const Clock& clock)
    : source_(std::move(source)), fetch_(std::move(fetch)), clock_(clock) {}

std::shared_ptr<AwsCredentials> AwsCredentials::fixed(AwsKeys keys, std::string source) {
  return std::shared_ptr<AwsCredentials>(new AwsCredentials(
      std::move(source),
      [keys] {
        return Fetched{keys, std::nullopt};
      },
      system_clock()));
}

std::shared_ptr<AwsCredentials> AwsCredentials::resolve(const GetEnv& env,
                                                        const std::string& region,
                                                        const Clock& clock) {
  auto make = [&clock](std::string source, std::function<Fetched()> fetch) {
    return std::shared_ptr<AwsCredentials>(
        new AwsCredentials(std::move(source), std::move(fetch), clock));
  };
  auto id = non_empty(env, "AWS_ACCESS_KEY_ID");
  auto secret = non_empty(env, "AWS_SECRET_ACCESS_KEY");
  if (id && secret) {
    AwsKeys keys{*id, *secret, non_empty(env, "AWS_SESSION_TOKEN").value_or("")};
    return make("environment", [keys] { return Fetched{keys, std::nullopt}; });
  }
  if (id || secret) {
    throw Error(std::string("AWS credentials in the environment are incomplete: set both "
                            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (") +
                (id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") + " is missing)");
  }

  auto token_file = non_empty(env, "AWS_WEB_IDENTITY_TOKEN_FILE");
  auto role = non_empty(env, "AWS_ROLE_ARN");
  if (token_file && role) {
    const std::string session = non_empty(env, "AWS_ROLE_SESSION_NAME").value_or("sparkplane");
    const std::string sts = non_empty(env, "AWS_ENDPOINT_URL_STS")
                                .value_or("https://sts." + region + ".amazonaws.com/");
    return make("web identity (role " + *role + ")",
                [=] { return fetch_web_identity(*token_file, *role, session, sts); });
  }

  const std::string profile = non_empty(env, "AWS_PROFILE").value_or("default");
  std::string file = non_empty(env, "AWS_SHARED_CREDENTIALS_FILE").value_or("");
  if (file.empty()) {
    if (auto home = non_empty(env, "HOME")) file = *home + "/.aws/credentials";
  }
  if (!file.empty()) {
    std::ifstream in(file);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      if (auto keys = read_credentials_profile(text.str(), profile, file)) {
        return make("profile " + profile + " of " + file, [keys = *keys] {
          return Fetched{keys, std::nullopt};
        });
      }
      if (env("AWS_PROFILE")) throw Error("no profile " + profile + " in " + file);
    }
  }

  std::string uri = non_empty(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI").value_or("");
  if (uri.empty()) {
    if (auto rel = non_empty(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      uri = "http://169.254.170.2" + *rel;
    }
  }
  if (!uri.empty()) {
    return make("container credentials (" + uri + ")",
                [uri, env] { return fetch_container(uri, env); });
  }
  throw Error(
      "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in "
      "~/.aws/credentials (AWS_PROFILE), or run with IRSA (AWS_WEB_IDENTITY_TOKEN_FILE, "
      "AWS_ROLE_ARN) or EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI)");
}

AwsKeys AwsCredentials::get() {
  std::lock_guard lock(mu_);
  const Time now = clock_.now();
  const bool fresh = held_ && (!held_->expires || *held_->expires - kRefreshBefore > now);
  if (fresh) return held_->keys;
  try {
    held_ = fetch_();
  } catch (const Error& e) {
    // Keys that still work are better than none: use them until they expire.
    if (held_ && held_->expires && *held_->expires > now) return held_->keys;
    throw Error("cannot get AWS credentials from " + source_ + ": " + e.what());
  }
  return held_->keys;
}

}  // namespace sp::storage
