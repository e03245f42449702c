#include "common/uuid.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <random>

#include "common/error.h"

namespace sp {
namespace {

using Bytes = std::array<uint8_t, 16>;

constexpr char kHex[] = "0123456789abcdef";

std::string format(const Bytes& b) {
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xf]);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Bytes parse(std::string_view s) {
  if (!is_uuid(s)) throw Invalid("not a UUID: \"" + std::string(s) + "\"");
  Bytes b{};
  size_t j = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '-') continue;
    const int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
    b[j++] = static_cast<uint8_t>(hi << 4 | lo);
    ++i;
  }
  return b;
}

// Sets the four version bits and the two RFC 4122 variant bits.
void stamp(Bytes& b, int version) {
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | (version << 4));
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
}

}  // namespace

std::string uuid_v4() {
  // std::random_device reads getrandom()/dev/urandom on Linux: fine for identifiers.
  thread_local std::random_device rd;
  Bytes b{};
  for (size_t i = 0; i < b.size(); i += 4) {
    const uint32_t r = rd();
    for (size_t k = 0; k < 4; ++k) b[i + k] = static_cast<uint8_t>(r >> (8 * k));
  }
  stamp(b, 4);
  return format(b);
}

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  const Bytes ns = parse(namespace_uuid);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  const bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, ns.data(), ns.size()) == 1 &&
                  EVP_DigestUpdate(ctx, name.data(), name.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, digest.data(), &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || len < 16) throw Error("uuid_v5: SHA-1 from libcrypto failed");
  Bytes b{};
  for (size_t i = 0; i < b.size(); ++i) b[i] = digest[i];
  stamp(b, 5);
  return format(b);
}

std::string uuid_from_name(std::string_view name) {
  return uuid_v5(kSparkplaneUuidNamespace, name);
}

std::string uuid_v8(uint64_t value, std::string_view name) {
  Bytes b = parse(uuid_from_name(name));  // bytes 8-15: the variant bits and 62 bits of SHA-1
  for (size_t i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(value >> (56 - 8 * i));
  b[6] = static_cast<uint8_t>((value >> 12) & 0x0f);
  b[7] = static_cast<uint8_t>(value >> 4);
  stamp(b, 8);
  return format(b);
}

std::optional<uint64_t> uuid_v8_value(std::string_view id) {
  if (!is_uuid(id)) return std::nullopt;
  const Bytes b = parse(id);
  if ((b[6] >> 4) != 8 || (b[8] & 0xc0) != 0x80) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < 6; ++i) v = v << 8 | b[i];
  v = v << 4 | (b[6] & 0x0f);
  v = v << 8 | b[7];
  return v << 4;
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (hex_value(s[i]) < 0) {
      return false;
    }
  }
  return true;
}

}  // namespace sp
