// Test helper: sets (or unsets) environment variables for a scope and puts them back after.
#pragma once

#include <stdlib.h>

#include <map>
#include <optional>
#include <string>

namespace sp::kube::test {

class ScopedEnv {
 public:
  ScopedEnv() = default;
  ~ScopedEnv() {
    for (const auto& [name, old] : saved_) {
      if (old) {
        ::setenv(name.c_str(), old->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

  // value nullopt: unset.
  ScopedEnv& set(const std::string& name, std::optional<std::string> value) {
    if (!saved_.contains(name)) {
      const char* old = ::getenv(name.c_str());
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
    }
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
    return *this;
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

}  // namespace sp::kube::test
