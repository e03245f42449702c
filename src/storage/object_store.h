// The object-store interface the event-log code reads through: keys, one-level listing with a
// "/" delimiter, metadata (size, mtime, etag) and ranged reads. Local directories implement it
// now (local_store.h); S3 fits the same shape (ListObjectsV2 with Delimiter, HEAD, ranged GET).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sp::storage {

// One entry of a listing, or the metadata of one object.
struct ObjectInfo {
  // The full key relative to the store's root, "/"-separated. A prefix (a "directory") ends
  // with "/", e.g. "eventlog_v2_app-1/".
  std::string key;
  std::uint64_t size = 0;     // bytes; 0 for prefixes
  std::int64_t mtime_ms = 0;  // last modification, Unix milliseconds; 0 for prefixes
  // Changes whenever the content may have changed (S3: the ETag; local: size+mtime+inode).
  std::string etag;
  bool is_prefix = false;

  // The last component of the key, without a trailing "/" ("eventlog_v2_app-1").
  std::string_view name() const;
};

// A whole object held in memory without a copy (a local file mapped read-only).
class MappedObject {
 public:
  virtual ~MappedObject() = default;
  virtual std::string_view bytes() const = 0;
  // Gives back the memory holding the bytes before `offset` (they will not be read again), so
  // that reading a big object through its mapping does not keep all of it resident.
  virtual void release(std::size_t offset) = 0;
};

// Read access to a store of objects. Implementations are safe to call from several threads.
// Errors: sp::Invalid for a malformed key (absolute, "..", NUL, escaping the root), sp::NotFound
// for a missing object on read, sp::Error for I/O failures; messages name the key (describe()).
class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // The entries directly under `prefix` ("" for the root; otherwise a key that ends with "/",
  // which is added when missing): objects, and sub-prefixes as is_prefix entries. Sorted by key.
  // A prefix that does not exist lists as empty (as in S3).
  virtual std::vector<ObjectInfo> list(std::string_view prefix) const = 0;

  // The metadata of one object; nullopt when there is no object with that key (a prefix is not
  // an object).
  virtual std::optional<ObjectInfo> stat(std::string_view key) const = 0;

  // Reads up to dst.size() bytes of `key` starting at `offset` into dst; returns how many were
  // read: fewer at the end of the object, 0 at or past the end.
  virtual std::size_t read(std::string_view key, std::uint64_t offset,
                           std::span<char> dst) const = 0;

  // The object as it is now, mapped into memory, when the store can give it without copying (a
  // local file); nullptr when it cannot (then read() it). The bytes stay valid while the result
  // lives, even if the object is deleted meanwhile (not if it is truncated: logs never are).
  virtual std::unique_ptr<MappedObject> map(std::string_view key) const;

  // Writes the whole object under `key`, replacing any: readers see the old bytes or the new,
  // never a part (local: a temporary file renamed; S3: one PUT or a completed multipart
  // upload). The default throws sp::Error (read-only store).
  virtual void put(std::string_view key, std::string_view bytes);
  // Deletes the object; no error when there is none. The default throws sp::Error.
  virtual void remove(std::string_view key);
  // Deletes the object `key` and every object under `key`/ (a rolling log's directory).
  // The default lists and remove()s them one by one.
  virtual void remove_tree(std::string_view key);

  // True when each request costs a round trip over the network (S3): readers then fetch a small
  // object whole in one request, and scans run more requests at once.
  virtual bool remote() const { return false; }

  // A human-readable location for messages: a path for local files, s3://bucket/key for S3.
  virtual std::string describe(std::string_view key) const = 0;

  // Convenience: reads up to max_bytes from offset into a new string.
  std::string read_string(std::string_view key, std::uint64_t offset, std::size_t max_bytes) const;
};

// Throws sp::Invalid for a key that is absolute, empty, has empty, "." or ".." components or a
// NUL byte. `prefix`: "" (the root) and a trailing "/" are allowed.
void check_object_key(std::string_view key, bool prefix);

}  // namespace sp::storage
