#include "DepFile.h"

#include <gtest/gtest.h>

using aorm::tidy::parseDepFile;

TEST(DepFile, ContinuationLinesAndRelativePaths) {
  auto Deps = parseDepFile("a.o: src/a.cpp \\\n  /usr/include/x.h \\\n  ../inc/y.h\n", "/p/build");
  EXPECT_EQ(Deps,
            (std::vector<std::string>{"/p/build/src/a.cpp", "/usr/include/x.h", "/p/inc/y.h"}));
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
