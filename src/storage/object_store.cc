// Non-virtual helpers of the ObjectStore interface.
#include "storage/object_store.h"

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

}  // namespace sp::storage
