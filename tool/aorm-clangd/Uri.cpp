#include "Uri.h"

namespace aorm::clangd {

namespace {

int hexValue(char C) {
  if (C >= '0' && C <= '9')
    return C - '0';
  if (C >= 'a' && C <= 'f')
    return C - 'a' + 10;
  if (C >= 'A' && C <= 'F')
    return C - 'A' + 10;
  return -1;
}

bool isUnreserved(char C) {
  return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') || (C >= '0' && C <= '9') || C == '-' ||
         C == '.' || C == '_' || C == '~' || C == '/';
}

} // namespace

std::optional<std::string> uriToPath(std::string_view Uri) {
  constexpr std::string_view Scheme = "file://";
  if (Uri.substr(0, Scheme.size()) != Scheme)
    return std::nullopt;
  Uri.remove_prefix(Scheme.size());
  // An authority other than empty or localhost names another machine.
  std::size_t Slash = Uri.find('/');
  if (Slash == std::string_view::npos)
    return std::nullopt;
  std::string_view Authority = Uri.substr(0, Slash);
  if (!Authority.empty() && Authority != "localhost")
    return std::nullopt;
  Uri.remove_prefix(Slash);
  std::string Path;
  Path.reserve(Uri.size());
  for (std::size_t I = 0; I < Uri.size(); ++I) {
    if (Uri[I] != '%') {
      Path += Uri[I];
      continue;
    }
    if (I + 2 >= Uri.size() || hexValue(Uri[I + 1]) < 0 || hexValue(Uri[I + 2]) < 0)
      return std::nullopt;
    Path += static_cast<char>(hexValue(Uri[I + 1]) * 16 + hexValue(Uri[I + 2]));
    I += 2;
  }
  return Path;
}

std::string pathToUri(std::string_view AbsolutePath) {
  static constexpr char Hex[] = "0123456789ABCDEF";
  std::string Uri = "file://";
  for (char C : AbsolutePath) {
    if (isUnreserved(C)) {
      Uri += C;
    } else {
      auto Byte = static_cast<unsigned char>(C);
      Uri += '%';
      Uri += Hex[Byte >> 4];
      Uri += Hex[Byte & 0xF];
    }
  }
  return Uri;
}

} // namespace aorm::clangd
