// file:// URIs <-> absolute paths (RFC 3986 percent-encoding), the only scheme clangd serves.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aorm::clangd {

// Absolute path of a file URI, or nothing for other schemes and bad escapes.
std::optional<std::string> uriToPath(std::string_view Uri);
std::string pathToUri(std::string_view AbsolutePath);

} // namespace aorm::clangd
