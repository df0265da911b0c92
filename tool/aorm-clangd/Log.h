// Diagnostics of the proxy itself go to stderr; stdout carries the LSP stream only.
#pragma once

#include <string_view>

namespace aorm::clangd {

enum class LogLevel { Error, Info, Verbose };

void setLogLevel(LogLevel Level);
bool logEnabled(LogLevel Level);
// Writes one "aorm-clangd: <level>: <message>" line to stderr, atomically with respect to the
// proxy's other threads.
void log(LogLevel Level, std::string_view Message);

} // namespace aorm::clangd
