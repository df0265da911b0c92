#include "Uri.h"

#include <gtest/gtest.h>

using namespace aorm::clangd;

TEST(Uri, RoundTripsPathsWithReservedCharacters) {
  std::string Path = "/tmp/my project/a#b%c/caf\xC3\xA9.cpp";
  std::string Uri = pathToUri(Path);
  EXPECT_EQ(Uri, "file:///tmp/my%20project/a%23b%25c/caf%C3%A9.cpp");
  EXPECT_EQ(uriToPath(Uri), Path);
}

TEST(Uri, AcceptsLocalhostAndLowercaseEscapes) {
  EXPECT_EQ(uriToPath("file://localhost/a/b%2fc"), "/a/b/c");
}

TEST(Uri, RejectsOtherSchemesHostsAndBadEscapes) {
  EXPECT_FALSE(uriToPath("untitled:Untitled-1"));
  EXPECT_FALSE(uriToPath("file://server/share/a.cpp"));
  EXPECT_FALSE(uriToPath("file:///a%2"));
  EXPECT_FALSE(uriToPath("file:///a%zz"));
  EXPECT_FALSE(uriToPath("file://"));
}
