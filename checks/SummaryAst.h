// The AST side of the project summaries (ProjectSummary.h): USRs, locations as summaries store
// them, the functions a TU defines, and the summary file the ProjectSummary option names.
#pragma once

#include "ProjectSummary.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"

#include <functional>
#include <memory>
#include <string>

namespace clang::tidy::aorm::summary {

// USRs of declarations, computed once each per TU.
class UsrCache {
public:
  const std::string &of(const Decl *D);
  void clear() { Usrs.clear(); }

private:
  llvm::DenseMap<const Decl *, std::string> Usrs;
};

// Where Loc is written, as an absolute file path, byte offset, line and column.
Location locationOf(SourceLocation Loc, ASTContext &Ctx);

// A location for L in this TU's source manager (loading the file if the TU did not include it),
// or an invalid one when the file is gone or shorter than the offset.
SourceLocation locate(const Location &L, ASTContext &Ctx);

// Each function the main file defines, instantiations of its templates included, lambdas not.
void forEachMainFileFunction(ASTContext &Ctx, const std::function<void(const FunctionDecl &)> &Fn);

// An awaitable sibling the callee's scope declares under Django's or Drogon's naming ("aload",
// "loadAsync", "loadCoro"), or "".
std::string awaitableSibling(const FunctionDecl &Callee);

// The summary file the option names: an absolute path, or a relative one looked up from the main
// file's directory upwards (as .clang-tidy files are). Loaded once per process and file version;
// on failure returns null and sets Error to a message naming the file.
std::shared_ptr<const ProjectSummary> projectSummaryFor(llvm::StringRef Option,
                                                        llvm::StringRef MainFile,
                                                        std::string &Error);

} // namespace clang::tidy::aorm::summary
