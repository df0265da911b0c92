// The aorm layer between the editor and clangd: watches the editor's buffers, schedules aorm
// analyses, merges findings into clangd's diagnostics and its code actions. Everything else
// passes through untouched and in order.
#pragma once

#include "Analyzer.h"
#include "Framing.h"
#include "Positions.h"
#include "Scheduler.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace aorm::clangd {

class Proxy {
public:
  Proxy(MessageWriter &ToClient, Analyzer &A) : ToClient(ToClient), A(A) {}
  void setScheduler(Scheduler *S) { Jobs = S; }

  // An editor message about to go to clangd. Only looks; never delays the message. False when
  // the body is not a JSON object: clangd ends the session on such input, so it is dropped.
  bool fromClient(const std::string &Body);
  // An editor message too large to inspect went to clangd unread. It may have changed a document,
  // so the aorm layer stops following all of them (until reopened) rather than guess.
  void forgetDocuments();
  // A clangd message: writes it to the editor, merged with the aorm layer where it applies.
  // False when the editor is gone.
  bool fromServer(std::string Body);
  // Worker thread: an analysis finished.
  void analysisDone(const Job &Work, AnalysisResult Result, bool Stale);

private:
  struct Document {
    std::string Path;
    std::int64_t Version = 0;
    TextSnapshot Text;
  };
  struct AormFindings {
    std::int64_t Version = 0;
    std::vector<Finding> Findings;
  };
  struct CodeActionRequest {
    std::string Uri;
    Range Where;
    std::vector<std::string> Only;
  };

  void onInitialize(const nlohmann::json &Msg);
  void onOpenOrChange(const nlohmann::json &Params, bool IsOpen);
  void onClose(const nlohmann::json &Params);
  void onCodeAction(const nlohmann::json &Msg);
  void onWatchedFilesChanged(const nlohmann::json &Params);
  void scheduleLocked(const std::string &Uri);
  // Moves the file's current findings along with an incremental edit.
  void shiftFindingsLocked(const std::string &Uri, const Range &Edit, const std::string &NewText);

  bool publishLocked(const std::string &Uri);
  bool mergeCodeActionsLocked(const CodeActionRequest &Request, nlohmann::json &Response);
  nlohmann::json diagnosticJson(const Finding &F) const;

  MessageWriter &ToClient;
  Analyzer &A;
  Scheduler *Jobs = nullptr;

  std::mutex Mutex;
  OffsetEncoding Encoding = OffsetEncoding::UTF16;
  bool DocumentChanges = false;
  bool CodeActionLiterals = false;
  bool RelatedInformation = false;
  std::optional<std::string> InitializeId;
  std::map<std::string, Document> Docs;
  std::map<std::string, nlohmann::json> ClangdDiagnostics; // Last params clangd published.
  std::map<std::string, AormFindings> Aorm;
  std::map<std::string, CodeActionRequest> PendingCodeActions; // By request id, serialised.
  std::set<std::string> ReportedSkips;
};

} // namespace aorm::clangd
