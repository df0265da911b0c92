#include "Sarif.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "RangeSample.h"
#include <gtest/gtest.h>

using namespace aorm::tidy;
using clang::tooling::Replacement;

namespace {

class SarifTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("aorm-tidy-sarif-test", Root));
    llvm::SmallString<256> P(Root);
    llvm::sys::path::append(P, "src", "a file.cpp");
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    File = P.str().str();
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    OS << "int a;\nint b = get();\n"; // "get" starts at offset 15: line 2, column 9.
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  ClangTidyError finding(bool AsError) {
    ClangTidyError E("aorm-blocking-call-in-coroutine", ClangTidyError::Warning, Root.str().str(),
                     AsError);
    E.Message.Message = "call to 'get' blocks";
    E.Message.FilePath = File;
    E.Message.FileOffset = 15;
    llvm::cantFail(E.Message.Fix[File].add(Replacement(File, 15, 3, "co_await aget")));
    clang::tooling::DiagnosticMessage Note;
    Note.Message = "declared here";
    Note.FilePath = File;
    Note.FileOffset = 0;
    E.Notes.push_back(Note);
    return E;
  }

  llvm::SmallString<256> Root;
  std::string File;
  SourcePositions Positions;
};

} // namespace

TEST_F(SarifTest, RequiredPropertiesRulesAndRegions) {
  nlohmann::json Log =
      sarifLog({finding(false)}, {"aorm-missing-co-await"}, Root.str().str(), Positions);
  EXPECT_EQ(Log["version"], "2.1.0");
  ASSERT_EQ(Log["runs"].size(), 1u);
  const nlohmann::json &Run = Log["runs"][0];
  EXPECT_EQ(Run["tool"]["driver"]["name"], "aorm-tidy");
  // Enabled checks and checks with findings, sorted, each once.
  const nlohmann::json &Rules = Run["tool"]["driver"]["rules"];
  ASSERT_EQ(Rules.size(), 2u);
  EXPECT_EQ(Rules[0]["id"], "aorm-blocking-call-in-coroutine");
  EXPECT_EQ(Rules[1]["id"], "aorm-missing-co-await");

  const nlohmann::json &Result = Run["results"][0];
  EXPECT_EQ(Result["ruleId"], "aorm-blocking-call-in-coroutine");
  EXPECT_EQ(Result["ruleIndex"], 0);
  EXPECT_EQ(Result["level"], "warning");
  const nlohmann::json &Loc = Result["locations"][0]["physicalLocation"];
  EXPECT_EQ(Loc["artifactLocation"]["uri"], "src/a%20file.cpp");
  EXPECT_EQ(Loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(Loc["region"]["startLine"], 2);
  EXPECT_EQ(Loc["region"]["startColumn"], 9);
  // No range: the region ends with the token at the location ("get"), as does the note's ("int").
  EXPECT_EQ(Loc["region"]["endLine"], 2);
  EXPECT_EQ(Loc["region"]["endColumn"], 12);
  const nlohmann::json &NoteRegion = Result["relatedLocations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(NoteRegion["startLine"], 1);
  EXPECT_EQ(NoteRegion["endLine"], 1);
  EXPECT_EQ(NoteRegion["endColumn"], 4);
  EXPECT_EQ(Result["relatedLocations"][0]["message"]["text"], "declared here");

  const nlohmann::json &Rep = Result["fixes"][0]["artifactChanges"][0]["replacements"][0];
  EXPECT_EQ(Rep["deletedRegion"]["startLine"], 2);
  EXPECT_EQ(Rep["deletedRegion"]["startColumn"], 9);
  EXPECT_EQ(Rep["deletedRegion"]["endColumn"], 12);
  EXPECT_EQ(Rep["insertedContent"]["text"], "co_await aget");
  std::string Base = Run["originalUriBaseIds"]["%SRCROOT%"]["uri"];
  EXPECT_EQ(Base.rfind("file://", 0), 0u);
  EXPECT_EQ(Base.back(), '/');
}

TEST_F(SarifTest, WarningsAsErrorsAreErrorsAndOutsidePathsAbsolute) {
  nlohmann::json Log = sarifLog({finding(true)}, {}, "/elsewhere", Positions);
  const nlohmann::json &Result = Log["runs"][0]["results"][0];
  EXPECT_EQ(Result["level"], "error");
  std::string Uri = Result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
  EXPECT_EQ(Uri.rfind("file:///", 0), 0u) << Uri;
  EXPECT_FALSE(
      Result["locations"][0]["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
}

TEST_F(SarifTest, UnreadableFileFallsBackToOffsets) {
  ClangTidyError E = finding(false);
  E.Message.FilePath = Root.str().str() + "/gone.cpp";
  E.Message.Fix.clear();
  E.Notes.clear();
  nlohmann::json Log = sarifLog({E}, {}, Root.str().str(), Positions);
  const nlohmann::json &Region =
      Log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(Region["charOffset"], 15);
  EXPECT_FALSE(Region.contains("startLine"));
}

TEST_F(SarifTest, ColumnsCountCodePointsAsTheRunDeclares) {
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    // "\u00e9" is two bytes in UTF-8: "get" (offset 17) is at byte column 11, code point 10.
    OS << "int a;\nauto \u00e9 = get();\n";
  }
  SourcePositions Fresh; // the fixture's instance may have cached the old content
  ClangTidyError E = finding(false);
  E.Message.FileOffset = 17;
  E.Message.Fix.clear();
  E.Notes.clear();
  nlohmann::json Log = sarifLog({E}, {}, Root.str().str(), Fresh);
  EXPECT_EQ(Log["runs"][0]["columnKind"], "unicodeCodePoints");
  const nlohmann::json &Region =
      Log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(Region["startLine"], 2);
  EXPECT_EQ(Region["startColumn"], 10);
}

namespace {

// Regions end where the finding's first range in its own file ends, in code points.
class SarifEndTest : public SarifTest {
protected:
  void SetUp() override {
    SarifTest::SetUp();
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    OS << Text;
  }
  unsigned offsetOf(llvm::StringRef Needle) const {
    return aorm::tidy::test::offsetIn(Text, Needle);
  }
  clang::tooling::FileByteRange range(unsigned Begin, unsigned End) const {
    return aorm::tidy::test::byteRange(File, Begin, End);
  }
  ClangTidyError at(unsigned Offset) {
    ClangTidyError E = finding(false);
    E.Message.FileOffset = Offset;
    E.Message.Fix.clear();
    E.Notes.clear();
    return E;
  }
  nlohmann::json regionOf(const ClangTidyError &E) {
    SourcePositions Fresh; // The fixture's instance has read the old content.
    nlohmann::json Log = sarifLog({E}, {}, Root.str().str(), Fresh);
    return Log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
  }

  const llvm::StringRef Text = aorm::tidy::test::RangeSampleText;
};

} // namespace

TEST_F(SarifEndTest, EndColumnCountsCodePointsInsideAndBeforeTheRange) {
  ClangTidyError E = at(offsetOf("get(\""));
  E.Message.Ranges.push_back(range(offsetOf("get(\""), offsetOf("\");") + 2)); // get("é")
  nlohmann::json Region = regionOf(E);
  EXPECT_EQ(Region["startLine"], 2);
  EXPECT_EQ(Region["startColumn"], 10);
  EXPECT_EQ(Region["endLine"], 2);
  EXPECT_EQ(Region["endColumn"], 18); // Bytes would say 20.
}

TEST_F(SarifEndTest, RangeOnALaterLineAndRangesThatCannotEndIt) {
  // At '=', with the left operand before it (skipped) and the call after it.
  ClangTidyError E = at(offsetOf("= get(a"));
  E.Message.Ranges = {range(offsetOf("b ="), offsetOf("b =") + 1),
                      range(offsetOf("get(a"), offsetOf("b);") + 2)};
  nlohmann::json Region = regionOf(E);
  EXPECT_EQ(Region["startLine"], 3);
  EXPECT_EQ(Region["startColumn"], 7);
  EXPECT_EQ(Region["endLine"], 4);
  EXPECT_EQ(Region["endColumn"], 5);
}

TEST_F(SarifEndTest, WithoutARangeTheTokenEnds) {
  nlohmann::json Region = regionOf(at(offsetOf("get(\"")));
  EXPECT_EQ(Region["startColumn"], 10);
  EXPECT_EQ(Region["endLine"], 2);
  EXPECT_EQ(Region["endColumn"], 13);
}

TEST_F(SarifEndTest, NoTokenNoEnd) {
  nlohmann::json Region = regionOf(at(offsetOf(" a;")));
  EXPECT_EQ(Region["startColumn"], 4);
  EXPECT_FALSE(Region.contains("endLine"));
  EXPECT_FALSE(Region.contains("endColumn"));
}
