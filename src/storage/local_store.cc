// LocalStore: POSIX directory listing, stat and pread under a root directory.
#include "storage/local_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <system_error>

#include "common/error.h"

namespace sp::storage {
namespace {

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

std::string etag_of(const struct stat& st) {
  char buf[80];
  auto mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  std::snprintf(buf, sizeof buf, "%llx-%llx-%llx", static_cast<unsigned long long>(st.st_size),
                static_cast<unsigned long long>(mtime_ns),
                static_cast<unsigned long long>(st.st_ino));
  return buf;
}

ObjectInfo info_of(std::string key, const struct stat& st) {
  ObjectInfo info;
  info.key = std::move(key);
  info.size = static_cast<std::uint64_t>(st.st_size);
  info.mtime_ms =
      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
  info.etag = etag_of(st);
  return info;
}

// realpath(3) as a std::string; nullopt when the path does not exist.
std::optional<std::string> resolve(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> r(::realpath(path.c_str(), nullptr), &std::free);
  if (!r) return std::nullopt;
  return std::string(r.get());
}

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

LocalStore::LocalStore(const std::filesystem::path& root) {
  auto abs = std::filesystem::absolute(root).string();
  struct stat st {};
  if (::stat(abs.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) throw NotFound("directory not found: " + abs);
    throw Error("cannot open directory " + abs + ": " + errno_text(err));
  }
  if (!S_ISDIR(st.st_mode)) throw Invalid("not a directory: " + abs);
  auto resolved = resolve(abs);
  if (!resolved) throw Error("cannot resolve directory " + abs + ": " + errno_text(errno));
  root_ = *resolved;
  root_slash_ = *resolved == "/" ? "/" : *resolved + "/";
}

std::filesystem::path LocalStore::path_of(std::string_view key) const {
  check_object_key(key, /*prefix=*/true);
  std::string p = root_slash_;
  p.append(key);
  if (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

void LocalStore::check_inside_root(const std::filesystem::path& path, std::string_view key) const {
  auto resolved = resolve(path.string());
  if (!resolved) return;  // vanished or dangling: the caller's stat/open reports it
  if (*resolved == root_.string() || resolved->starts_with(root_slash_)) return;
  throw Invalid("invalid object key '" + std::string(key) + "': resolves outside " +
                root_.string() + " (through a symbolic link)");
}

std::string LocalStore::describe(std::string_view key) const {
  std::string p = root_slash_;
  p.append(key);
  return p;
}

std::vector<ObjectInfo> LocalStore::list(std::string_view prefix_in) const {
  std::string prefix(prefix_in);
  if (!prefix.empty() && prefix.back() != '/') prefix.push_back('/');
  auto dir_path = path_of(prefix);
  std::vector<ObjectInfo> out;
  struct stat dst {};
  if (::stat(dir_path.c_str(), &dst) != 0 || !S_ISDIR(dst.st_mode)) return out;
  if (!prefix.empty()) check_inside_root(dir_path, prefix);

  std::unique_ptr<DIR, DirCloser> dir(::opendir(dir_path.c_str()));
  if (!dir) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) return out;
    throw Error("cannot list " + dir_path.string() + ": " + errno_text(err));
  }
  int dfd = ::dirfd(dir.get());
  while (true) {
    errno = 0;
    struct dirent* e = ::readdir(dir.get());
    if (e == nullptr) {
      if (errno != 0) throw Error("cannot list " + dir_path.string() + ": " + errno_text(errno));
      break;
    }
    std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // vanished
    std::string key = prefix + std::string(name);
    if (S_ISLNK(st.st_mode)) {
      // Follow links that stay inside the root; skip dangling and escaping ones.
      auto target = resolve(dir_path.string() + "/" + std::string(name));
      if (!target || !(target->starts_with(root_slash_) || *target == root_.string())) continue;
      if (::stat(target->c_str(), &st) != 0) continue;
    }
    if (S_ISDIR(st.st_mode)) {
      ObjectInfo info;
      info.key = key + "/";
      info.is_prefix = true;
      out.push_back(std::move(info));
    } else if (S_ISREG(st.st_mode)) {
      out.push_back(info_of(std::move(key), st));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return out;
}

std::optional<ObjectInfo> LocalStore::stat(std::string_view key) const {
  check_object_key(key, /*prefix=*/false);
  auto path = path_of(key);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) return std::nullopt;
    throw Error("cannot stat " + path.string() + ": " + errno_text(err));
  }
  check_inside_root(path, key);
  if (!S_ISREG(st.st_mode)) return std::nullopt;
  return info_of(std::string(key), st);
}

namespace {

// A file mapped read-only.
class MappedFile final : public MappedObject {
 public:
  MappedFile(void* addr, std::size_t size) : addr_(addr), size_(size) {}
  ~MappedFile() override { ::munmap(addr_, size_); }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const override {
    return std::string_view(static_cast<const char*>(addr_), size_);
  }
  void release(std::size_t offset) override {
    static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t end = std::min(offset, size_) / page * page;
    if (end <= released_) return;
    // Unmodified pages of a private file mapping: dropped, and read from the file again if used.
    ::madvise(static_cast<char*>(addr_) + released_, end - released_, MADV_DONTNEED);
    released_ = end;
  }

