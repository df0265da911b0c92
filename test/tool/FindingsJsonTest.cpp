#include "FindingsJson.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "RangeSample.h"
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

namespace {

// "endLine"/"endColumn" on a real file: columns in bytes, like "column".
class FindingsJsonEndTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("aorm-tidy-json-end-test", Root));
    llvm::SmallString<256> P(Root);
    llvm::sys::path::append(P, "a.cpp");
    File = P.str().str();
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    OS << Text;
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  unsigned offsetOf(llvm::StringRef Needle, std::size_t From = 0) const {
    return aorm::tidy::test::offsetIn(Text, Needle, From);
  }
  clang::tooling::FileByteRange range(unsigned Begin, unsigned End) const {
    return aorm::tidy::test::byteRange(File, Begin, End);
  }
  ClangTidyError at(unsigned Offset) const {
    ClangTidyError E("aorm-x", ClangTidyError::Warning, Root.str().str(), false);
    E.Message.Message = "m";
    E.Message.FilePath = File;
    E.Message.FileOffset = Offset;
    return E;
  }

  const llvm::StringRef Text = aorm::tidy::test::RangeSampleText;
  llvm::SmallString<256> Root;
  std::string File;
  SourcePositions Positions;
};

} // namespace

TEST_F(FindingsJsonEndTest, EndOfTheRangeInBytesPastMultiByteText) {
  unsigned Get = offsetOf("get");
  ClangTidyError E = at(Get);
  E.Message.Ranges.push_back(range(Get, offsetOf(";", Get))); // get("é")
  nlohmann::json J = findingToJson(E, &Positions);
  EXPECT_EQ(J["line"], 2);
  EXPECT_EQ(J["column"], 11);
  EXPECT_EQ(J["endLine"], 2);
  EXPECT_EQ(J["endColumn"], 20); // One past ')': 9 bytes after column 11, though 8 code points.
}

TEST_F(FindingsJsonEndTest, RangeEndingOnALaterLine) {
  unsigned Get = offsetOf("get(a");
  ClangTidyError E = at(Get);
  E.Message.Ranges.push_back(range(Get, offsetOf(");", Get) + 1));
  nlohmann::json J = findingToJson(E, &Positions);
  EXPECT_EQ(J["line"], 3);
  EXPECT_EQ(J["column"], 9);
  EXPECT_EQ(J["endLine"], 4);
  EXPECT_EQ(J["endColumn"], 5);
}

TEST_F(FindingsJsonEndTest, WithoutARangeTheTokenEnds) {
  nlohmann::json J = findingToJson(at(offsetOf("get")), &Positions);
  EXPECT_EQ(J["endLine"], 2);
  EXPECT_EQ(J["endColumn"], 14); // "get"
}

TEST_F(FindingsJsonEndTest, RangesBesideTheLocationOrElsewhereDoNotEndIt) {
  // Like clang's "expression result unused" at '=': the left operand ends before the finding.
  unsigned Assign = offsetOf("= get(a");
  unsigned Get = offsetOf("get(a");
  ClangTidyError E = at(Assign);
  clang::tooling::FileByteRange Other = range(Get, Get + 20);
  Other.FilePath = Root.str().str() + "/other.h";
  E.Message.Ranges = {range(offsetOf("b ="), offsetOf("b =") + 1), Other,
                      range(Get, offsetOf(");", Get) + 1)};
  nlohmann::json J = findingToJson(E, &Positions);
  EXPECT_EQ(J["endLine"], 4);
  EXPECT_EQ(J["endColumn"], 5);
  // Only ranges that cannot end it: the token at the location ('=').
  E.Message.Ranges.pop_back();
  J = findingToJson(E, &Positions);
  EXPECT_EQ(J["endLine"], 3);
  EXPECT_EQ(J["endColumn"], 8);
}

TEST_F(FindingsJsonEndTest, NotesEndTooAndEndsAreNotReadBack) {
  unsigned Get = offsetOf("get(a");
  ClangTidyError E = at(offsetOf("a;"));
  clang::tooling::DiagnosticMessage Note;
  Note.Message = "n";
  Note.FilePath = File;
  Note.FileOffset = Get;
  Note.Ranges.push_back(range(Get, offsetOf(");", Get) + 1));
  E.Notes.push_back(Note);
  nlohmann::json J = findingToJson(E, &Positions);
  EXPECT_EQ(J["endColumn"], 6); // "a"
  EXPECT_EQ(J["notes"][0]["endLine"], 4);
  EXPECT_EQ(J["notes"][0]["endColumn"], 5);
  // The ranges travel (the cache stores findings this way); the derived ends are recomputed.
  nlohmann::json Stored = findingToJson(E, nullptr);
  EXPECT_FALSE(Stored.contains("endLine"));
  ClangTidyError Back = findingFromJson(Stored);
  ASSERT_EQ(Back.Notes.size(), 1u);
  ASSERT_EQ(Back.Notes[0].Ranges.size(), 1u);
  EXPECT_EQ(Back.Notes[0].Ranges[0].Length, Note.Ranges[0].Length);
  EXPECT_EQ(findingToJson(Back, &Positions), J);
  J["endLine"] = "not read";
  EXPECT_NO_THROW(findingFromJson(J));
}

TEST_F(FindingsJsonEndTest, NoEndWithoutAFileOrAToken) {
  ClangTidyError Gone = at(0);
  Gone.Message.FilePath = Root.str().str() + "/gone.cpp";
  Gone.Message.Ranges.push_back(range(0, 3));
  Gone.Message.Ranges.back().FilePath = Gone.Message.FilePath;
  nlohmann::json J = findingToJson(Gone, &Positions);
  EXPECT_FALSE(J.contains("line"));
  EXPECT_FALSE(J.contains("endLine"));
  // On whitespace no token starts; a range past the end of the file is not used.
  ClangTidyError Space = at(offsetOf(" a;"));
  Space.Message.Ranges.push_back(range(0, static_cast<unsigned>(Text.size()) + 10));
  J = findingToJson(Space, &Positions);
  EXPECT_EQ(J["column"], 4);
  EXPECT_FALSE(J.contains("endLine"));
  EXPECT_FALSE(J.contains("endColumn"));
}
