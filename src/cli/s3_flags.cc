#include "cli/s3_flags.h"

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

}  // namespace sp::cli
