// An ObjectStore over one S3 bucket and a key prefix (s3://bucket/prefix): list with the "/"
// delimiter, HEAD, ranged GETs, PUT (multipart when large) and DELETE through S3Client. Keys are
// relative to the prefix; the same key rules as LocalStore ("..", empty components, NUL and
// absolute keys are refused with sp::Invalid), so a key never escapes the prefix.
#pragma once

#include <memory>

#include "storage/object_store.h"
#include "storage/s3_client.h"

namespace sp::storage {

class S3Store final : public ObjectStore {
 public:
  // `prefix`: "" or "a/b" (a trailing "/" is added).
  S3Store(std::shared_ptr<const S3Client> client, std::string bucket, std::string prefix);

  std::vector<ObjectInfo> list(std::string_view prefix) const override;
  std::optional<ObjectInfo> stat(std::string_view key) const override;
  std::size_t read(std::string_view key, std::uint64_t offset, std::span<char> dst) const override;
  void put(std::string_view key, std::string_view bytes) override;
  void remove(std::string_view key) override;
  bool remote() const override { return true; }
  std::string describe(std::string_view key) const override;

  const S3Client& client() const { return *client_; }
  const std::string& bucket() const { return bucket_; }

 private:
  std::string full_key(std::string_view key) const;  // checked, with the prefix

  std::shared_ptr<const S3Client> client_;
  std::string bucket_;
  std::string prefix_;  // "" or ending with "/"
};

}  // namespace sp::storage
