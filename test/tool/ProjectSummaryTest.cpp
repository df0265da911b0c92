// The merge and resolution of per-TU summaries, and the summary file's round trip and errors.
#include "ProjectSummary.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace clang::tidy::aorm::summary {
namespace {

Location at(const char *File, unsigned Line) { return {File, Line * 10, Line, 1}; }
// A call to Usr, or (Usr empty) a call that blocks by itself.
Call call(std::string Usr, std::string Callee, unsigned Line, bool Virtual = false) {
  return {std::move(Usr), std::move(Callee), Virtual, at("f.cpp", Line)};
}
Function fn(std::string Usr, std::vector<Call> Calls, std::vector<std::string> Overrides = {}) {
  return {Usr, Usr, at("f.cpp", 1), std::move(Calls), std::move(Overrides)};
}
std::vector<std::string> names(const std::vector<Link> &Chain) {
  std::vector<std::string> Out;
  for (const Link &L : Chain)
    Out.push_back(L.Function + "->" + L.Callee);
  return Out;
}

ProjectSummary resolved(std::vector<TuSummary> Tus) {
  ProjectSummary P;
  for (const TuSummary &T : Tus)
    P.add(T);
  P.resolve();
  return P;
}

TEST(ProjectSummary, ChainAcrossTus) {
  TuSummary A{{fn("a", {call("b", "b", 2)})}, {}};
  TuSummary B{{fn("b", {call("c", "c", 3)})}, {}};
  TuSummary C{{fn("c", {call("", "get", 4)})}, {}};
  ProjectSummary P = resolved({A, B, C});
  EXPECT_EQ(names(P.chain("a", false)), (std::vector<std::string>{"a->b", "b->c", "c->get"}));
  EXPECT_TRUE(P.chain("unknown", false).empty());
}

TEST(ProjectSummary, CyclesTerminate) {
  // x <-> y never reach a blocking call; p <-> q do, through q.
  TuSummary T{{fn("x", {call("y", "y", 1)}), fn("y", {call("x", "x", 2)}),
               fn("p", {call("q", "q", 3)}), fn("q", {call("p", "p", 4), call("", "count", 5)})},
              {}};
  ProjectSummary P = resolved({T});
  EXPECT_TRUE(P.chain("x", false).empty());
  EXPECT_EQ(names(P.chain("p", false)), (std::vector<std::string>{"p->q", "q->count"}));
  EXPECT_EQ(names(P.chain("q", false)), (std::vector<std::string>{"q->count"}));
}

TEST(ProjectSummary, VirtualNeedsEveryOverride) {
  TuSummary T{{fn("Sql::size", {call("", "count", 1)}, {"Base::size"}),
               fn("Sql2::size", {call("", "count", 2)}, {"Sql::size"}),
               fn("Mem::size", {}, {"Cache::size"}), fn("Db::size", {call("", "get", 3)}, {"Cache::size"}),
               fn("caller", {call("Base::size", "size", 4, /*Virtual=*/true)})},
              {}};
  ProjectSummary P = resolved({T});
  EXPECT_EQ(P.chain("Base::size", true).size(), 1u);
  EXPECT_TRUE(P.chain("Cache::size", true).empty()); // Mem::size does not block
  EXPECT_EQ(names(P.chain("caller", false)).front(), "caller->size");
  // A direct (non-virtual) call of the base's own declaration has no body to run.
  EXPECT_TRUE(P.chain("Base::size", false).empty());
}

TEST(ProjectSummary, FirstDefinitionWins) {
  TuSummary First{{fn("h", {})}, {}};
  TuSummary Second{{fn("h", {call("", "get", 9)})}, {}};
  EXPECT_TRUE(resolved({First, Second}).chain("h", false).empty());
}

TEST(ProjectSummary, TuSummaryRoundTrip) {
  TuSummary T{{fn("a", {call("b", "b", 2, true)}, {"base"})},
              {{"a", false, "call to 'a'", "coroutine 'h'", "use 'co_await aa(...)' instead"}}};
  llvm::Expected<TuSummary> Back = tuSummaryFromJson(toJson(T));
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(toJson(*Back), toJson(T));
  llvm::Expected<TuSummary> Bad = tuSummaryFromJson(R"({"functions": [{"usr": 3}], "sites": []})");
  ASSERT_FALSE(bool(Bad));
  EXPECT_NE(llvm::toString(Bad.takeError()).find("'function.usr' must be a string"),
            std::string::npos);
}

std::string writeTemp(const std::string &Text) {
  llvm::SmallString<128> Path;
  int FD;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("summary", "json", FD, Path));
  llvm::raw_fd_ostream(FD, true) << Text;
  return Path.str().str();
}

TEST(ProjectSummary, FileRoundTrip) {
  TuSummary T{{fn("a", {call("b", "b", 2)}), fn("b", {call("", "get", 3)}),
               fn("o", {call("", "get", 4)}, {"v"})},
              {}};
  ProjectSummary P = resolved({T});
  std::string Path = writeTemp(P.toJson());
  llvm::Expected<ProjectSummary> Loaded = ProjectSummary::load(Path);
  ASSERT_TRUE(bool(Loaded)) << llvm::toString(Loaded.takeError());
  EXPECT_EQ(names(Loaded->chain("a", false)), names(P.chain("a", false)));
  EXPECT_EQ(Loaded->chain("v", true).size(), 1u);
  EXPECT_EQ(Loaded->toJson(), P.toJson());
  llvm::sys::fs::remove(Path);
}

TEST(ProjectSummary, FileErrorsNameTheFile) {
  auto ErrorOf = [](const std::string &Text) {
    std::string Path = writeTemp(Text);
    llvm::Expected<ProjectSummary> P = ProjectSummary::load(Path);
    llvm::sys::fs::remove(Path);
    EXPECT_FALSE(bool(P));
    std::string Message = P ? "" : llvm::toString(P.takeError());
    EXPECT_NE(Message.find(Path), std::string::npos) << Message;
    return Message;
  };
  EXPECT_NE(ErrorOf("not json").find("is not JSON"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"format": "other", "version": 1})").find("not an aorm project summary"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"format": "aorm-project-summary", "version": 2})").find("version 2"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"format": "aorm-project-summary", "version": 1, "blocking": [{"usr": "a"}],
                        "virtual": []})")
                .find("'blocking[].name' must be a string"),
            std::string::npos);
  llvm::Expected<ProjectSummary> Missing = ProjectSummary::load("/no/such/summary.json");
  ASSERT_FALSE(bool(Missing));
  EXPECT_NE(llvm::toString(Missing.takeError()).find("cannot read '/no/such/summary.json'"),
            std::string::npos);
}

} // namespace
} // namespace clang::tidy::aorm::summary
