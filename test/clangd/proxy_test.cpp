// The proxy's merging logic without clangd: analyses are fed in as results, clangd's messages as
// strings, and what reaches the editor is read back from a pipe.
#include "Proxy.h"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace aorm::clangd;
using nlohmann::json;

namespace {

const std::string Uri = "file:///project/a.cpp";
const std::string Text = "int f() {\n  return g();\n}\n";

class ProxyTest : public ::testing::Test {
protected:
  ProxyTest() {
    EXPECT_EQ(::pipe(Fds), 0);
    Reader = std::make_unique<MessageReader>(Fds[0]);
    Out = std::make_unique<MessageWriter>(Fds[1]);
    P = std::make_unique<Proxy>(*Out, A);
  }
  ~ProxyTest() override {
    P.reset();
    Out.reset();
    ::close(Fds[0]);
    ::close(Fds[1]);
  }

  void initialize(json Caps) {
    P->fromClient(json{{"jsonrpc", "2.0"},
                       {"id", 1},
                       {"method", "initialize"},
                       {"params", {{"capabilities", std::move(Caps)}}}}
                      .dump());
    P->fromServer(
        json{{"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"capabilities", json::object()}}}}.dump());
    read(); // The initialize response.
  }
  void open(int Version) {
    P->fromClient(
        json{{"jsonrpc", "2.0"},
             {"method", "textDocument/didOpen"},
             {"params",
              {{"textDocument",
                {{"uri", Uri}, {"version", Version}, {"languageId", "cpp"}, {"text", Text}}}}}}
            .dump());
  }
  // One finding on `g()` (line 1, 9-12) with the given fixes.
  void finish(int Version, std::vector<Fix> Fixes) {
    Job Work;
    Work.Uri = Uri;
    Work.Version = Version;
    AnalysisResult Result;
    Result.Result = AnalysisResult::Outcome::Analysed;
    Finding F;
    F.Check = "aorm-test-check";
    F.Message = "g blocks";
    F.Where = Range{{1, 9}, {1, 12}};
    F.Fixes = std::move(Fixes);
    Result.Findings.push_back(std::move(F));
    P->analysisDone(Work, std::move(Result), /*Stale=*/false);
  }
  json codeAction(json Only = nullptr) {
    json Context = {{"diagnostics", json::array()}};
    if (!Only.is_null())
      Context["only"] = Only;
    P->fromClient(json{{"jsonrpc", "2.0"},
                       {"id", 7},
                       {"method", "textDocument/codeAction"},
                       {"params",
                        {{"textDocument", {{"uri", Uri}}},
                         {"range",
                          {{"start", {{"line", 1}, {"character", 10}}},
                           {"end", {{"line", 1}, {"character", 10}}}}},
                         {"context", Context}}}}
                      .dump());
    json ClangdAction = {{"title", "clangd's own"}, {"kind", "refactor"}};
    P->fromServer(
        json{{"jsonrpc", "2.0"}, {"id", 7}, {"result", json::array({ClangdAction})}}.dump());
    return read()["result"];
  }
  json read() {
    Out->flush();
    std::size_t Len = 0;
    std::string Problem, Body;
    EXPECT_EQ(Reader->readHeader(Len, Problem), MessageReader::Status::Header);
    EXPECT_TRUE(Reader->readBody(Len, Body));
    return json::parse(Body);
  }
  static Fix fix(std::string Title, std::string NewText) {
    return Fix{std::move(Title), {TextEdit{Range{{1, 9}, {1, 12}}, std::move(NewText)}}};
  }
  static json fullCaps() {
    return {{"textDocument",
             {{"codeAction", {{"codeActionLiteralSupport", json::object()}}},
              {"publishDiagnostics", {{"relatedInformation", true}}}}},
            {"workspace", {{"workspaceEdit", {{"documentChanges", true}}}}}};
  }

  int Fds[2] = {-1, -1};
  Analyzer A{std::nullopt, ""};
  std::unique_ptr<MessageWriter> Out;
  std::unique_ptr<Proxy> P;
  std::unique_ptr<MessageReader> Reader;
};

TEST_F(ProxyTest, MergesFindingsIntoClangdsDiagnostics) {
  initialize(fullCaps());
  open(3);
  P->fromServer(json{
      {"jsonrpc", "2.0"},
      {"method", "textDocument/publishDiagnostics"},
      {"params",
       {{"uri", Uri}, {"version", 3}, {"diagnostics", json::array({{{"message", "clangd's"}}})}}}}
                    .dump());
  EXPECT_EQ(read()["params"]["diagnostics"].size(), 1u); // Passed through: no findings yet.
  finish(3, {});
  json Params = read()["params"];
  ASSERT_EQ(Params["diagnostics"].size(), 2u);
  EXPECT_EQ(Params["diagnostics"][0]["message"], "clangd's");
  EXPECT_EQ(Params["diagnostics"][1]["source"], "aorm");
  EXPECT_EQ(Params["diagnostics"][1]["code"], "aorm-test-check");
  EXPECT_EQ(Params["version"], 3);
}

TEST_F(ProxyTest, OneFixIsPreferredAndVersioned) {
  initialize(fullCaps());
  open(4);
  finish(4, {fix("change 'g()' to 'h()'", "h()")});
  read(); // The publish.
  json Actions = codeAction();
  ASSERT_EQ(Actions.size(), 2u);
  EXPECT_EQ(Actions[0]["title"], "clangd's own");
  EXPECT_EQ(Actions[1]["title"], "change 'g()' to 'h()'");
  EXPECT_EQ(Actions[1]["isPreferred"], true);
  json Change = Actions[1]["edit"]["documentChanges"][0];
  EXPECT_EQ(Change["textDocument"]["version"], 4);
  EXPECT_EQ(Change["edits"][0]["newText"], "h()");
}

TEST_F(ProxyTest, SeveralFixesAreNotPreferred) {
  initialize(fullCaps());
  open(1);
  finish(1, {fix("one", "a()"), fix("two", "b()")});
  read();
  json Actions = codeAction();
  ASSERT_EQ(Actions.size(), 3u);
  EXPECT_FALSE(Actions[1].contains("isPreferred"));
  EXPECT_FALSE(Actions[2].contains("isPreferred"));
}

TEST_F(ProxyTest, RespectsOnlyKindsAndMissingLiteralSupport) {
  initialize(fullCaps());
  open(1);
  finish(1, {fix("one", "a()")});
  read();
  EXPECT_EQ(codeAction(json::array({"refactor"})).size(), 1u);
  EXPECT_EQ(codeAction(json::array({"quickfix"})).size(), 2u);
}

TEST_F(ProxyTest, NoLiteralSupportMeansNoAddedActions) {
  initialize(json::object());
  open(1);
  finish(1, {fix("one", "a()")});
  read();
  EXPECT_EQ(codeAction().size(), 1u);
}

TEST_F(ProxyTest, PlainChangesWithoutDocumentChangesSupport) {
  initialize({{"textDocument", {{"codeAction", {{"codeActionLiteralSupport", json::object()}}}}}});
  open(1);
  finish(1, {fix("one", "a()")});
  read();
  json Actions = codeAction();
  ASSERT_EQ(Actions.size(), 2u);
  EXPECT_EQ(Actions[1]["edit"]["changes"][Uri][0]["newText"], "a()");
}

TEST_F(ProxyTest, EditedBufferGetsNoStaleFixAndStaleResultsAreDropped) {
  initialize(fullCaps());
  open(1);
  finish(1, {fix("one", "a()")});
  read();
  P->fromClient(json{{"jsonrpc", "2.0"},
                     {"method", "textDocument/didChange"},
                     {"params",
                      {{"textDocument", {{"uri", Uri}, {"version", 2}}},
                       {"contentChanges", json::array({{{"text", "int f();\n"}}})}}}}
                    .dump());
  EXPECT_EQ(codeAction().size(), 1u); // Version 1's fix would land on the wrong text.
  finish(1, {fix("late", "z()")});    // An analysis of the old version finishing late.
  EXPECT_EQ(codeAction().size(), 1u); // Nothing published or offered for it.
}

TEST_F(ProxyTest, FindingsMoveWithEditsUntilReanalysed) {
  initialize(fullCaps());
  open(1);
  finish(1, {fix("one", "a()")});
  read();
  auto change = [&](int Version, json Range, std::string NewText) {
    P->fromClient(json{{"jsonrpc", "2.0"},
                       {"method", "textDocument/didChange"},
                       {"params",
                        {{"textDocument", {{"uri", Uri}, {"version", Version}}},
                         {"contentChanges", json::array({{{"range", Range}, {"text", NewText}}})}}}}
                      .dump());
    P->fromServer(
        json{{"jsonrpc", "2.0"},
             {"method", "textDocument/publishDiagnostics"},
             {"params", {{"uri", Uri}, {"version", Version}, {"diagnostics", json::array()}}}}
            .dump());
    return read()["params"]["diagnostics"];
  };
  auto at = [](int Line, int Char) { return json{{"line", Line}, {"character", Char}}; };
  // "  return g();" -> "  xxreturn g();": the finding on g() moves right.
  json Diags = change(2, {{"start", at(1, 2)}, {"end", at(1, 2)}}, "xx");
  ASSERT_EQ(Diags.size(), 1u);
  EXPECT_EQ(Diags[0]["range"]["start"], at(1, 11));
  EXPECT_EQ(Diags[0]["range"]["end"], at(1, 14));
  EXPECT_EQ(codeAction().size(), 1u); // Still no fix for an edited version.
  // Deleting the call itself removes the finding.
  Diags = change(3, {{"start", at(1, 11)}, {"end", at(1, 14)}}, "0");
  EXPECT_TRUE(Diags.empty());
}

TEST_F(ProxyTest, MalformedEditorMessagesAreRefused) {
  EXPECT_FALSE(P->fromClient("{\"jsonrpc\": "));
  EXPECT_FALSE(P->fromClient("[1]"));
  EXPECT_TRUE(P->fromClient("{\"method\": 5}"));
  EXPECT_TRUE(P->fromClient("{\"method\": \"textDocument/didOpen\", \"params\": []}"));
}

} // namespace
