#include "storage/location.h"

#include "common/error.h"
#include "storage/local_store.h"
#include "storage/s3_store.h"

namespace sp::storage {

std::string Location::describe() const {
  return is_s3() ? "s3://" + bucket + "/" + prefix : path.string();
}

Location parse_location(const std::string& text) {
  Location l;
  l.text = text;
  const auto scheme_end = text.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : text.substr(0, scheme_end);
  if (scheme.empty() && text.starts_with("file:")) scheme = "file";
  if (scheme.empty() || scheme == "file") {
    std::string p = text;
    if (p.starts_with("file://")) {
      p = p.substr(7);
    } else if (p.starts_with("file:")) {
      p = p.substr(5);
    }
    if (p.empty()) throw Invalid("an empty path is not a location");
    l.path = std::filesystem::absolute(p).lexically_normal();
    return l;
  }
  if (scheme != "s3" && scheme != "s3a") {
    throw Invalid(text + ": unsupported scheme " + scheme +
                  " (a path, file:///path or s3://bucket/prefix)");
  }
  l.kind = Location::Kind::kS3;
  const std::string rest = text.substr(scheme_end + 3);
  const auto slash = rest.find('/');
  l.bucket = rest.substr(0, slash);
  if (l.bucket.empty()) throw Invalid(text + ": a bucket is needed (s3://bucket/prefix)");
  l.prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  while (!l.prefix.empty() && l.prefix.back() == '/') l.prefix.pop_back();
  if (!l.prefix.empty()) {
    try {
      check_object_key(l.prefix, /*prefix=*/true);
    } catch (const Invalid& e) {
      throw Invalid(text + ": " + e.what());
    }
    l.prefix += '/';
  }
  return l;
}

S3Settings s3_settings_with_env(S3Settings s, const GetEnv& env) {
  auto first = [&env](std::initializer_list<const char*> names) {
    for (const char* n : names) {
      auto v = env(n);
      if (v && !v->empty()) return *v;
    }
    return std::string();
  };
  if (s.endpoint.empty()) s.endpoint = first({"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"});
  if (s.region.empty()) s.region = first({"AWS_REGION", "AWS_DEFAULT_REGION"});
  if (s.region.empty()) s.region = "us-east-1";
  if (s.ca_file.empty()) s.ca_file = first({"AWS_CA_BUNDLE"});
  return s;
}

std::shared_ptr<ObjectStore> open_location(const Location& location, const S3Settings& s3,
                                           const GetEnv& env, bool create_local) {
  if (!location.is_s3()) {
    if (create_local) {
      std::error_code ec;
      std::filesystem::create_directories(location.path, ec);
      if (ec) throw Error("cannot create " + location.path.string() + ": " + ec.message());
    }
    return std::make_shared<LocalStore>(location.path);
  }
  S3Options o;
  o.endpoint = s3.endpoint;
  o.region = s3.region.empty() ? "us-east-1" : s3.region;
  o.path_style = s3.path_style;
  o.ca_file = s3.ca_file;
  auto client = std::make_shared<const S3Client>(o, AwsCredentials::resolve(env, o.region));
  return std::make_shared<S3Store>(std::move(client), location.bucket, location.prefix);
}

}  // namespace sp::storage
