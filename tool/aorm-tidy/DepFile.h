// Reads the Makefile-style dependency file the compiler writes with -MD: the list of every file a
// translation unit read, which keys the result cache.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aorm::tidy {

// The prerequisites in Text ("target: a.cpp b.h \\\n c.h"), in order, without duplicates.
// Relative paths are resolved against Directory (the compile command's working directory).
std::vector<std::string> parseDepFile(std::string_view Text, std::string_view Directory);

} // namespace aorm::tidy
