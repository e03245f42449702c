// The error type thrown at input boundaries: one line saying what is wrong and what to do.
#pragma once

#include <stdexcept>
#include <string>

namespace sp {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A resource that does not exist (maps to HTTP 404 / exit code 3 in the CLI).
class NotFound : public Error {
 public:
  using Error::Error;
};

// Optimistic concurrency or name clash (HTTP 409).
class Conflict : public Error {
 public:
  using Error::Error;
};

// Bad input from a user: manifest, flag, parameter (HTTP 400/422).
class Invalid : public Error {
 public:
  using Error::Error;
};

// A dependency that cannot answer now (HTTP 503): try again later or fix what the message names.
class Unavailable : public Error {
 public:
  using Error::Error;
};

}  // namespace sp
