#include "runtime/kube/base64.h"

#include <openssl/evp.h>

#include <cctype>
#include <memory>

namespace sp::kube {

std::optional<std::string> base64_decode(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) clean.push_back(c);
  }
  if (clean.empty()) return std::string();
  std::unique_ptr<EVP_ENCODE_CTX, decltype(&EVP_ENCODE_CTX_free)> ctx(EVP_ENCODE_CTX_new(),
                                                                      &EVP_ENCODE_CTX_free);
  if (!ctx) return std::nullopt;
  EVP_DecodeInit(ctx.get());
  std::string out(clean.size() / 4 * 3 + 3, '\0');
  int n = 0;
  int tail = 0;
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  const auto* src = reinterpret_cast<const unsigned char*>(clean.data());
  if (EVP_DecodeUpdate(ctx.get(), dst, &n, src, static_cast<int>(clean.size())) < 0) {
    return std::nullopt;
  }
  if (EVP_DecodeFinal(ctx.get(), dst + n, &tail) < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n + tail));
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace sp::kube
