// What happens to a task stored in a local variable, path by path: clang's CFG of the body, with
// every expression its own element, answers whether some path leaves the task un-awaited, awaits
// it twice, or uses it after it was moved from.
#pragma once

#include "clang/AST/Expr.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>

namespace clang::tidy::aorm {

// How one mention of a task variable treats the task.
enum class UseKind {
  Await,     // co_await t, co_await std::move(t)
  Move,      // std::move(t) handed to someone else: t is empty afterwards
  Consume,   // returned, passed on, copied into another variable or container
  Overwrite, // t = other: a new task from here on
  Inspect,   // t.valid() and the like: the task stays where it is
};

struct TaskUse {
  const DeclRefExpr *Ref = nullptr;
  UseKind Kind = UseKind::Inspect;
};

class TaskFlow {
public:
  // Builds the CFG of Body once; every question below is answered on it.
  TaskFlow(const Stmt &Body, ASTContext &Ctx);
  bool valid() const { return Graph != nullptr; }

  // Whether a path from the declaration Decl reaches the end of the body (or a co_return)
  // without meeting a use that awaits, moves or hands on the task.
  bool leavesUnawaited(const Stmt &Decl, llvm::ArrayRef<TaskUse> Uses) const;

  // A use that a path reaches after First awaited or moved the task, with no overwrite between:
  // the second await, or a use of the moved-from variable.
  std::optional<TaskUse> reusedAfter(const TaskUse &First, llvm::ArrayRef<TaskUse> Uses) const;

private:
  struct Position {
    const CFGBlock *Block = nullptr;
    unsigned Index = 0;
  };
  // What a search does at an element: go on, end this path, or stop with a hit.
  enum class Verdict { Continue, EndPath, Hit };
  // Searches forward from just after At; Hit receives the element that stopped the search.
  // Returns whether a hit was found; ReachedExit tells whether some path ended at the exit.
  bool search(Position At, llvm::function_ref<Verdict(const Stmt &)> Judge,
              const Stmt **Hit, bool *ReachedExit) const;

  std::unique_ptr<CFG> Graph;
  llvm::DenseMap<const Stmt *, Position> Positions;
};

} // namespace clang::tidy::aorm
