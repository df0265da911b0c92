// A source text with a multi-byte character and a call split over lines, and the byte ranges the
// end-position tests build on it: shared by the JSON and SARIF tests.
#pragma once

#include "clang/Tooling/Core/Diagnostic.h"
#include "llvm/ADT/StringRef.h"
#include <gtest/gtest.h>
#include <string>

namespace aorm::tidy::test {

// "é" is two bytes and one code point: on line 2 byte columns run one ahead of code points.
inline constexpr llvm::StringLiteral RangeSampleText = "int a;\n"
                                                      "auto \u00e9 = get(\"\u00e9\");\n"
                                                      "int b = get(a,\n"
                                                      "  b);\n";

inline unsigned offsetIn(llvm::StringRef Text, llvm::StringRef Needle, std::size_t From = 0) {
  std::size_t At = Text.find(Needle, From);
  EXPECT_NE(At, llvm::StringRef::npos) << Needle.str();
  return static_cast<unsigned>(At);
}

inline clang::tooling::FileByteRange byteRange(const std::string &File, unsigned Begin,
                                               unsigned End) {
  clang::tooling::FileByteRange R;
  R.FilePath = File;
  R.FileOffset = Begin;
  R.Length = End - Begin;
  return R;
}

} // namespace aorm::tidy::test
