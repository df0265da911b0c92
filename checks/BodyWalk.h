// The engine the three checks share: one top-down walk over a function body. At every node the
// walk knows the path from the body down to it (so no check asks the AST for parents, which would
// build clang's parent map over the whole translation unit) and where the node runs: the
// function's own code, a lambda it runs in place, a catch handler. Unevaluated operands, types,
// local classes and lambdas that run elsewhere or later are not entered.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTTypeTraits.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <functional>
#include <vector>
#include <optional>

namespace clang::tidy::aorm {

// The ancestors of the node being visited, from the walked body down to the node itself.
class Path {
public:
  void push(DynTypedNode N) { Nodes.push_back(N); }
  void pop() { Nodes.pop_back(); }
  size_t size() const { return Nodes.size(); }
  bool empty() const { return Nodes.empty(); }
  const DynTypedNode &operator[](size_t I) const { return Nodes[I]; }
  const DynTypedNode &back() const { return Nodes.back(); }

  // The index of the nearest ancestor of the node at Index that is not an implicit wrapper
  // (casts, temporaries, cleanups, elided copies; parentheses when SkipParens). The node right
  // below it on the path is at the returned index + 1.
  std::optional<size_t> semanticParent(size_t Index, bool SkipParens = false) const;

  // Convenience: the semantic parent of the node at Index and the expression below it.
  struct Step {
    DynTypedNode Parent;
    const Expr *Child = nullptr;
    size_t Index = 0;
  };
  std::optional<Step> parentStep(size_t Index, bool SkipParens = false) const;

private:
  llvm::SmallVector<DynTypedNode, 32> Nodes;
};

// How a lambda met in a body runs.
enum class LambdaRun {
  InPlace,   // invoked right there, or handed to a callee that calls it before returning
  Offloaded, // handed to a call that runs it on another thread (AORM_OFFLOADS, OffloadingFunctions)
  Later,     // stored, returned or handed to a constructor: runs when somebody calls it
};

// Whether a call hands its callable argument to another thread.
using OffloadTest = std::function<bool(const FunctionDecl &)>;

// Where the lambda at the back of P runs.
LambdaRun lambdaRun(const Path &P, const OffloadTest &Offloads);

// Whether nothing below S runs: sizeof/alignof, noexcept(), a requires-expression, an unevaluated
// typeid, a concept check.
bool introducesUnevaluatedOperand(const Stmt &S, ASTContext &Ctx);

// Where the node at the back of the path runs.
struct Place {
  bool InHandler = false;                // inside a catch handler, where co_await is ill-formed
  const LambdaExpr *InPlaceLambda = nullptr; // innermost non-coroutine lambda run in place
  // co_await can be written here: the coroutine's own code, outside any handler.
  bool canAwait() const { return !InHandler && !InPlaceLambda; }
};

// The user-written statements of a function: a coroutine's body without what Sema adds around it.
const Stmt *userBody(const FunctionDecl &Fn);

// The call operators whose bodies a lambda runs: its own, and for a generic lambda each
// instantiation (the pattern's calls on `auto` parameters resolve only there).
llvm::SmallVector<const FunctionDecl *, 2> lambdaBodies(const LambdaExpr &LE);

// The functions to walk, those with resolved types first: a finding in a template is reported
// once, from an instantiation when there is one (it knows the types), else from the pattern.
void instantiationsFirst(std::vector<const FunctionDecl *> &Functions);

// Derived implements Visit* methods of RecursiveASTVisitor; during a Visit the visited node is
// Walk.back() and Here says where it runs.
template <class Derived> class BodyWalker : public RecursiveASTVisitor<Derived> {
  using Base = RecursiveASTVisitor<Derived>;

public:
  BodyWalker(ASTContext &Ctx, OffloadTest Offloads, bool EnterInPlaceLambdas)
      : Ctx(Ctx), Offloads(std::move(Offloads)), EnterInPlaceLambdas(EnterInPlaceLambdas) {}

  void walk(const Stmt *Body) {
    if (Body)
      TraverseStmt(const_cast<Stmt *>(Body));
  }

  bool shouldVisitImplicitCode() const { return false; }
  bool shouldVisitTemplateInstantiations() const { return false; }

  bool TraverseStmt(Stmt *S) {
    if (!S || introducesUnevaluatedOperand(*S, Ctx))
      return true;
    Walk.push(DynTypedNode::create(*S));
    bool WasInHandler = Here.InHandler;
    if (isa<CXXCatchStmt>(S))
      Here.InHandler = true;
    bool Result = Base::TraverseStmt(S);
    Here.InHandler = WasInHandler;
    Walk.pop();
    return Result;
  }
  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    Walk.push(DynTypedNode::create(*D));
    bool Result = Base::TraverseDecl(D);
    Walk.pop();
    return Result;
  }
  // Nothing in a type runs (decltype, array bounds, template arguments).
  bool TraverseTypeLoc(TypeLoc) { return true; }
  // Members of a local class are functions of their own.
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
  bool TraverseRecordDecl(RecordDecl *) { return true; }

  bool TraverseLambdaExpr(LambdaExpr *LE) {
    // Init-captures run here, where the lambda is made.
    for (const LambdaCapture &C : LE->captures())
      if (LE->isInitCapture(&C))
        TraverseDecl(C.getCapturedVar());
    if (!EnterInPlaceLambdas || isa<CoroutineBodyStmt>(LE->getBody()))
      return static_cast<Derived *>(this)->onLambda(*LE, LambdaRun::Later);
    LambdaRun Run = lambdaRun(Walk, Offloads);
    static_cast<Derived *>(this)->onLambda(*LE, Run);
    if (Run != LambdaRun::InPlace)
      return true;
    Place Saved = Here;
    Here.InPlaceLambda = LE;
    Here.InHandler = false;
    TraverseStmt(LE->getBody());
    Here = Saved;
    return true;
  }
  bool onLambda(const LambdaExpr &, LambdaRun) { return true; }

protected:
  ASTContext &Ctx;
  Path Walk;
  Place Here;

private:
  OffloadTest Offloads;
  bool EnterInPlaceLambdas;
};

// One report per place: template instantiations share the pattern's locations, and nested calls
// share a start but not a name.
class ReportOnce {
public:
  bool first(SourceLocation Loc, SourceLocation Other = {}) {
    return Seen.insert((uint64_t(Loc.getRawEncoding()) << 32) | Other.getRawEncoding()).second;
  }
  void clear() { Seen.clear(); }

private:
  llvm::DenseSet<uint64_t> Seen;
};

} // namespace clang::tidy::aorm
