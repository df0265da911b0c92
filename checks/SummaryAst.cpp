#include "SummaryAst.h"

#include "Awaitable.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <mutex>

namespace clang::tidy::aorm::summary {

const std::string &UsrCache::of(const Decl *D) {
  D = D->getCanonicalDecl();
  auto [It, Inserted] = Usrs.try_emplace(D);
  if (Inserted) {
    llvm::SmallString<128> Buf;
    if (!index::generateUSRForDecl(D, Buf)) // returns true when it cannot
      It->second = Buf.str().str();
  }
  return It->second;
}

Location locationOf(SourceLocation Loc, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  Location L;
  SourceLocation File = SM.getFileLoc(Loc);
  auto [FID, Offset] = SM.getDecomposedLoc(File);
  OptionalFileEntryRef Entry = SM.getFileEntryRefForID(FID);
  if (!Entry)
    return L;
  llvm::SmallString<256> Path(Entry->getName());
  SM.getFileManager().makeAbsolutePath(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  L.File = Path.str().str();
  L.Offset = Offset;
  L.Line = SM.getLineNumber(FID, Offset);
  L.Column = SM.getColumnNumber(FID, Offset);
  return L;
}

SourceLocation locate(const Location &L, ASTContext &Ctx) {
  SourceManager &SM = Ctx.getSourceManager();
  llvm::Expected<FileEntryRef> Ref = SM.getFileManager().getFileRef(L.File);
  if (!Ref) {
    llvm::consumeError(Ref.takeError());
    return {};
  }
  FileID FID = SM.getOrCreateFileID(*Ref, SrcMgr::C_User);
  std::optional<llvm::MemoryBufferRef> Buffer = SM.getBufferOrNone(FID);
  if (!Buffer || L.Offset > Buffer->getBufferSize())
    return {};
  return SM.getComposedLoc(FID, L.Offset);
}

namespace {

class MainFileFunctions : public RecursiveASTVisitor<MainFileFunctions> {
public:
  MainFileFunctions(const SourceManager &SM, const std::function<void(const FunctionDecl &)> &Fn)
      : SM(SM), Fn(Fn) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaExpr() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (!isa<TranslationUnitDecl>(D) && !SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  // Function bodies hold no other function worth summarising (lambdas run as part of them).
  bool TraverseStmt(Stmt *) { return true; }
  // A template declared in a header and defined here: RecursiveASTVisitor visits instantiations
  // only from the first declaration, which the traversal skips; visit the ones defined here.
  bool VisitFunctionTemplateDecl(FunctionTemplateDecl *D) {
    FunctionTemplateDecl *First = D->getCanonicalDecl();
    if (D == First || SM.isInMainFile(SM.getExpansionLoc(First->getLocation())) ||
        !D->isThisDeclarationADefinition())
      return true;
    for (FunctionDecl *Instance : First->specializations())
      if (Instance->doesThisDeclarationHaveABody() && !Instance->isDependentContext())
        Fn(*Instance);
    return true;
  }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext())
      Fn(*FD);
    return true;
  }

private:
  const SourceManager &SM;
  const std::function<void(const FunctionDecl &)> &Fn;
};

} // namespace

void forEachMainFileFunction(ASTContext &Ctx, const std::function<void(const FunctionDecl &)> &Fn) {
  MainFileFunctions(Ctx.getSourceManager(), Fn).TraverseDecl(Ctx.getTranslationUnitDecl());
}

std::string awaitableSibling(const FunctionDecl &Callee) {
  const IdentifierInfo *Id = Callee.getIdentifier();
  if (!Id)
    return "";
  std::string Name = Id->getName().str();
  ASTContext &Ctx = Callee.getASTContext();
  const DeclContext *Scope = Callee.getDeclContext()->getRedeclContext();
  for (const std::string &Candidate : {"a" + Name, Name + "Async", Name + "Coro"})
    for (const NamedDecl *D : Scope->lookup(&Ctx.Idents.get(Candidate)))
      if (const FunctionDecl *FD = D->getAsFunction();
          FD && isAwaitableType(FD->getReturnType()))
        return Candidate;
  return "";
}

namespace {

struct Loaded {
  llvm::sys::TimePoint<> Modified;
  uint64_t Size = 0;
  std::shared_ptr<const ProjectSummary> Summary;
  std::string Error;
};

// The first existing Option below Dir or one of its parents.
std::string findUpwards(llvm::StringRef Option, llvm::StringRef Dir) {
  llvm::SmallString<256> At(Dir);
  while (!At.empty()) {
    llvm::SmallString<256> Candidate(At);
    llvm::sys::path::append(Candidate, Option);
    if (llvm::sys::fs::exists(Candidate))
      return Candidate.str().str();
    llvm::StringRef Parent = llvm::sys::path::parent_path(At);
    if (Parent == At)
      break;
    At = Parent;
  }
  return "";
}

} // namespace

std::shared_ptr<const ProjectSummary> projectSummaryFor(llvm::StringRef Option,
                                                        llvm::StringRef MainFile,
                                                        std::string &Error) {
  std::string Path = Option.str();
  if (!llvm::sys::path::is_absolute(Path)) {
    llvm::SmallString<256> Dir(llvm::sys::path::parent_path(MainFile));
    llvm::sys::fs::make_absolute(Dir);
    Path = findUpwards(Option, Dir);
    if (Path.empty()) {
      Error = "summary file '" + Option.str() + "' not found in '" + Dir.str().str() +
              "' or any parent directory";
      return nullptr;
    }
  }
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(Path, Status)) {
    Error = "cannot read summary file '" + Path + "': " + EC.message();
    return nullptr;
  }
  // clangd builds TUs on several threads; one copy per file version serves them all.
  static std::mutex Mutex;
  static llvm::StringMap<Loaded> Files;
  std::lock_guard<std::mutex> Lock(Mutex);
  Loaded &Entry = Files[Path];
  if (!Entry.Summary && Entry.Error.empty() ||
      Entry.Modified != Status.getLastModificationTime() || Entry.Size != Status.getSize()) {
    Entry = Loaded{Status.getLastModificationTime(), Status.getSize(), nullptr, ""};
    llvm::Expected<ProjectSummary> P = ProjectSummary::load(Path);
    if (P)
      Entry.Summary = std::make_shared<const ProjectSummary>(std::move(*P));
    else
      Entry.Error = llvm::toString(P.takeError());
  }
  Error = Entry.Error;
  return Entry.Summary;
}

} // namespace clang::tidy::aorm::summary
