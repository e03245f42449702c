// AWS credentials, resolved as the AWS SDKs resolve them; the first source that is configured
// wins:
//   1. the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN);
//   2. IRSA web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (AWS_ROLE_SESSION_NAME),
//      exchanged with STS AssumeRoleWithWebIdentity (AWS_ENDPOINT_URL_STS, else the regional
//      endpoint);
//   3. the shared credentials file: AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, profile
//      AWS_PROFILE or "default";
//   4. container credentials (EKS Pod Identity, ECS): AWS_CONTAINER_CREDENTIALS_FULL_URI, or
//      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on 169.254.170.2, with the authorization token of
//      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read again for every refresh) or
//      AWS_CONTAINER_AUTHORIZATION_TOKEN.
// Temporary credentials are fetched again 5 minutes before they expire. Keys never reach a log
// or a message: source() names where they come from.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "storage/sigv4.h"

namespace sp::storage {

// Reads an environment variable: std::getenv, or a map in tests.
using GetEnv = std::function<std::optional<std::string>(const std::string& name)>;
GetEnv process_env();

class AwsCredentials {
 public:
  // The chain above. Throws sp::Error when no source is configured ("no AWS credentials: set
  // AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in ~/.aws/credentials, ...") or a
  // configured one is broken (a missing profile, an unreadable token file).
  static std::shared_ptr<AwsCredentials> resolve(const GetEnv& env, const std::string& region,
                                                 const Clock& clock = system_clock());
  // Fixed keys (flags, tests).
  static std::shared_ptr<AwsCredentials> fixed(AwsKeys keys, std::string source);

  // The keys to sign with now, fetched again when they expire within 5 minutes. Thread-safe.
  // Throws sp::Error when a refresh fails and the keys held have expired.
  AwsKeys get();
  // "environment", "profile default of ~/.aws/credentials", "web identity (role
  // arn:aws:iam::1:role/x)", "container credentials (http://169.254.170.23/v1/credentials)".
  const std::string& source() const { return source_; }

  // What a temporary source returns; nullopt expiry: never expires.
  struct Fetched {
    AwsKeys keys;
    std::optional<Time> expires;
  };

 private:
  AwsCredentials(std::string source, std::function<Fetched()> fetch, const Clock& clock);

  std::string source_;
  std::function<Fetched()> fetch_;
  const Clock& clock_;
  std::mutex mu_;
  std::optional<Fetched> held_;
};

// The shared credentials file's profile (INI: [name], key = value, # and ; comments);
// nullopt when the file has no such profile. Throws sp::Error when the profile lacks a key.
std::optional<AwsKeys> read_credentials_profile(const std::string& text, const std::string& profile,
                                                const std::string& file_name);

}  // namespace sp::storage
