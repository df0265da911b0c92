#include "CompileDb.h"

#include "clang/Tooling/JSONCompilationDatabase.h"

#include <gtest/gtest.h>

#include <map>

using namespace aorm::tidy;

TEST(Shard, ParsesKOverN) {
  auto S = parseShard("2/4");
  ASSERT_TRUE(bool(S));
  EXPECT_EQ(S->Index, 2u);
  EXPECT_EQ(S->Count, 4u);
  for (const char *Bad : {"0/4", "5/4", "1/0", "a/b", "3", "", "1/2/3", "-1/2"}) {
    auto R = parseShard(Bad);
    ASSERT_FALSE(bool(R)) << Bad;
    std::string Message = llvm::toString(R.takeError());
    EXPECT_NE(Message.find("--shard"), std::string::npos) << Message;
  }
}

static std::unique_ptr<clang::tooling::CompilationDatabase> dbOf(unsigned Files) {
  std::string Json = "[";
  for (unsigned I = 0; I < Files; ++I)
    Json += std::string(I ? "," : "") + R"({"directory": "/p", "file": "/p/f)" + std::to_string(I) +
            R"(.cpp", "command": "c++ -c f.cpp"})";
  Json += "]";
  std::string Error;
  auto Db = clang::tooling::JSONCompilationDatabase::loadFromBuffer(
      Json, Error, clang::tooling::JSONCommandLineSyntax::Gnu);
  EXPECT_TRUE(Db) << Error;
  return Db;
}

TEST(Selection, ShardsCoverEveryFileExactlyOnce) {
  for (unsigned Files : {0u, 1u, 2u, 5u, 7u}) {
    auto Db = dbOf(Files);
    for (unsigned N = 1; N <= 4; ++N) {
      std::map<std::string, int> Seen;
      for (unsigned K = 1; K <= N; ++K)
        for (const std::string &F : selectFiles(*Db, {}, Shard{K, N}).Files)
          ++Seen[F];
      EXPECT_EQ(Seen.size(), Files) << Files << " files, " << N << " shards";
      for (auto &[File, Count] : Seen)
        EXPECT_EQ(Count, 1) << File;
    }
  }
}

TEST(Selection, WholeDatabaseIsSortedAndUnique) {
  auto Db = dbOf(3);
  Selection S = selectFiles(*Db, {}, Shard{});
  EXPECT_EQ(S.Files, (std::vector<std::string>{"/p/f0.cpp", "/p/f1.cpp", "/p/f2.cpp"}));
  EXPECT_TRUE(S.Unrunnable.empty());
}

TEST(Selection, MissingAndUnlistedFilesAreReportedNotRun) {
  auto Db = dbOf(2);
  // /p does not exist on disk, so a named file there is missing; the test's own binary exists but
  // is not in the database.
  Selection S = selectFiles(*Db, {"/p/f0.cpp", "/proc/self/exe"}, Shard{});
  EXPECT_TRUE(S.Files.empty());
  ASSERT_EQ(S.Unrunnable.size(), 2u);
  EXPECT_EQ(S.Unrunnable[0].Status, TuStatus::Missing);
  EXPECT_EQ(S.Unrunnable[1].Status, TuStatus::NotInDatabase);
}

TEST(CompileDb, MissingDirectoryAndDatabaseAreNamed) {
  auto Missing = loadCompilationDatabase("/no/such/build", {});
  ASSERT_FALSE(bool(Missing));
  EXPECT_NE(llvm::toString(Missing.takeError()).find("/no/such/build"), std::string::npos);
  auto Empty = loadCompilationDatabase("/proc/self", {});
  ASSERT_FALSE(bool(Empty));
  EXPECT_NE(llvm::toString(Empty.takeError()).find("no compilation database in"),
            std::string::npos);
}
