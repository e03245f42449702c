// Non-virtual helpers of the ObjectStore interface.
#include "storage/object_store.h"

#include "common/error.h"

namespace sp::storage {

std::string_view ObjectInfo::name() const {
  std::string_view k = key;
  if (!k.empty() && k.back() == '/') k.remove_suffix(1);
  auto slash = k.rfind('/');
  return slash == std::string_view::npos ? k : k.substr(slash + 1);
}

std::string ObjectStore::read_string(std::string_view key, std::uint64_t offset,
                                     std::size_t max_bytes) const {
  std::string out(max_bytes, '\0');
  std::size_t n = read(key, offset, std::span<char>(out.data(), out.size()));
  out.resize(n);
  return out;
}

std::unique_ptr<MappedObject> ObjectStore::map(std::string_view) const { return nullptr; }

void ObjectStore::put(std::string_view key, std::string_view) {
  throw Error("cannot write " + describe(key) + ": this store is read-only");
}

void ObjectStore::remove(std::string_view key) {
  throw Error("cannot delete " + describe(key) + ": this store is read-only");
}

void ObjectStore::remove_tree(std::string_view key) {
  std::string dir(key);
  if (!dir.empty() && dir.back() == '/') dir.pop_back();
  for (const ObjectInfo& e : list(dir + "/")) {
    if (e.is_prefix) {
      remove_tree(e.key);
    } else {
      remove(e.key);
    }
  }
  if (!dir.empty()) remove(dir);
}

void check_object_key(std::string_view key, bool prefix) {
  auto bad = [&](const std::string& why) {
    std::string shown(key);
    for (char& c : shown) {
      if (c == '\0') c = '?';
    }
    throw Invalid("invalid object key '" + shown + "': " + why);
  };
  if (key.find('\0') != std::string_view::npos) bad("contains a NUL byte");
  if (key.empty()) {
    if (prefix) return;
    bad("empty key");
  }
  if (key.front() == '/') bad("absolute keys are not allowed");
  std::string_view rest = key;
  if (prefix && rest.back() == '/') rest.remove_suffix(1);
  while (true) {
    auto slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    if (part.empty()) bad("empty path component");
    if (part == "." || part == "..") bad("'.' and '..' components are not allowed");
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
}

}  // namespace sp::storage
