// How an informer keeps its objects: MessagePack, compressed by zstd against a dictionary that
// is the first object the codec packed (a raw-content dictionary). The objects of one
// collection share most of their keys and many of their values (labels, images, owners), so
// the thousandth SparkApplication costs a few hundred bytes instead of the several KB of its
// MessagePack, or the tens of KB of a parsed tree. Thread-safe; the dictionary is set once
// and never changes, so every packed object stays readable for the codec's life.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/json.h"

namespace sp::kube {

class ObjectCodec {
 public:
  ObjectCodec();
  ~ObjectCodec();
  ObjectCodec(const ObjectCodec&) = delete;
  ObjectCodec& operator=(const ObjectCodec&) = delete;

  std::string pack(const Json& object);
  Json unpack(std::string_view packed) const;  // throws sp::Error on bytes it did not pack

 private:
  struct Dictionary;
  const Dictionary& dictionary(const std::string& first);  // set by the first call

  std::once_flag once_;
  std::unique_ptr<Dictionary> dict_;
};

}  // namespace sp::kube
