// aorm findings link to our check pages.
//
// clangd gives every clang-tidy diagnostic a codeDescription link to clang-tidy's web site,
// built inside its Diagnostics.cpp where no hook reaches; for an aorm check that page does not
// exist. The link is rewritten where clangd turns its diagnostics into JSON for the editor:
// the linker sends clangd's calls of toJSON(PublishDiagnosticsParams) and toJSON(CodeAction)
// here (`--wrap`, see CMakeLists.txt). Only the JSON is touched, so nothing depends on the
// layout of clangd's structs (whose headers Debian does not ship).

#include "DocLinks.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/Regex.h"

namespace clang::clangd {
struct PublishDiagnosticsParams;
struct CodeAction;
} // namespace clang::clangd

namespace aorm::clangd {
namespace {

// A URL is accepted when it starts with a scheme (`file:`, `https:` ...), as LSP requires.
class DocsUrlParser : public llvm::cl::parser<std::string> {
public:
  using llvm::cl::parser<std::string>::parser;
  bool parse(llvm::cl::Option &O, llvm::StringRef, llvm::StringRef Arg, std::string &Value) {
    static const llvm::Regex Scheme("^[A-Za-z][A-Za-z0-9+.-]*:.");
    if (!Scheme.match(Arg))
      return O.error("'" + Arg + "' is not a URL (want e.g. file:///usr/share/doc/aorm/checks " +
                     "or https://host/aorm/docs/checks)");
    Value = Arg.str();
    return false;
  }
};

llvm::cl::opt<std::string, false, DocsUrlParser> DocsUrl(
    "aorm-docs-url",
    llvm::cl::desc("Folder (URL) holding aorm-<check>.md, the target of aorm findings' "
                   "documentation links"),
    llvm::cl::value_desc("url"), llvm::cl::init(AORM_DEFAULT_DOCS_URL));

// Every diagnostic in V (also those nested in code actions) whose code names an aorm check.
void relink(llvm::json::Value &V) {
  if (auto *Array = V.getAsArray()) {
    for (llvm::json::Value &Element : *Array)
      relink(Element);
    return;
  }
  auto *Object = V.getAsObject();
  if (!Object)
    return;
  if (auto Code = Object->getString("code"); Code && Code->starts_with("aorm-") &&
                                             Object->getString("message"))
    (*Object)["codeDescription"] = llvm::json::Object{{"href", docLink(*Code)}};
  for (auto &Member : *Object)
    relink(Member.second);
}

} // namespace

llvm::cl::Option &docsUrlOption() { return DocsUrl; }

std::string docLink(llvm::StringRef Check) {
  std::string Link = DocsUrl;
  if (!llvm::StringRef(Link).ends_with("/"))
    Link += '/';
  return Link + Check.str() + ".md";
}

} // namespace aorm::clangd

#define AORM_TO_JSON_PUBLISH "_ZN5clang6clangd6toJSONERKNS0_24PublishDiagnosticsParamsE"
#define AORM_TO_JSON_CODE_ACTION "_ZN5clang6clangd6toJSONERKNS0_10CodeActionE"

llvm::json::Value clangdPublishToJSON(const clang::clangd::PublishDiagnosticsParams &)
    __asm__("__real_" AORM_TO_JSON_PUBLISH);
llvm::json::Value aormPublishToJSON(const clang::clangd::PublishDiagnosticsParams &)
    __asm__("__wrap_" AORM_TO_JSON_PUBLISH);
llvm::json::Value clangdCodeActionToJSON(const clang::clangd::CodeAction &)
    __asm__("__real_" AORM_TO_JSON_CODE_ACTION);
llvm::json::Value aormCodeActionToJSON(const clang::clangd::CodeAction &)
    __asm__("__wrap_" AORM_TO_JSON_CODE_ACTION);

llvm::json::Value aormPublishToJSON(const clang::clangd::PublishDiagnosticsParams &Params) {
  llvm::json::Value V = clangdPublishToJSON(Params);
  aorm::clangd::relink(V);
  return V;
}

llvm::json::Value aormCodeActionToJSON(const clang::clangd::CodeAction &Action) {
  llvm::json::Value V = clangdCodeActionToJSON(Action);
  aorm::clangd::relink(V);
  return V;
}
