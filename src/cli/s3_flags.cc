#include "cli/s3_flags.h"

#include "cli/cli.h"
#include "common/error.h"

namespace sp::cli {

void add_s3_flags(CLI::App& cmd, storage::S3Settings& s3) {
  const char* group = "S3 (for s3:// locations; credentials as the AWS SDKs find them)";
  cmd.add_option("--s3-endpoint", s3.endpoint,
                 "S3 endpoint URL, e.g. http://127.0.0.1:9000 for MinIO (default "
                 "$AWS_ENDPOINT_URL_S3, else AWS)")
      ->group(group);
  cmd.add_option("--s3-region", s3.region, "region (default $AWS_REGION, else us-east-1)")
      ->group(group);
  cmd.add_flag_callback(
         "--s3-path-style", [&s3] { s3.path_style = true; },
         "bucket in the path, not the host name (the default with --s3-endpoint)")
      ->group(group);
  cmd.add_option("--s3-ca-file", s3.ca_file, "PEM CA bundle for TLS (default $AWS_CA_BUNDLE)")
      ->group(group);
}

OpenedLocation open_location_flag(const std::string& flag, const std::string& value,
                                  const storage::S3Settings& s3, bool create_local) {
  try {
    OpenedLocation out;
    out.where = storage::parse_location(value);
    const auto env = storage::process_env();
    out.store = storage::open_location(out.where, storage::s3_settings_with_env(s3, env), env,
                                       create_local);
    if (out.where.is_s3()) out.store->list("");
    return out;
  } catch (const Error& e) {
    throw CliError(kExitUsage, flag + " " + value + ": " + e.what());
  }
}

}  // namespace sp::cli
