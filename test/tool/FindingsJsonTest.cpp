#include "FindingsJson.h"

#include <gtest/gtest.h>

using namespace aorm::tidy;
using clang::tooling::Replacement;

namespace {

ClangTidyError sample() {
  ClangTidyError E("aorm-blocking-call-in-coroutine", ClangTidyError::Warning, "/build",
                   /*IsWarningAsError=*/true);
  E.Message.Message = "call to 'get' blocks";
  E.Message.FilePath = "/src/a.cpp";
  E.Message.FileOffset = 42;
  llvm::cantFail(E.Message.Fix["/src/a.cpp"].add(Replacement("/src/a.cpp", 40, 3, "co_await x")));
  llvm::cantFail(E.Message.Fix["/src/b.h"].add(Replacement("/src/b.h", 7, 0, "#include <y>\n")));
  clang::tooling::FileByteRange Range;
  Range.FilePath = "/src/a.cpp";
  Range.FileOffset = 40;
  Range.Length = 17;
  E.Message.Ranges.push_back(Range);
  clang::tooling::DiagnosticMessage Note;
  Note.Message = "'helper' calls 'get' here";
  Note.FilePath = "/src/c.cpp";
  Note.FileOffset = 9;
  E.Notes.push_back(Note);
  E.EnabledDiagnosticAliases = {"aorm-alias"};
  return E;
}

} // namespace

TEST(FindingsJson, RoundTripKeepsEveryField) {
  nlohmann::json First = findingToJson(sample(), nullptr);
  ClangTidyError Back = findingFromJson(First);
  EXPECT_EQ(findingToJson(Back, nullptr), First);
  EXPECT_EQ(Back.DiagnosticName, "aorm-blocking-call-in-coroutine");
  EXPECT_TRUE(Back.IsWarningAsError);
  EXPECT_EQ(Back.Message.FileOffset, 42u);
  ASSERT_EQ(Back.Notes.size(), 1u);
  EXPECT_EQ(Back.Notes[0].FilePath, "/src/c.cpp");
  EXPECT_EQ(Back.Message.Fix.size(), 2u);
  EXPECT_EQ(Back.Message.Fix["/src/b.h"].begin()->getReplacementText(), "#include <y>\n");
  // Serialised text parses back to the same document.
  EXPECT_EQ(nlohmann::json::parse(First.dump()), First);
}

TEST(FindingsJson, FixesAreOrderedByFile) {
  nlohmann::json J = findingToJson(sample(), nullptr);
  ASSERT_EQ(J["fixes"].size(), 2u);
  EXPECT_EQ(J["fixes"][0]["file"], "/src/a.cpp");
  EXPECT_EQ(J["fixes"][1]["file"], "/src/b.h");
}

TEST(FindingsJson, MissingFieldIsNamed) {
  nlohmann::json J = findingToJson(sample(), nullptr);
  J.erase("offset");
  nlohmann::json List = nlohmann::json::array({findingToJson(sample(), nullptr), J});
  try {
    findingsFromJson(List);
    FAIL() << "accepted a finding without an offset";
  } catch (const FindingFormatError &E) {
    EXPECT_STREQ(E.what(), "finding 1: missing field 'offset'");
  }
}

TEST(FindingsJson, WrongTypesAndLevelsAreRejected) {
  nlohmann::json J = findingToJson(sample(), nullptr);
  J["offset"] = "forty-two";
  EXPECT_THROW(findingFromJson(J), FindingFormatError);
  J = findingToJson(sample(), nullptr);
  J["level"] = "fatal";
  EXPECT_THROW(findingFromJson(J), FindingFormatError);
  EXPECT_THROW(findingFromJson(nlohmann::json::array()), FindingFormatError);
  EXPECT_THROW(findingsFromJson(nlohmann::json::object()), FindingFormatError);
}

TEST(Findings, MergeIsOrderIndependentAndDeduplicates) {
  auto At = [](std::string File, unsigned Offset) {
    ClangTidyError E("aorm-x", ClangTidyError::Warning, "/b", false);
    E.Message.FilePath = File;
    E.Message.FileOffset = Offset;
    E.Message.Message = "m";
    return E;
  };
  // A header finding seen from two TUs is reported once.
  TuResult A{"/a.cpp", TuStatus::Analyzed, {At("/a.cpp", 5), At("/h.h", 1)}};
  TuResult B{"/b.cpp", TuStatus::Analyzed, {At("/h.h", 1), At("/b.cpp", 3)}};
  auto AB = mergeFindings({A, B});
  auto BA = mergeFindings({B, A});
  ASSERT_EQ(AB.size(), 3u);
  for (std::size_t I = 0; I < AB.size(); ++I) {
    EXPECT_EQ(AB[I].Message.FilePath, BA[I].Message.FilePath);
    EXPECT_EQ(AB[I].Message.FileOffset, BA[I].Message.FileOffset);
  }
  EXPECT_EQ(AB[0].Message.FilePath, "/a.cpp");
  EXPECT_EQ(AB[2].Message.FilePath, "/h.h");
}

TEST(Findings, RelativePathsResolveAgainstTheBuildDirectory) {
  ClangTidyError E("aorm-x", ClangTidyError::Warning, "/p/build", false);
  E.Message.FilePath = "../src/a.cpp";
  llvm::cantFail(E.Message.Fix["../src/a.cpp"].add(Replacement("../src/a.cpp", 1, 1, "y")));
  makePathsAbsolute(E);
  EXPECT_EQ(E.Message.FilePath, "/p/src/a.cpp");
  ASSERT_EQ(E.Message.Fix.count("/p/src/a.cpp"), 1u);
  EXPECT_EQ(E.Message.Fix["/p/src/a.cpp"].begin()->getFilePath(), "/p/src/a.cpp");
}
