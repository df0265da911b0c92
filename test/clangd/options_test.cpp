#include "Options.h"

#include <gtest/gtest.h>

using namespace aorm::clangd;

namespace {

std::optional<Options> parse(std::vector<std::string> Args, std::string &Error) {
  Args.insert(Args.begin(), "aorm-clangd");
  std::vector<char *> Argv;
  for (std::string &A : Args)
    Argv.push_back(A.data());
  return parseOptions(static_cast<int>(Argv.size()), Argv.data(), Error);
}

} // namespace

TEST(Options, OwnOptionsAreTakenAndTheRestPassedOn) {
  std::string Error;
  auto O = parse({"--clangd=/opt/clangd", "--aorm-debounce", "120", "-j=4",
                  "--compile-commands-dir", "/b", "-log=verbose", "--pretty"},
                 Error);
  ASSERT_TRUE(O) << Error;
  EXPECT_EQ(O->Clangd, "/opt/clangd");
  EXPECT_EQ(O->Debounce.count(), 120);
  EXPECT_EQ(O->CompileCommandsDir, "/b");
  EXPECT_EQ(O->Level, LogLevel::Verbose);
  EXPECT_EQ(O->ClangdArgs, (std::vector<std::string>{"-j=4", "--compile-commands-dir", "/b",
                                                     "-log=verbose", "--pretty"}));
}

TEST(Options, SimilarNamesAreNotOurs) {
  std::string Error;
  auto O = parse({"--clangd-tidy", "--logger=x"}, Error);
  ASSERT_TRUE(O) << Error;
  EXPECT_FALSE(O->Clangd);
  EXPECT_EQ(O->ClangdArgs, (std::vector<std::string>{"--clangd-tidy", "--logger=x"}));
}

TEST(Options, BadValuesNameTheOption) {
  std::string Error;
  EXPECT_FALSE(parse({"--aorm-debounce=-5"}, Error));
  EXPECT_EQ(Error, "--aorm-debounce: '-5' is not a number of milliseconds between 0 and 60000");
  EXPECT_FALSE(parse({"--clangd"}, Error));
  EXPECT_EQ(Error, "--clangd needs a path to the clangd executable");
  EXPECT_FALSE(parse({"--log=chatty"}, Error));
  EXPECT_EQ(Error, "--log: 'chatty' is not one of error, info, verbose");
  EXPECT_FALSE(parse({"--compile-commands-dir="}, Error));
  EXPECT_EQ(Error, "--compile-commands-dir needs a directory");
}

TEST(Options, OneShotInvocationsGoStraightToClangd) {
  EXPECT_TRUE(isOneShotInvocation({"--version"}));
  EXPECT_TRUE(isOneShotInvocation({"--log=verbose", "-help"}));
  EXPECT_TRUE(isOneShotInvocation({"--check=/tmp/a.cpp"}));
  EXPECT_FALSE(isOneShotInvocation({"--log=verbose", "--pretty"}));
  EXPECT_FALSE(isOneShotInvocation({}));
}
