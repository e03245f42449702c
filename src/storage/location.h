// Where event logs live, as users write it, and the store that serves it:
//   /path, file:///path, file:/path     a local directory (LocalStore)
//   s3://bucket/prefix, s3a://bucket/prefix (Hadoop's name, accepted as is)   S3 (S3Store)
// S3 settings come from flags, else the AWS SDKs' environment variables: AWS_ENDPOINT_URL_S3
// (or AWS_ENDPOINT_URL), AWS_REGION (or AWS_DEFAULT_REGION), AWS_CA_BUNDLE; credentials from the
// chain of aws_credentials.h (never from flags: a command line is visible to every local user).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "storage/aws_credentials.h"
#include "storage/object_store.h"

namespace sp::storage {

struct Location {
  enum class Kind { kLocal, kS3 };
  Kind kind = Kind::kLocal;
  std::filesystem::path path;  // kLocal: absolute
  std::string bucket;          // kS3
  std::string prefix;          // kS3: "" or "a/b/" (with a trailing "/")
  std::string text;            // as given, for messages

  bool is_s3() const { return kind == Kind::kS3; }
  // "s3://bucket/prefix/" or the path.
  std::string describe() const;
};

// Throws sp::Invalid: "s3://: a bucket is needed (s3://bucket/prefix)", "gs://x: unsupported
// scheme gs (a path, file:///path or s3://bucket/prefix)", a prefix with "..".
Location parse_location(const std::string& text);

struct S3Settings {
  std::string endpoint;  // "" : AWS
  std::string region;    // "" : us-east-1
  std::optional<bool> path_style;
  std::string ca_file;
};

// Flag values win; empty ones are filled from the environment.
S3Settings s3_settings_with_env(S3Settings flags, const GetEnv& env);

// A LocalStore (the directory must exist; create_local makes it) or an S3Store; S3 credentials
// are resolved here, so a missing or broken source fails now, with its message.
std::shared_ptr<ObjectStore> open_location(const Location& location, const S3Settings& s3,
                                           const GetEnv& env, bool create_local = false);

}  // namespace sp::storage
