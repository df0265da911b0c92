#include "SourcePositions.h"

#include "llvm/ADT/STLExtras.h"

namespace aorm::tidy {

SourcePositions::SourcePositions()
    : DiagIDs(new clang::DiagnosticIDs), DiagOpts(new clang::DiagnosticOptions),
      Diags(std::make_unique<clang::DiagnosticsEngine>(DiagIDs, DiagOpts,
                                                       new clang::IgnoringDiagConsumer)),
      Files(std::make_unique<clang::FileManager>(FSOpts)),
      Sources(std::make_unique<clang::SourceManager>(*Diags, *Files)) {}

SourcePositions::~SourcePositions() = default;

std::optional<LineColumn> SourcePositions::at(llvm::StringRef File, unsigned Offset) {
  auto It = IDs.find(File);
  if (It == IDs.end()) {
    clang::FileID ID;
    if (auto Ref = Files->getOptionalFileRef(File))
      ID = Sources->getOrCreateFileID(*Ref, clang::SrcMgr::C_User);
    It = IDs.try_emplace(File, ID).first;
  }
  clang::FileID ID = It->second;
  if (ID.isInvalid())
    return std::nullopt;
  std::optional<llvm::MemoryBufferRef> Buffer = Sources->getBufferOrNone(ID);
  if (!Buffer || Offset > Buffer->getBufferSize())
    return std::nullopt;
  bool Invalid = false;
  LineColumn Pos;
  Pos.Line = Sources->getLineNumber(ID, Offset, &Invalid);
  Pos.Column = Sources->getColumnNumber(ID, Offset, &Invalid);
  if (Invalid)
    return std::nullopt;
  // Code points before Offset on its line: every byte that is not a UTF-8 continuation byte.
  llvm::StringRef Before = Buffer->getBuffer().substr(Offset - (Pos.Column - 1), Pos.Column - 1);
  Pos.CodePointColumn = 1 + llvm::count_if(Before, [](char C) {
                          return (static_cast<unsigned char>(C) & 0xC0) != 0x80;
                        });
  return Pos;
}

} // namespace aorm::tidy
