#include "DepFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <fstream>

using aorm::tidy::parseDepFile;

TEST(DepFile, ContinuationLinesAndRelativePaths) {
  auto Deps = parseDepFile("a.o: src/a.cpp \\\n  /usr/include/x.h \\\n  ../inc/y.h\n", "/p/build");
  // None of these exist, so they keep their spelling (made absolute, '..' kept).
  EXPECT_EQ(Deps, (std::vector<std::string>{"/p/build/src/a.cpp", "/usr/include/x.h",
                                            "/p/build/../inc/y.h"}));
}

TEST(DepFile, DotDotAfterASymlinkNamesTheFileTheCompilerRead) {
  // GCC's headers reach clang as /../lib/gcc/<triple>/12/../../../../include/c++/12/vector, where
  // /lib is a symlink; lexical '..' removal would name a file that does not exist.
  llvm::SmallString<128> Root;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("aorm-depfile", Root));
  auto Sub = [&](llvm::StringRef Rel) {
    llvm::SmallString<128> P(Root);
    llvm::sys::path::append(P, Rel);
    return std::string(P);
  };
  ASSERT_FALSE(llvm::sys::fs::create_directories(Sub("usr/lib/gcc/12")));
  ASSERT_FALSE(llvm::sys::fs::create_directories(Sub("usr/include")));
  { std::ofstream(Sub("usr/include/vector")) << "// header\n"; }
  ASSERT_FALSE(llvm::sys::fs::create_link("usr/lib", Sub("lib")));
  auto Deps = parseDepFile("a.o: " + Sub("lib/gcc/12/../../../include/vector") + "\n", "/");
  ASSERT_EQ(Deps.size(), 1u);
  EXPECT_TRUE(llvm::sys::fs::exists(Deps[0])) << Deps[0];
  llvm::SmallString<128> Expected;
  ASSERT_FALSE(llvm::sys::fs::real_path(Sub("usr/include/vector"), Expected));
  EXPECT_EQ(Deps[0], std::string(Expected));
  llvm::sys::fs::remove_directories(Root);
}

TEST(DepFile, EscapedSpacesAndDollars) {
  auto Deps = parseDepFile("a.o: /p/my\\ dir/a.cpp /p/cost$$.h\n", "/");
  EXPECT_EQ(Deps, (std::vector<std::string>{"/p/my dir/a.cpp", "/p/cost$.h"}));
}

TEST(DepFile, PhonyRulesAddNothingNewAndDuplicatesCollapse) {
  // -MP adds "header:" rules; a header listed twice is one dependency.
  auto Deps = parseDepFile("a.o: /a.cpp /b.h /b.h\n/b.h:\n", "/");
  EXPECT_EQ(Deps, (std::vector<std::string>{"/a.cpp", "/b.h"}));
}

TEST(DepFile, TargetIsNotADependency) {
  auto Deps = parseDepFile("/out/a.cpp.o: /src/a.cpp", "/");
  EXPECT_EQ(Deps, (std::vector<std::string>{"/src/a.cpp"}));
  EXPECT_TRUE(parseDepFile("", "/").empty());
}
