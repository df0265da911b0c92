#include "Sarif.h"

#include "CheckDocs.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <map>

namespace aorm::tidy {
namespace {

using nlohmann::json;

// A file URI per RFC 3986: unreserved characters and '/' stay, everything else is %-encoded.
std::string encodeUri(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || C == '/' || C == '-' || C == '_' || C == '.' || C == '~')
      Out += static_cast<char>(C);
    else
      Out += "%" + llvm::utohexstr(C, /*LowerCase=*/false, /*Width=*/2);
  }
  return Out;
}

json artifactLocation(const std::string &File, const std::string &Root) {
  llvm::StringRef Path(File);
  if (!Root.empty() && Path.starts_with(Root) &&
      (Root.back() == '/' || (Path.size() > Root.size() && Path[Root.size()] == '/'))) {
    llvm::StringRef Rel = Path.drop_front(Root.size()).ltrim('/');
    return {{"uri", encodeUri(Rel)}, {"uriBaseId", "%SRCROOT%"}};
  }
  return {{"uri", "file://" + encodeUri(Path)}};
}

// Start at Offset, end at End when known. Without a readable file, byte offsets only (Length
// then gives the extent).
json region(SourcePositions &Positions, const std::string &File, unsigned Offset, unsigned Length,
            std::optional<LineColumn> End) {
  auto Start = Positions.at(File, Offset);
  if (!Start)
    return {{"charOffset", Offset}, {"charLength", Length}};
  // The run declares columnKind "unicodeCodePoints", so columns count code points, not bytes.
  json R = {{"startLine", Start->Line}, {"startColumn", Start->CodePointColumn}};
  if (End) {
    R["endLine"] = End->Line;
    R["endColumn"] = End->CodePointColumn;
  }
  return R;
}

// Replaced text; an insertion is an empty region whose end equals its start.
json replacedRegion(SourcePositions &Positions, const clang::tooling::Replacement &R) {
  std::string File = R.getFilePath().str();
  return region(Positions, File, R.getOffset(), R.getLength(),
                Positions.at(File, R.getOffset() + R.getLength()));
}

// Where a finding or note points, ending where its underline ends (SourcePositions::endOf).
json physicalLocation(SourcePositions &Positions, const std::string &Root,
                      const clang::tooling::DiagnosticMessage &M) {
  return {{"physicalLocation",
           {{"artifactLocation", artifactLocation(M.FilePath, Root)},
            {"region", region(Positions, M.FilePath, M.FileOffset, 0, Positions.endOf(M))}}}};
}

const char *sarifLevel(const ClangTidyError &E) {
  if (E.DiagLevel == ClangTidyError::Error || E.IsWarningAsError)
    return "error";
  if (E.DiagLevel == ClangTidyError::Warning)
    return "warning";
  return "note";
}

json fixesOf(const ClangTidyError &E, SourcePositions &Positions, const std::string &Root) {
  std::map<std::string, json> ByFile; // Sorted, so the log is stable.
  for (const auto &Entry : E.Message.Fix)
    for (const clang::tooling::Replacement &R : Entry.getValue()) {
      std::string File = R.getFilePath().str();
      json &Change = ByFile[File];
      if (Change.is_null())
        Change = {{"artifactLocation", artifactLocation(File, Root)},
                  {"replacements", json::array()}};
      Change["replacements"].push_back(
          {{"deletedRegion", replacedRegion(Positions, R)},
           {"insertedContent", {{"text", R.getReplacementText().str()}}}});
    }
  json Fixes = json::array();
  if (ByFile.empty())
    return Fixes;
  json Changes = json::array();
  for (auto &[File, Change] : ByFile)
    Changes.push_back(std::move(Change));
  Fixes.push_back({{"description", {{"text", "apply the suggested fix"}}},
                   {"artifactChanges", std::move(Changes)}});
  return Fixes;
}

} // namespace

json sarifLog(const std::vector<ClangTidyError> &Errors, const std::vector<std::string> &Checks,
              const std::string &SourceRoot, SourcePositions &Positions) {
  std::vector<std::string> RuleIds = Checks;
  for (const ClangTidyError &E : Errors)
    RuleIds.push_back(E.DiagnosticName);
  std::sort(RuleIds.begin(), RuleIds.end());
  RuleIds.erase(std::unique(RuleIds.begin(), RuleIds.end()), RuleIds.end());

  json Rules = json::array();
  std::map<std::string, std::size_t> RuleIndex;
  for (const std::string &Id : RuleIds) {
    json Rule = {{"id", Id}};
    if (auto Doc = checkDoc(Id)) {
      Rule["shortDescription"] = {{"text", docSummary(*Doc)}};
      Rule["help"] = {{"text", std::string(*Doc)}, {"markdown", std::string(*Doc)}};
    } else {
      Rule["shortDescription"] = {{"text", Id}};
    }
    RuleIndex[Id] = Rules.size();
    Rules.push_back(std::move(Rule));
  }

  json Results = json::array();
  for (const ClangTidyError &E : Errors) {
    json Result = {
        {"ruleId", E.DiagnosticName},
        {"ruleIndex", RuleIndex[E.DiagnosticName]},
        {"level", sarifLevel(E)},
        {"message", {{"text", E.Message.Message}}},
        {"locations", json::array({physicalLocation(Positions, SourceRoot, E.Message)})}};
    json Related = json::array();
    for (const auto &Note : E.Notes) {
      json Loc = Note.FilePath.empty()
                     ? json::object()
                     : physicalLocation(Positions, SourceRoot, Note);
      Loc["id"] = Related.size();
      Loc["message"] = {{"text", Note.Message}};
      Related.push_back(std::move(Loc));
    }
    if (!Related.empty())
      Result["relatedLocations"] = std::move(Related);
    json Fixes = fixesOf(E, Positions, SourceRoot);
    if (!Fixes.empty())
      Result["fixes"] = std::move(Fixes);
    Results.push_back(std::move(Result));
  }

  std::string RootUri = "file://" + encodeUri(SourceRoot);
  if (RootUri.back() != '/')
    RootUri += '/';
  json Run = {
      {"tool",
       {{"driver",
         {{"name", "aorm-tidy"}, {"version", AORM_TIDY_VERSION}, {"rules", std::move(Rules)}}}}},
      {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", RootUri}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(Results)}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({std::move(Run)})}};
}

} // namespace aorm::tidy
