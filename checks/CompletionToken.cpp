#include "CompletionToken.h"
#include "CoroutineContext.h"
#include "QualifiedName.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/MacroInfo.h"

namespace clang::tidy::aorm {
namespace {

// Uses of the candidate tokens in the main file's own declarations.
class TokenUses : public RecursiveASTVisitor<TokenUses> {
public:
  TokenUses(const std::vector<std::string> &Candidates, ASTContext &Ctx)
      : Candidates(Candidates), Ctx(Ctx), Counts(Candidates.size(), 0),
        Spelled(Candidates.size()) {
    for (const std::string &C : Candidates) {
      llvm::StringRef Last = llvm::StringRef(C).rsplit("::").second;
      LastNames.push_back((Last.empty() ? llvm::StringRef(C) : Last).str());
    }
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
    if (!Var || !Var->getIdentifier())
      return true;
    for (size_t I = 0; I < Candidates.size(); ++I) {
      if (Var->getName() != LastNames[I] ||
          !qualifiedNameMatches(plainQualifiedName(*Var), "::" + Candidates[I]))
        continue;
      if (Counts[I]++ == 0)
        Spelled[I] = sourceText(*Ref, Ctx);
      break;
    }
    return true;
  }
  const std::vector<std::string> &Candidates;
  ASTContext &Ctx;
  std::vector<std::string> LastNames;
  std::vector<unsigned> Counts;
  std::vector<std::string> Spelled;
};

} // namespace

bool macroAtLeast(llvm::StringRef Condition, const Preprocessor *PP) {
  auto [Name, Number] = Condition.split(">=");
  Name = Name.trim();
  unsigned long long Wanted = 0;
  if (!PP || Name.empty() || Number.trim().getAsInteger(10, Wanted))
    return false;
  const IdentifierInfo *II = PP->getIdentifierInfo(Name);
  const MacroInfo *MI = II ? PP->getMacroInfo(II) : nullptr;
  if (!MI || MI->getNumTokens() != 1 || MI->tokens()[0].getKind() != tok::numeric_constant)
    return false;
  unsigned long long Value = 0;
  if (PP->getSpelling(MI->tokens()[0]).empty() ||
      llvm::StringRef(PP->getSpelling(MI->tokens()[0])).getAsInteger(10, Value))
    return false;
  return Value >= Wanted;
}

ChosenToken chooseToken(const TokenEntry &T, ASTContext &Ctx, const Preprocessor *PP) {
  std::vector<std::string> Candidates{llvm::StringRef(T.Token).ltrim(':').str()};
  for (const std::string &A : T.Alternatives)
    Candidates.push_back(llvm::StringRef(A).ltrim(':').str());
  TokenUses Uses(Candidates, Ctx);
  const SourceManager &SM = Ctx.getSourceManager();
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      Uses.TraverseDecl(D);
  size_t Best = Candidates.size();
  for (size_t I = 0; I < Candidates.size(); ++I)
    if (Uses.Counts[I] > 0 && !Uses.Spelled[I].empty() &&
        (Best == Candidates.size() || Uses.Counts[I] > Uses.Counts[Best]))
      Best = I;
  if (Best != Candidates.size())
    return {false, Uses.Spelled[Best]};
  if (!T.NoneWhen.empty() && macroAtLeast(T.NoneWhen, PP))
    return {true, ""};
  return {false, Candidates[0]};
}

} // namespace clang::tidy::aorm
