#include "SourcePositions.h"

#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"

#include <cstdint>
#include <limits>

namespace aorm::tidy {

SourcePositions::SourcePositions()
    : DiagIDs(new clang::DiagnosticIDs), DiagOpts(new clang::DiagnosticOptions),
      Diags(std::make_unique<clang::DiagnosticsEngine>(DiagIDs, DiagOpts,
                                                       new clang::IgnoringDiagConsumer)),
      Files(std::make_unique<clang::FileManager>(FSOpts)),
      Sources(std::make_unique<clang::SourceManager>(*Diags, *Files)) {
  LangOpts.CPlusPlus = LangOpts.CPlusPlus11 = LangOpts.CPlusPlus14 = LangOpts.CPlusPlus17 =
      LangOpts.CPlusPlus20 = true;
}

SourcePositions::~SourcePositions() = default;

clang::FileID SourcePositions::fileID(llvm::StringRef File) {
  auto It = IDs.find(File);
  if (It == IDs.end()) {
    clang::FileID ID;
    if (auto Ref = Files->getOptionalFileRef(File))
      ID = Sources->getOrCreateFileID(*Ref, clang::SrcMgr::C_User);
    It = IDs.try_emplace(File, ID).first;
  }
  return It->second;
}

std::optional<LineColumn> SourcePositions::at(llvm::StringRef File, unsigned Offset) {
  clang::FileID ID = fileID(File);
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

std::optional<LineColumn> SourcePositions::endOf(const clang::tooling::DiagnosticMessage &M) {
  if (M.FilePath.empty())
    return std::nullopt;
  for (const clang::tooling::FileByteRange &R : M.Ranges) {
    // 64 bits: a range whose end clang could not place in the same file has a wrapped length.
    std::uint64_t End = std::uint64_t(R.FileOffset) + R.Length;
    if (R.FilePath != M.FilePath || End <= M.FileOffset ||
        End > std::numeric_limits<unsigned>::max())
      continue;
    if (auto Pos = at(M.FilePath, static_cast<unsigned>(End)))
      return Pos;
  }
  clang::FileID ID = fileID(M.FilePath);
  if (ID.isInvalid())
    return std::nullopt;
  std::optional<llvm::MemoryBufferRef> Buffer = Sources->getBufferOrNone(ID);
  if (!Buffer || M.FileOffset >= Buffer->getBufferSize())
    return std::nullopt;
  unsigned Length = clang::Lexer::MeasureTokenLength(
      Sources->getComposedLoc(ID, M.FileOffset), *Sources, LangOpts);
  if (Length == 0)
    return std::nullopt;
  return at(M.FilePath, M.FileOffset + Length);
}

} // namespace aorm::tidy
