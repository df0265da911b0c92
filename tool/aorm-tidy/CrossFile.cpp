#include "CrossFile.h"

#include "ProjectSummary.h"

#include "llvm/ADT/StringExtras.h"

namespace aorm::tidy {

namespace summary = clang::tidy::aorm::summary;

namespace {

class CheckHooks : public SummaryHooks {
public:
  void begin() override {
    Current = summary::TuSummary();
    summary::collector() = &Current;
  }
  std::string end() override {
    summary::collector() = nullptr;
    return summary::toJson(Current);
  }

private:
  // begin/end run on one thread per TU; each thread needs its own collector.
  static thread_local summary::TuSummary Current;
};
thread_local summary::TuSummary CheckHooks::Current;

// The site index a placeholder finding names, or -1.
long siteIndex(const ClangTidyError &E) {
  llvm::StringRef Text = E.Message.Message;
  if (!Text.consume_front(summary::SiteMarker))
    return -1;
  unsigned long long N = 0;
  return Text.getAsInteger(10, N) ? -1 : static_cast<long>(N);
}

clang::tooling::DiagnosticMessage note(const summary::Link &L, bool Last) {
  clang::tooling::DiagnosticMessage M;
  M.Message = summary::linkMessage(L, Last);
  M.FilePath = L.At.File;
  M.FileOffset = L.At.Offset;
  return M;
}

} // namespace

std::unique_ptr<SummaryHooks> checkSummaryHooks() { return std::make_unique<CheckHooks>(); }

CrossFileResult resolveCrossFile(std::vector<TuResult> &All, const std::vector<bool> &Selected) {
  CrossFileResult Out;
  std::vector<summary::TuSummary> Tus(All.size());
  summary::ProjectSummary Project;
  for (size_t I = 0; I < All.size(); ++I) {
    if (All[I].Summary.empty())
      continue; // not analysed (missing, not in the database)
    llvm::Expected<summary::TuSummary> S = summary::tuSummaryFromJson(All[I].Summary);
    if (!S) {
      Out.Problems.push_back("summary of '" + All[I].File + "': " + llvm::toString(S.takeError()));
      continue;
    }
    Tus[I] = std::move(*S);
    Project.add(Tus[I]);
  }
  Project.resolve();
  for (size_t I = 0; I < All.size(); ++I) {
    std::vector<ClangTidyError> Kept;
    for (ClangTidyError &E : All[I].Errors) {
      long Index = siteIndex(E);
      if (Index < 0) {
        Kept.push_back(std::move(E));
        continue;
      }
      if (!Selected[I] || static_cast<size_t>(Index) >= Tus[I].Sites.size())
        continue;
      const summary::Site &Site = Tus[I].Sites[Index];
      std::vector<summary::Link> Chain = Project.chain(Site.CalleeUsr, Site.Virtual);
      if (Chain.empty())
        continue;
      E.Message.Message = summary::siteMessage(Site, Chain);
      for (const summary::Link &L : Chain)
        E.Notes.push_back(note(L, &L == &Chain.back()));
      Kept.push_back(std::move(E));
    }
    All[I].Errors = std::move(Kept);
  }
  Out.ProjectJson = Project.toJson();
  Out.Functions = Project.blockingCount();
  return Out;
}

} // namespace aorm::tidy