 private:
  void* addr_;
  std::size_t size_;
  std::size_t released_ = 0;
};

}  // namespace

int LocalStore::open_file(std::string_view key, std::uint64_t& size) const {
  check_object_key(key, /*prefix=*/false);
  auto path = path_of(key);
  check_inside_root(path, key);
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) throw NotFound("object not found: " + path.string());
    throw Error("cannot open " + path.string() + ": " + errno_text(err));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0)
    throw Error("cannot stat " + path.string() + ": " + errno_text(errno));
  if (!S_ISREG(st.st_mode)) throw NotFound("not a file: " + path.string());
  size = static_cast<std::uint64_t>(st.st_size);
  const int fd = f.fd;
  f.fd = -1;
  return fd;
}

std::size_t LocalStore::read(std::string_view key, std::uint64_t offset,
                             std::span<char> dst) const {
  std::uint64_t size = 0;
  Fd f;
  f.fd = open_file(key, size);
  if (offset > static_cast<std::uint64_t>(LLONG_MAX)) return 0;
  std::size_t done = 0;
  while (done < dst.size()) {
    ssize_t n =
        ::pread(f.fd, dst.data() + done, dst.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error("cannot read " + describe(key) + " at offset " + std::to_string(offset + done) +
                  ": " + errno_text(errno));
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::unique_ptr<MappedObject> LocalStore::map(std::string_view key) const {
  std::uint64_t size = 0;
  Fd f;
  f.fd = open_file(key, size);
  if (size == 0 || size > static_cast<std::uint64_t>(SIZE_MAX)) return nullptr;
  void* addr = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, f.fd, 0);
  if (addr == MAP_FAILED) return nullptr;  // read() it instead
  ::madvise(addr, static_cast<std::size_t>(size), MADV_SEQUENTIAL);
  return std::make_unique<MappedFile>(addr, static_cast<std::size_t>(size));
}

void LocalStore::put(std::string_view key, std::string_view bytes) {
  check_object_key(key, /*prefix=*/false);
  const std::filesystem::path path = path_of(key);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) throw Error("cannot create " + path.parent_path().string() + ": " + ec.message());
  check_inside_root(path.parent_path(), key);
  // Written beside it under a temporary name, then renamed over it: never seen half-written.
  std::string tmp = path.string() + ".sp-tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw Error("cannot write " + describe(key) + ": " + errno_text(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw Error("cannot write " + describe(key) + ": " + errno_text(err));
    }
    done += static_cast<std::size_t>(n);
  }
  const bool ok = ::fsync(fd) == 0 && ::fchmod(fd, 0644) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw Error("cannot write " + describe(key) + ": " + errno_text(ok ? errno : err));
  }
}

void LocalStore::remove(std::string_view key) {
  check_object_key(key, /*prefix=*/false);
  const std::filesystem::path path = path_of(key);
  check_inside_root(path.parent_path(), key);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    throw Error("cannot delete " + describe(key) + ": " + errno_text(errno));
  }
}

void LocalStore::remove_tree(std::string_view key) {
  check_object_key(key, /*prefix=*/true);
  if (key.empty()) throw Invalid("refusing to delete the whole store " + root_.string());
  const std::filesystem::path path = path_of(key);
  check_inside_root(path.parent_path(), key);
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) throw Error("cannot delete " + describe(key) + ": " + ec.message());
}

}  // namespace sp::storage
