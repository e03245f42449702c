#include "storage/s3_store.h"

#include <algorithm>

#include "common/error.h"

namespace sp::storage {

S3Store::S3Store(std::shared_ptr<const S3Client> client, std::string bucket, std::string prefix)
    : client_(std::move(client)), bucket_(std::move(bucket)), prefix_(std::move(prefix)) {
  if (bucket_.empty()) throw Invalid("an S3 location needs a bucket (s3://bucket/prefix)");
  while (!prefix_.empty() && prefix_.front() == '/') prefix_.erase(0, 1);
  if (!prefix_.empty() && prefix_.back() != '/') prefix_ += '/';
  if (!prefix_.empty()) check_object_key(prefix_, /*prefix=*/true);
}

std::string S3Store::full_key(std::string_view key) const {
  check_object_key(key, /*prefix=*/false);
  return prefix_ + std::string(key);
}

std::vector<ObjectInfo> S3Store::list(std::string_view prefix) const {
  check_object_key(prefix, /*prefix=*/true);
  std::string rel(prefix);
  if (!rel.empty() && rel.back() != '/') rel += '/';
  const S3Listing listing = client_->list(bucket_, prefix_ + rel, "/");
  std::vector<ObjectInfo> out;
  out.reserve(listing.objects.size() + listing.prefixes.size());
  for (const auto& o : listing.objects) {
    if (o.key.size() <= prefix_.size()) continue;  // the prefix's own "directory" marker
    ObjectInfo info;
    info.key = o.key.substr(prefix_.size());
    info.size = o.size;
    info.mtime_ms = o.mtime_ms;
    info.etag = o.etag;
    out.push_back(std::move(info));
  }
  for (const auto& p : listing.prefixes) {
    ObjectInfo info;
    info.key = p.substr(prefix_.size());
    info.is_prefix = true;
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return out;
}

std::optional<ObjectInfo> S3Store::stat(std::string_view key) const {
  auto o = client_->head(bucket_, full_key(key));
  if (!o) return std::nullopt;
  ObjectInfo info;
  info.key = std::string(key);
  info.size = o->size;
  info.mtime_ms = o->mtime_ms;
  info.etag = o->etag;
  return info;
}

std::size_t S3Store::read(std::string_view key, std::uint64_t offset, std::span<char> dst) const {
  return client_->read(bucket_, full_key(key), offset, dst);
}

void S3Store::put(std::string_view key, std::string_view bytes) {
  client_->put(bucket_, full_key(key), bytes);
}

void S3Store::remove(std::string_view key) { client_->remove(bucket_, full_key(key)); }

std::string S3Store::describe(std::string_view key) const {
  return s3_url(bucket_, prefix_ + std::string(key));
}

}  // namespace sp::storage
