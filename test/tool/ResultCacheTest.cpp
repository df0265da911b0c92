#include "ResultCache.h"

#include "FindingsJson.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace aorm::tidy;

namespace {

class ResultCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("aorm-tidy-cache-test", Root));
    Header = path("h.h");
    Source = path("a.cpp");
    write(Header, "int h;\n");
    write(Source, "#include \"h.h\"\n");
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  std::string path(llvm::StringRef Name) {
    llvm::SmallString<256> P(Root);
    llvm::sys::path::append(P, Name);
    return P.str().str();
  }
  static void write(const std::string &File, llvm::StringRef Text) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    OS << Text;
  }
  std::unique_ptr<ResultCache> open(std::string Identity = "tool-1") {
    return llvm::cantFail(ResultCache::open(path("cache"), std::move(Identity)));
  }
  static std::vector<ClangTidyError> findings() {
    ClangTidyError E("aorm-x", ClangTidyError::Warning, "/b", false);
    E.Message.Message = "m";
    E.Message.FilePath = "/a.cpp";
    return {E};
  }

  llvm::SmallString<256> Root;
  std::string Header, Source;
};

} // namespace

TEST_F(ResultCacheTest, HitWhenNothingChanged) {
  auto Cache = open();
  std::string Key = Cache->key({Source, "flags", "config"});
  EXPECT_FALSE(Cache->lookup(Key));
  llvm::cantFail(Cache->store(Key, {Source, Header}, findings()));
  auto Again = open(); // A later run.
  auto Hit = Again->lookup(Key);
  ASSERT_TRUE(Hit);
  ASSERT_EQ(Hit->size(), 1u);
  EXPECT_EQ((*Hit)[0].DiagnosticName, "aorm-x");
}

TEST_F(ResultCacheTest, MissAfterTouchingAHeader) {
  auto Cache = open();
  std::string Key = Cache->key({Source});
  llvm::cantFail(Cache->store(Key, {Source, Header}, findings()));
  write(Header, "int h; // touched\n");
  EXPECT_FALSE(open()->lookup(Key));
}

TEST_F(ResultCacheTest, MissWhenADependencyIsGone) {
  auto Cache = open();
  std::string Key = Cache->key({Source});
  llvm::cantFail(Cache->store(Key, {Source, Header}, findings()));
  llvm::sys::fs::remove(Header);
  EXPECT_FALSE(open()->lookup(Key));
}

TEST_F(ResultCacheTest, KeyCoversPartsAndToolIdentity) {
  auto Cache = open();
  EXPECT_EQ(Cache->key({"a", "b"}), Cache->key({"a", "b"}));
  EXPECT_NE(Cache->key({"a", "b"}), Cache->key({"a", "c"}));
  EXPECT_NE(Cache->key({"ab", "c"}), Cache->key({"a", "bc"}));
  EXPECT_NE(Cache->key({"a"}), open("tool-2")->key({"a"}));
}

TEST_F(ResultCacheTest, DamagedEntryIsAMiss) {
  auto Cache = open();
  std::string Key = Cache->key({Source});
  llvm::cantFail(Cache->store(Key, {Source}, findings()));
  write(path("cache/" + Key + ".json"), "{\"dependencies\": 3, \"findings\": []}");
  EXPECT_FALSE(open()->lookup(Key));
  write(path("cache/" + Key + ".json"), "not json at all");
  EXPECT_FALSE(open()->lookup(Key));
}

TEST_F(ResultCacheTest, OpenOnAFileFailsWithItsName) {
  auto Cache = ResultCache::open(Source, "t");
  ASSERT_FALSE(Cache);
  std::string Message = llvm::toString(Cache.takeError());
  EXPECT_NE(Message.find("--cache-dir"), std::string::npos) << Message;
  EXPECT_NE(Message.find("a.cpp"), std::string::npos) << Message;
}

// Replayed findings must end where fresh ones do: the ranges the ends derive from are stored.
TEST_F(ResultCacheTest, RangesOfFindingsAndNotesAreReplayed) {
  write(Source, "#include \"h.h\"\nint x = get(1,\n  2);\n");
  auto Cache = open();
  std::string Key = Cache->key({Source});
  std::vector<ClangTidyError> Stored = findings();
  ClangTidyError &E = Stored[0];
  E.Message.FilePath = Source;
  E.Message.FileOffset = 23;
  auto Range = [&](unsigned Offset, unsigned Length) {
    clang::tooling::FileByteRange R;
    R.FilePath = Source;
    R.FileOffset = Offset;
    R.Length = Length;
    return R;
  };
  E.Message.Ranges.push_back(Range(23, 11)); // get(1,\n  2)
  clang::tooling::DiagnosticMessage Note;
  Note.Message = "n";
  Note.FilePath = Source;
  Note.FileOffset = 27;
  Note.Ranges.push_back(Range(27, 1));
  E.Notes.push_back(Note);
  llvm::cantFail(Cache->store(Key, {Source, Header}, Stored));

  auto Hit = open()->lookup(Key);
  ASSERT_TRUE(Hit);
  ASSERT_EQ(Hit->size(), 1u);
  const ClangTidyError &Back = (*Hit)[0];
  ASSERT_EQ(Back.Message.Ranges.size(), 1u);
  EXPECT_EQ(Back.Message.Ranges[0].FilePath, Source);
  EXPECT_EQ(Back.Message.Ranges[0].FileOffset, 23u);
  EXPECT_EQ(Back.Message.Ranges[0].Length, 11u);
  ASSERT_EQ(Back.Notes.size(), 1u);
  ASSERT_EQ(Back.Notes[0].Ranges.size(), 1u);
  EXPECT_EQ(Back.Notes[0].Ranges[0].FileOffset, 27u);
  SourcePositions Positions;
  nlohmann::json Fresh = findingToJson(E, &Positions), Replayed = findingToJson(Back, &Positions);
  EXPECT_EQ(Replayed, Fresh);
  EXPECT_EQ(Replayed["endLine"], 3);
  EXPECT_EQ(Replayed["endColumn"], 5);
  EXPECT_EQ(Replayed["notes"][0]["endColumn"], 14);
}
