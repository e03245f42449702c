// An ObjectStore over a local directory: keys are "/"-separated paths relative to the root.
// Keys that are absolute, contain "." or ".." components, empty components or NUL bytes, or
// resolve (through symlinks) outside the root are rejected with sp::Invalid.
#pragma once

#include <filesystem>

#include "storage/object_store.h"

namespace sp::storage {

class LocalStore final : public ObjectStore {
 public:
  // `root` must be an existing directory (sp::NotFound if absent, sp::Invalid if not a directory).
  explicit LocalStore(const std::filesystem::path& root);

  // The root, resolved (absolute, no symlinks).
  const std::filesystem::path& root() const { return root_; }

  std::vector<ObjectInfo> list(std::string_view prefix) const override;
  std::optional<ObjectInfo> stat(std::string_view key) const override;
  std::size_t read(std::string_view key, std::uint64_t offset, std::span<char> dst) const override;
  // mmap(2) of the file; nullptr for an empty one.
  std::unique_ptr<MappedObject> map(std::string_view key) const override;
  void put(std::string_view key, std::string_view bytes) override;
  void remove(std::string_view key) override;
  void remove_tree(std::string_view key) override;  // remove_all(3) of its path
  std::string describe(std::string_view key) const override;

  // The file-system path of a valid key (sp::Invalid for a bad key); it may not exist.
  std::filesystem::path path_of(std::string_view key) const;

 private:
  // Throws sp::Invalid when `path` (which exists) resolves outside the root.
  void check_inside_root(const std::filesystem::path& path, std::string_view key) const;
  // Opens a regular file of the store for reading (a file descriptor); sets `size`.
  int open_file(std::string_view key, std::uint64_t& size) const;

  std::filesystem::path root_;
  std::string root_slash_;  // root_ + "/", for prefix checks
};

}  // namespace sp::storage
