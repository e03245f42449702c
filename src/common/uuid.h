// RFC 4122 / RFC 9562 UUIDs: random (version 4) for object uids, name-based (version 5) for
// stable ids, and version 8 (vendor-defined) for ids that carry a value of their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp {

// A fresh random version 4 UUID in lowercase canonical form
// ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"), from the kernel's random source.
std::string uuid_v4();

// The version 5 (SHA-1) UUID of `name` in the namespace `namespace_uuid` (canonical form;
// throws sp::Invalid if it is not a UUID). Same inputs, same UUID, on every machine.
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

// uuid_v5 in sparkplane's own namespace (kSparkplaneUuidNamespace).
std::string uuid_from_name(std::string_view name);

// A version 8 UUID (RFC 9562) that carries the top 60 bits of `value` in its custom_a and
// custom_b fields, and 62 bits of the SHA-1 of `name` (in sparkplane's namespace, as
// uuid_from_name) in custom_c. Same inputs, same UUID.
std::string uuid_v8(uint64_t value, std::string_view name);

// The 60 bits uuid_v8 stored, as a value whose low 4 bits are zero; nullopt for a string that
// is not a version 8 UUID (other versions carry nothing).
std::optional<uint64_t> uuid_v8_value(std::string_view id);

// True for the canonical 8-4-4-4-12 hexadecimal form (either case).
bool is_uuid(std::string_view s);

// RFC 4122 appendix C namespaces, and sparkplane's own.
inline constexpr std::string_view kUuidNamespaceDns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
inline constexpr std::string_view kUuidNamespaceUrl = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
inline constexpr std::string_view kSparkplaneUuidNamespace = "3f1c6a2e-8d4b-4e57-9a10-5c2b7e9d41f6";

}  // namespace sp
