#include "TaskFlow.h"

#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::aorm {

TaskFlow::TaskFlow(const Stmt &Body, ASTContext &Ctx) {
  CFG::BuildOptions Options;
  Options.setAllAlwaysAdd(); // every expression its own element, so each use has a position
  Graph = CFG::buildCFG(nullptr, const_cast<Stmt *>(&Body), &Ctx, Options);
  if (!Graph)
    return;
  for (const CFGBlock *B : *Graph) {
    unsigned I = 0;
    for (const CFGElement &E : *B) {
      if (std::optional<CFGStmt> S = E.getAs<CFGStmt>())
        Positions.try_emplace(S->getStmt(), Position{B, I});
      ++I;
    }
  }
}

bool TaskFlow::search(Position At, llvm::function_ref<Verdict(const Stmt &)> Judge,
                      const Stmt **Hit, bool *ReachedExit) const {
  llvm::SmallVector<Position, 16> Work{{At.Block, At.Index + 1}};
  llvm::SmallPtrSet<const CFGBlock *, 32> Entered;
  while (!Work.empty()) {
    Position P = Work.pop_back_val();
    bool Ended = false;
    for (unsigned I = P.Index; I < P.Block->size() && !Ended; ++I) {
      std::optional<CFGStmt> S = (*P.Block)[I].getAs<CFGStmt>();
      if (!S)
        continue;
      // A co_return leaves the body, whatever the CFG draws after it.
      if (isa<CoreturnStmt>(S->getStmt())) {
        if (ReachedExit)
          *ReachedExit = true;
        Ended = true;
        break;
      }
      switch (Judge(*S->getStmt())) {
      case Verdict::Continue:
        break;
      case Verdict::EndPath:
        Ended = true;
        break;
      case Verdict::Hit:
        if (Hit)
          *Hit = S->getStmt();
        return true;
      }
    }
    if (Ended)
      continue;
    if (P.Block == &Graph->getExit() || P.Block->succ_empty()) {
      if (ReachedExit)
        *ReachedExit = true;
      continue;
    }
    for (const CFGBlock::AdjacentBlock &Succ : P.Block->succs())
      if (const CFGBlock *Next = Succ.getReachableBlock())
        if (Entered.insert(Next).second)
          Work.push_back({Next, 0});
  }
  return false;
}

static const TaskUse *useAt(const Stmt &S, llvm::ArrayRef<TaskUse> Uses) {
  for (const TaskUse &U : Uses)
    if (U.Ref == &S)
      return &U;
  return nullptr;
}

bool TaskFlow::leavesUnawaited(const Stmt &Decl, llvm::ArrayRef<TaskUse> Uses) const {
  auto It = Positions.find(&Decl);
  if (It == Positions.end())
    return false; // not in the graph (unreachable code): nothing to say
  bool Exit = false;
  search(
      It->second,
      [&](const Stmt &S) {
        const TaskUse *U = useAt(S, Uses);
        if (U && (U->Kind == UseKind::Await || U->Kind == UseKind::Move ||
                  U->Kind == UseKind::Consume))
          return Verdict::EndPath;
        return Verdict::Continue;
      },
      nullptr, &Exit);
  return Exit;
}

std::optional<TaskUse> TaskFlow::reusedAfter(const TaskUse &First,
                                             llvm::ArrayRef<TaskUse> Uses) const {
  auto It = Positions.find(First.Ref);
  if (It == Positions.end())
    return std::nullopt;
  const Stmt *Hit = nullptr;
  bool Found = search(
      It->second,
      [&](const Stmt &S) {
        const TaskUse *U = useAt(S, Uses);
        if (!U)
          return Verdict::Continue;
        if (U->Kind == UseKind::Overwrite)
          return Verdict::EndPath;
        // After an await only another await is wrong; after a move every use is.
        if (First.Kind == UseKind::Move || U->Kind == UseKind::Await)
          return Verdict::Hit;
        return Verdict::Continue;
      },
      &Hit, nullptr);
  if (!Found)
    return std::nullopt;
  return *useAt(*Hit, Uses);
}

} // namespace clang::tidy::aorm
