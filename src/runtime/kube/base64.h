// Standard base64 (RFC 4648, padded) over OpenSSL's EVP codec: the *-data fields of a
// kubeconfig and the cluster info handed to exec credential plugins.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sp::kube {

// nullopt when the text is not base64 (line breaks and spaces are allowed).
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

}  // namespace sp::kube
