#include "FindingsJson.h"

#include <algorithm>

namespace aorm::tidy {
namespace {

using clang::tooling::DiagnosticMessage;
using clang::tooling::FileByteRange;
using clang::tooling::Replacement;
using nlohmann::json;

const char *levelName(ClangTidyError::Level L) {
  switch (L) {
  case ClangTidyError::Error:
    return "error";
  case ClangTidyError::Warning:
    return "warning";
  case ClangTidyError::Remark:
    return "remark";
  }
  return "warning";
}

ClangTidyError::Level levelFromName(const std::string &Name) {
  if (Name == "error")
    return ClangTidyError::Error;
  if (Name == "warning")
    return ClangTidyError::Warning;
  if (Name == "remark")
    return ClangTidyError::Remark;
  throw FindingFormatError("field 'level': unknown level '" + Name + "'");
}

template <class T> T field(const json &J, const char *Name) {
  auto It = J.find(Name);
  if (It == J.end())
    throw FindingFormatError(std::string("missing field '") + Name + "'");
  try {
    return It->get<T>();
  } catch (const json::exception &) {
    throw FindingFormatError(std::string("field '") + Name + "' has the wrong type");
  }
}

void addPosition(json &J, SourcePositions *Positions, const std::string &File, unsigned Offset) {
  if (!Positions)
    return;
  if (auto Pos = Positions->at(File, Offset)) {
    J["line"] = Pos->Line;
    J["column"] = Pos->Column;
  }
}

json messageToJson(const DiagnosticMessage &M, SourcePositions *Positions) {
  json J = {{"message", M.Message}, {"file", M.FilePath}, {"offset", M.FileOffset}};
  addPosition(J, Positions, M.FilePath, M.FileOffset);
  // Byte columns like "column"; derived from the ranges, so the cache need not store them.
  if (Positions)
    if (auto End = Positions->endOf(M)) {
      J["endLine"] = End->Line;
      J["endColumn"] = End->Column;
    }
  // StringMap iterates in hash order; sort by file so the report is stable.
  std::vector<std::string> FixFiles;
  for (const auto &Entry : M.Fix)
    FixFiles.push_back(Entry.getKey().str());
  std::sort(FixFiles.begin(), FixFiles.end());
  json Fixes = json::array();
  for (const std::string &File : FixFiles)
    for (const Replacement &R : M.Fix.find(File)->second) {
      json Fix = {{"file", R.getFilePath().str()},
                  {"offset", R.getOffset()},
                  {"length", R.getLength()},
                  {"replacement", R.getReplacementText().str()}};
      addPosition(Fix, Positions, R.getFilePath().str(), R.getOffset());
      Fixes.push_back(std::move(Fix));
    }
  if (!Fixes.empty())
    J["fixes"] = std::move(Fixes);
  json Ranges = json::array();
  for (const FileByteRange &R : M.Ranges)
    Ranges.push_back({{"file", R.FilePath}, {"offset", R.FileOffset}, {"length", R.Length}});
  if (!Ranges.empty())
    J["ranges"] = std::move(Ranges);
  return J;
}

DiagnosticMessage messageFromJson(const json &J) {
  DiagnosticMessage M;
  M.Message = field<std::string>(J, "message");
  M.FilePath = field<std::string>(J, "file");
  M.FileOffset = field<unsigned>(J, "offset");
  if (auto It = J.find("fixes"); It != J.end()) {
    for (const json &Fix : *It) {
      Replacement R(field<std::string>(Fix, "file"), field<unsigned>(Fix, "offset"),
                    field<unsigned>(Fix, "length"), field<std::string>(Fix, "replacement"));
      if (llvm::Error Err = M.Fix[R.getFilePath()].add(R))
        throw FindingFormatError("field 'fixes': overlapping replacements: " +
                                 llvm::toString(std::move(Err)));
    }
  }
  if (auto It = J.find("ranges"); It != J.end()) {
    for (const json &Range : *It) {
      FileByteRange R;
      R.FilePath = field<std::string>(Range, "file");
      R.FileOffset = field<unsigned>(Range, "offset");
      R.Length = field<unsigned>(Range, "length");
      M.Ranges.push_back(std::move(R));
    }
  }
  return M;
}

} // namespace

json findingToJson(const ClangTidyError &E, SourcePositions *Positions) {
  json J = messageToJson(E.Message, Positions);
  J["check"] = E.DiagnosticName;
  J["level"] = levelName(E.DiagLevel);
  J["warningAsError"] = E.IsWarningAsError;
  J["buildDirectory"] = E.BuildDirectory;
  json Notes = json::array();
  for (const DiagnosticMessage &N : E.Notes)
    Notes.push_back(messageToJson(N, Positions));
  J["notes"] = std::move(Notes);
  if (!E.EnabledDiagnosticAliases.empty())
    J["aliases"] = E.EnabledDiagnosticAliases;
  return J;
}

ClangTidyError findingFromJson(const json &J) {
  if (!J.is_object())
    throw FindingFormatError("a finding must be a JSON object");
  ClangTidyError E(field<std::string>(J, "check"), levelFromName(field<std::string>(J, "level")),
                   J.value("buildDirectory", std::string()), J.value("warningAsError", false));
  E.Message = messageFromJson(J);
  if (auto It = J.find("notes"); It != J.end())
    for (const json &N : *It)
      E.Notes.push_back(messageFromJson(N));
  if (auto It = J.find("aliases"); It != J.end())
    E.EnabledDiagnosticAliases = It->get<std::vector<std::string>>();
  return E;
}

json findingsToJson(const std::vector<ClangTidyError> &Errors, SourcePositions *Positions) {
  json A = json::array();
  for (const ClangTidyError &E : Errors)
    A.push_back(findingToJson(E, Positions));
  return A;
}

std::vector<ClangTidyError> findingsFromJson(const json &J) {
  if (!J.is_array())
    throw FindingFormatError("findings must be a JSON array");
  std::vector<ClangTidyError> Errors;
  for (std::size_t I = 0; I < J.size(); ++I) {
    try {
      Errors.push_back(findingFromJson(J[I]));
    } catch (const FindingFormatError &Err) {
      throw FindingFormatError("finding " + std::to_string(I) + ": " + Err.what());
    }
  }
  return Errors;
}

json jsonReport(const std::vector<ClangTidyError> &Errors, const std::vector<TuResult> &Results,
                SourcePositions &Positions) {
  json Units = json::array();
  for (const TuResult &R : Results)
    Units.push_back({{"file", R.File}, {"status", statusName(R.Status)}});
  return {{"tool", {{"name", "aorm-tidy"}, {"version", AORM_TIDY_VERSION}}},
          {"diagnostics", findingsToJson(Errors, &Positions)},
          {"translationUnits", std::move(Units)}};
}

} // namespace aorm::tidy
