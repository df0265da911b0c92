#include "CoroutineContext.h"

#include "clang/AST/DeclObjC.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::aorm {

Enclosing findEnclosing(const Stmt &S, ASTContext &Ctx) {
  Enclosing Result;
  DynTypedNode Node = DynTypedNode::create(S);
  for (;;) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return Result;
    const DynTypedNode &P = Parents[0];
    if (const auto *LE = P.get<LambdaExpr>()) {
      // Captures and their initializers run in the enclosing function; only the body is the
      // lambda's own.
      if (Node.get<Stmt>() == LE->getBody()) {
        Result.Function = LE->getCallOperator();
        return Result;
      }
    } else if (const auto *FD = P.get<FunctionDecl>()) {
      Result.Function = FD;
      return Result;
    } else if (P.get<BlockDecl>() || P.get<ObjCMethodDecl>()) {
      return Result;
    } else if (P.get<TypeLoc>() || P.get<RequiresExpr>() || P.get<CXXNoexceptExpr>() ||
               P.get<UnaryExprOrTypeTraitExpr>() || P.get<ConceptSpecializationExpr>()) {
      Result.Unevaluated = true;
    } else if (const auto *TE = P.get<CXXTypeidExpr>()) {
      if (!TE->isPotentiallyEvaluated())
        Result.Unevaluated = true;
    } else if (const auto *Body = P.get<CoroutineBodyStmt>()) {
      if (Node.get<Stmt>() != Body->getBody())
        Result.Implicit = true;
    } else if (P.get<CXXCatchStmt>()) {
      Result.InHandler = true;
    }
    Node = P;
  }
}

bool isCoroutine(const FunctionDecl *FD) {
  return FD && isa_and_nonnull<CoroutineBodyStmt>(FD->getBody());
}

static bool isLambdaCallOperator(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  return MD && MD->getParent()->isLambda();
}

std::string displayName(const FunctionDecl *FD) {
  return isLambdaCallOperator(FD) ? "lambda" : FD->getNameAsString();
}

std::string describeFunction(const FunctionDecl *FD, llvm::StringRef Kind) {
  if (isLambdaCallOperator(FD))
    return (Kind + " lambda").str();
  return (Kind + " '" + FD->getNameAsString() + "'").str();
}

static bool isImplicitWrapper(const Stmt *S, bool SkipParens) {
  return isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ExprWithCleanups,
             ConstantExpr, FullExpr>(S) ||
         (SkipParens && isa<ParenExpr>(S));
}

DynTypedNode semanticParent(const Expr &E, ASTContext &Ctx, const Expr **Child, bool SkipParens) {
  const Expr *Current = &E;
  for (;;) {
    DynTypedNodeList Parents = Ctx.getParents(*Current);
    if (Parents.empty())
      return {};
    const DynTypedNode &P = Parents[0];
    const auto *PE = P.get<Expr>();
    // An elidable copy/move of a temporary is implicit too: the user wrote one expression.
    const auto *Construct = PE ? dyn_cast<CXXConstructExpr>(PE) : nullptr;
    bool ElidedCopy = Construct && Construct->getNumArgs() == 1 &&
                      (Construct->isElidable() || Construct->getParenOrBraceRange().isInvalid()) &&
                      !isa<CXXTemporaryObjectExpr>(Construct);
    if (PE && (isImplicitWrapper(PE, SkipParens) || ElidedCopy)) {
      Current = PE;
      continue;
    }
    if (Child)
      *Child = Current;
    return P;
  }
}

bool awaitNeedsParens(const Expr &E, ASTContext &Ctx) {
  const Expr *Child = nullptr;
  DynTypedNode P = semanticParent(E, Ctx, &Child);
  if (const auto *ME = P.get<MemberExpr>())
    return ME->getBase()->IgnoreImplicit() == Child->IgnoreImplicit();
  if (const auto *ASE = P.get<ArraySubscriptExpr>())
    return ASE->getBase()->IgnoreImplicit() == Child->IgnoreImplicit();
  if (const auto *UO = P.get<UnaryOperator>())
    return UO->isPostfix();
  if (const auto *Op = P.get<CXXOperatorCallExpr>()) {
    if (Op->getNumArgs() == 0 || Op->getArg(0)->IgnoreImplicit() != Child->IgnoreImplicit())
      return false;
    switch (Op->getOperator()) {
    case OO_Arrow:
    case OO_Subscript:
    case OO_Call:
      return true;
    case OO_PlusPlus:
    case OO_MinusMinus:
      return Op->getNumArgs() == 2; // the postfix form has a dummy int argument
    default:
      return false;
    }
  }
  if (const auto *CE = P.get<CallExpr>())
    return CE->getCallee()->IgnoreImplicit() == Child->IgnoreImplicit();
  if (P.get<CXXDependentScopeMemberExpr>() || P.get<UnresolvedMemberExpr>())
    return true;
  return false;
}

bool isPostfixExpression(const Expr &E) {
  const Expr *S = E.IgnoreImplicit();
  return isa<DeclRefExpr, MemberExpr, CallExpr, ParenExpr, ArraySubscriptExpr, CXXThisExpr,
             CXXDependentScopeMemberExpr, DependentScopeDeclRefExpr, UnresolvedLookupExpr,
             CXXTemporaryObjectExpr, CXXFunctionalCastExpr, CXXNamedCastExpr>(S);
}

CharSourceRange fileRange(SourceRange R, ASTContext &Ctx) {
  return Lexer::makeFileCharRange(CharSourceRange::getTokenRange(R), Ctx.getSourceManager(),
                                  Ctx.getLangOpts());
}

std::string sourceText(const Expr &E, ASTContext &Ctx) {
  CharSourceRange R = fileRange(E.getSourceRange(), Ctx);
  if (R.isInvalid())
    return "";
  return Lexer::getSourceText(R, Ctx.getSourceManager(), Ctx.getLangOpts()).str();
}

std::string textBetween(SourceLocation Begin, SourceLocation End, ASTContext &Ctx) {
  CharSourceRange R = Lexer::makeFileCharRange(CharSourceRange::getCharRange(Begin, End),
                                               Ctx.getSourceManager(), Ctx.getLangOpts());
  if (R.isInvalid())
    return "";
  return Lexer::getSourceText(R, Ctx.getSourceManager(), Ctx.getLangOpts()).str();
}

std::string shortText(llvm::StringRef Text) {
  std::string Flat;
  for (char C : Text) {
    if (C == '\n' || C == '\t' || C == '\r')
      C = ' ';
    if (C == ' ' && !Flat.empty() && Flat.back() == ' ')
      continue;
    Flat.push_back(C);
  }
  // Long receivers would drown the message; the location already points at them.
  constexpr size_t Limit = 40;
  if (Flat.empty() || Flat.size() > Limit)
    return "...";
  return Flat;
}

} // namespace clang::tidy::aorm
