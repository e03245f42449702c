// Whole-file helpers: atomic writes (state that must survive a crash whole) and small reads.
#pragma once

#include <optional>
#include <string>

namespace sp {

// Writes `content` to `path` atomically: a temporary file beside it, fsync, rename, fsync of
// the directory. Returns false (and sets *error when given) on failure.
bool write_file_atomic(const std::string& path, const std::string& content,
                       std::string* error = nullptr);

// The whole file, or nullopt when it cannot be read.
std::optional<std::string> read_small_file(const std::string& path);

}  // namespace sp
