#include "Proxy.h"

#include "Log.h"
#include "Uri.h"

#include <exception>
#include <initializer_list>

namespace aorm::clangd {

using nlohmann::json;

namespace {

// Field access that tolerates any shape: editors and clangd send what they send, and a message
// the proxy does not understand must still pass through.
const json *member(const json *J, std::initializer_list<const char *> Path) {
  for (const char *Key : Path) {
    if (!J || !J->is_object())
      return nullptr;
    auto It = J->find(Key);
    if (It == J->end())
      return nullptr;
    J = &*It;
  }
  return J;
}

std::optional<std::string> asString(const json *J) {
  if (J && J->is_string())
    return J->get<std::string>();
  return std::nullopt;
}

std::optional<std::int64_t> asInt(const json *J) {
  if (J && J->is_number_integer())
    return J->get<std::int64_t>();
  return std::nullopt;
}

bool asBool(const json *J) { return J && J->is_boolean() && J->get<bool>(); }

std::optional<Position> asPosition(const json *J) {
  auto Line = asInt(member(J, {"line"}));
  auto Char = asInt(member(J, {"character"}));
  if (!Line || !Char || *Line < 0 || *Char < 0 || *Line > INT32_MAX || *Char > INT32_MAX)
    return std::nullopt;
  return Position{static_cast<int>(*Line), static_cast<int>(*Char)};
}

std::optional<Range> asRange(const json *J) {
  auto Start = asPosition(member(J, {"start"}));
  auto End = asPosition(member(J, {"end"}));
  if (!Start || !End)
    return std::nullopt;
  return Range{*Start, *End};
}

json toJson(Position P) { return {{"line", P.Line}, {"character", P.Character}}; }
json toJson(const Range &R) { return {{"start", toJson(R.Start)}, {"end", toJson(R.End)}}; }

bool intersects(const Range &A, const Range &B) { return A.Start <= B.End && B.Start <= A.End; }

// Text from source files (messages, fix-its, paths) need not be valid UTF-8; replacing bad bytes
// beats an exception in the middle of a publish.
std::string serialise(const json &J) {
  return J.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string idKey(const json &Id) { return serialise(Id); }

bool wantsQuickFix(const std::vector<std::string> &Only) {
  if (Only.empty())
    return true;
  for (const std::string &Kind : Only)
    if (Kind.empty() || Kind == "quickfix")
      return true;
  return false;
}

} // namespace

bool Proxy::fromClient(const std::string &Body) {
  json Msg = json::parse(Body, nullptr, /*allow_exceptions=*/false);
  if (Msg.is_discarded() || !Msg.is_object()) {
    log(LogLevel::Error, "dropped a malformed message from the editor: " +
                             std::string(Msg.is_discarded() ? "invalid JSON" : "not an object") +
                             " (" + std::to_string(Body.size()) + " bytes)");
    return false;
  }
  try {
    auto Method = asString(member(&Msg, {"method"}));
    if (!Method)
      return true;
    const json *Params = member(&Msg, {"params"});
    if (*Method == "initialize")
      onInitialize(Msg);
    else if (*Method == "textDocument/didOpen")
      onOpenOrChange(Params ? *Params : json(), /*IsOpen=*/true);
    else if (*Method == "textDocument/didChange")
      onOpenOrChange(Params ? *Params : json(), /*IsOpen=*/false);
    else if (*Method == "textDocument/didSave") {
      std::lock_guard<std::mutex> Lock(Mutex);
      if (auto Uri = asString(member(Params, {"textDocument", "uri"})))
        scheduleLocked(*Uri);
    } else if (*Method == "textDocument/didClose")
      onClose(Params ? *Params : json());
    else if (*Method == "textDocument/codeAction")
      onCodeAction(Msg);
    else if (*Method == "workspace/didChangeWatchedFiles")
      onWatchedFilesChanged(Params ? *Params : json());
  } catch (const std::exception &E) {
    log(LogLevel::Error, std::string("could not follow an editor message: ") + E.what());
  }
  return true;
}

void Proxy::forgetDocuments() {
  std::lock_guard<std::mutex> Lock(Mutex);
  for (const auto &Entry : Docs) {
    if (Jobs)
      Jobs->cancel(Entry.first);
    auto Found = Aorm.find(Entry.first);
    bool HadFindings = Found != Aorm.end() && !Found->second.Findings.empty();
    Aorm.erase(Entry.first);
    if (HadFindings)
      publishLocked(Entry.first);
  }
  if (!Docs.empty())
    log(LogLevel::Error, "an uninspected message may have changed open documents; aorm stops "
                         "checking them until they are reopened");
  Docs.clear();
}

void Proxy::onInitialize(const json &Msg) {
  const json *Caps = member(&Msg, {"params", "capabilities"});
  std::lock_guard<std::mutex> Lock(Mutex);
  DocumentChanges = asBool(member(Caps, {"workspace", "workspaceEdit", "documentChanges"}));
  CodeActionLiterals =
      member(Caps, {"textDocument", "codeAction", "codeActionLiteralSupport"}) != nullptr;
  RelatedInformation =
      asBool(member(Caps, {"textDocument", "publishDiagnostics", "relatedInformation"}));
  if (const json *Id = member(&Msg, {"id"}))
    InitializeId = idKey(*Id);
}

void Proxy::onOpenOrChange(const json &Params, bool IsOpen) {
  auto Uri = asString(member(&Params, {"textDocument", "uri"}));
  if (!Uri)
    return;
  auto Version = asInt(member(&Params, {"textDocument", "version"}));
  std::lock_guard<std::mutex> Lock(Mutex);
  if (IsOpen) {
    auto Text = asString(member(&Params, {"textDocument", "text"}));
    auto Path = uriToPath(*Uri);
    if (!Text)
      return;
    if (!Path) {
      log(LogLevel::Verbose, "not analysing " + *Uri + ": not a file URI");
      return;
    }
    Docs[*Uri] = Document{*Path, Version.value_or(0), std::make_shared<const std::string>(*Text)};
  } else {
    auto It = Docs.find(*Uri);
    const json *Changes = member(&Params, {"contentChanges"});
    if (It == Docs.end() || !Changes || !Changes->is_array())
      return;
    std::string Text = *It->second.Text;
    for (const json &Change : *Changes) {
      auto NewText = asString(member(&Change, {"text"}));
      if (!NewText) {
        log(LogLevel::Error, "didChange for " + *Uri + " without text; aorm stops following it");
        Docs.erase(It);
        Aorm.erase(*Uri);
        if (Jobs)
          Jobs->cancel(*Uri);
        return;
      }
      const json *RangeJson = member(&Change, {"range"});
      std::optional<Range> Where = RangeJson ? asRange(RangeJson) : std::nullopt;
      if (RangeJson && !Where) {
        log(LogLevel::Error,
            "didChange for " + *Uri + " with a bad range; aorm stops following it");
        Docs.erase(It);
        Aorm.erase(*Uri);
        if (Jobs)
          Jobs->cancel(*Uri);
        return;
      }
      applyChange(Text, Where, *NewText, Encoding);
      if (Where)
        shiftFindingsLocked(*Uri, *Where, *NewText);
    }
    It->second.Text = std::make_shared<const std::string>(std::move(Text));
    if (Version)
      It->second.Version = *Version;
  }
  scheduleLocked(*Uri);
}

void Proxy::shiftFindingsLocked(const std::string &Uri, const Range &Edit,
                                const std::string &NewText) {
  auto Found = Aorm.find(Uri);
  if (Found == Aorm.end())
    return;
  std::vector<Finding> &Findings = Found->second.Findings;
  std::vector<Finding> Kept;
  for (Finding &F : Findings) {
    auto Where = shiftRange(F.Where, Edit, NewText, Encoding);
    if (!Where)
      continue;
    F.Where = *Where;
    for (Note &N : F.Notes)
      if (N.Uri == Uri)
        N.Where = shiftRange(N.Where, Edit, NewText, Encoding).value_or(N.Where);
    // Fixes stay as computed: they are offered only for the analysed version anyway.
    Kept.push_back(std::move(F));
  }
  Findings = std::move(Kept);
}

void Proxy::scheduleLocked(const std::string &Uri) {
  auto It = Docs.find(Uri);
  if (It == Docs.end() || !Jobs)
    return;
  Job Work;
  Work.Uri = Uri;
  Work.Version = It->second.Version;
  Work.Input.Path = It->second.Path;
  Work.Input.Text = It->second.Text;
  Work.Input.Encoding = Encoding;
  for (const auto &[OtherUri, Doc] : Docs)
    if (OtherUri != Uri)
      Work.Input.Other.emplace(Doc.Path, Doc.Text);
  Jobs->schedule(std::move(Work));
}

void Proxy::onClose(const json &Params) {
  auto Uri = asString(member(&Params, {"textDocument", "uri"}));
  if (!Uri)
    return;
  std::lock_guard<std::mutex> Lock(Mutex);
  Docs.erase(*Uri);
  Aorm.erase(*Uri);
  ReportedSkips.erase(*Uri);
  if (Jobs)
    Jobs->cancel(*Uri);
}

void Proxy::onCodeAction(const json &Msg) {
  const json *Id = member(&Msg, {"id"});
  auto Uri = asString(member(&Msg, {"params", "textDocument", "uri"}));
  auto Where = asRange(member(&Msg, {"params", "range"}));
  if (!Id || !Uri || !Where)
    return;
  CodeActionRequest Request{*Uri, *Where, {}};
  if (const json *Only = member(&Msg, {"params", "context", "only"}); Only && Only->is_array())
    for (const json &Kind : *Only)
      if (Kind.is_string())
        Request.Only.push_back(Kind.get<std::string>());
  std::lock_guard<std::mutex> Lock(Mutex);
  PendingCodeActions[idKey(*Id)] = std::move(Request);
}

void Proxy::onWatchedFilesChanged(const json &Params) {
  const json *Changes = member(&Params, {"changes"});
  if (!Changes || !Changes->is_array())
    return;
  bool DatabaseChanged = false;
  for (const json &Change : *Changes) {
    std::string Uri = asString(member(&Change, {"uri"})).value_or("");
    for (std::string_view Name : {"/compile_commands.json", "/compile_flags.txt"})
      DatabaseChanged |= Uri.size() >= Name.size() &&
                         std::string_view(Uri).substr(Uri.size() - Name.size()) == Name;
  }
  if (!DatabaseChanged)
    return;
  log(LogLevel::Info, "compilation database changed; re-running the aorm checks on open files");
  A.reloadDatabases();
  std::lock_guard<std::mutex> Lock(Mutex);
  ReportedSkips.clear();
  for (const auto &Entry : Docs)
    scheduleLocked(Entry.first);
}

bool Proxy::fromServer(std::string Body) {
  json Msg = json::parse(Body, nullptr, /*allow_exceptions=*/false);
  if (Msg.is_discarded() || !Msg.is_object())
    return ToClient.write(std::move(Body));
  try {
    auto Method = asString(member(&Msg, {"method"}));
    if (Method && *Method == "textDocument/publishDiagnostics") {
      auto Uri = asString(member(&Msg, {"params", "uri"}));
      std::lock_guard<std::mutex> Lock(Mutex);
      auto Found = Uri ? Aorm.find(*Uri) : Aorm.end();
      if (Found == Aorm.end() || Found->second.Findings.empty()) {
        if (Uri)
          ClangdDiagnostics[*Uri] = Msg["params"];
        return ToClient.write(std::move(Body));
      }
      ClangdDiagnostics[*Uri] = Msg["params"];
      return publishLocked(*Uri);
    }
    const json *Id = member(&Msg, {"id"});
    if (!Method && Id) {
      std::lock_guard<std::mutex> Lock(Mutex);
      std::string Key = idKey(*Id);
      if (InitializeId && *InitializeId == Key) {
        InitializeId.reset();
        const json *Caps = member(&Msg, {"result", "capabilities"});
        auto Name = asString(member(Caps, {"positionEncoding"}));
        if (!Name)
          Name = asString(member(&Msg, {"result", "offsetEncoding"}));
        if (Name) {
          if (auto Parsed = parseOffsetEncoding(*Name))
            Encoding = *Parsed;
          else
            log(LogLevel::Error,
                "clangd chose unknown position encoding '" + *Name + "'; assuming utf-16");
        }
        log(LogLevel::Verbose, std::string("position encoding: ") + offsetEncodingName(Encoding));
      } else if (auto It = PendingCodeActions.find(Key); It != PendingCodeActions.end()) {
        CodeActionRequest Request = std::move(It->second);
        PendingCodeActions.erase(It);
        if (mergeCodeActionsLocked(Request, Msg))
          return ToClient.write(serialise(Msg));
      }
    }
  } catch (const std::exception &E) {
    log(LogLevel::Error, std::string("could not merge a clangd message: ") + E.what());
  }
  return ToClient.write(std::move(Body));
}

json Proxy::diagnosticJson(const Finding &F) const {
  json D = {{"range", toJson(F.Where)},
            {"severity", F.Severity},
            {"source", "aorm"},
            {"code", F.Check},
            {"message", F.Message}};
  if (F.Notes.empty())
    return D;
  if (RelatedInformation) {
    json Related = json::array();
    for (const Note &N : F.Notes)
      Related.push_back(
          {{"location", {{"uri", N.Uri}, {"range", toJson(N.Where)}}}, {"message", N.Message}});
    D["relatedInformation"] = std::move(Related);
  } else {
    // Without relatedInformation support the notes would be lost; fold them in like clangd does.
    std::string Message = F.Message;
    for (const Note &N : F.Notes) {
      std::string Where = uriToPath(N.Uri).value_or(N.Uri);
      Message += "\n\n" + Where + ":" + std::to_string(N.Where.Start.Line + 1) + ":" +
                 std::to_string(N.Where.Start.Character + 1) + ": note: " + N.Message;
    }
    D["message"] = Message;
  }
  return D;
}

bool Proxy::publishLocked(const std::string &Uri) {
  json Params;
  if (auto It = ClangdDiagnostics.find(Uri);
      It != ClangdDiagnostics.end() && It->second.is_object())
    Params = It->second;
  else
    Params = {{"uri", Uri}};
  if (!Params.contains("diagnostics") || !Params["diagnostics"].is_array())
    Params["diagnostics"] = json::array();
  if (auto It = Aorm.find(Uri); It != Aorm.end()) {
    // Findings newer than clangd's last list describe the current text; clangd does not always
    // re-publish (it skips a version whose text it has already diagnosed), so the merged list
    // takes the newer version.
    auto ClangdVersion = asInt(member(&Params, {"version"}));
    if (!ClangdVersion || *ClangdVersion < It->second.Version)
      Params["version"] = It->second.Version;
    for (const Finding &F : It->second.Findings)
      Params["diagnostics"].push_back(diagnosticJson(F));
  }
  json Msg = {
      {"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", Params}};
  return ToClient.write(serialise(Msg));
}

bool Proxy::mergeCodeActionsLocked(const CodeActionRequest &Request, json &Response) {
  if (!CodeActionLiterals || Response.contains("error") || !wantsQuickFix(Request.Only))
    return false;
  auto Doc = Docs.find(Request.Uri);
  auto Found = Aorm.find(Request.Uri);
  // Fixes computed on an older text would land on the wrong characters.
  if (Doc == Docs.end() || Found == Aorm.end() || Found->second.Version != Doc->second.Version)
    return false;
  json Actions = json::array();
  for (const Finding &F : Found->second.Findings) {
    if (!intersects(F.Where, Request.Where))
      continue;
    for (const Fix &Fx : F.Fixes) {
      json Edits = json::array();
      for (const TextEdit &E : Fx.Edits)
        Edits.push_back({{"range", toJson(E.Where)}, {"newText", E.NewText}});
      json Edit;
      if (DocumentChanges)
        Edit = {{"documentChanges",
                 json::array(
                     {{{"textDocument", {{"uri", Request.Uri}, {"version", Found->second.Version}}},
                       {"edits", Edits}}})}};
      else
        Edit = {{"changes", {{Request.Uri, Edits}}}};
      json Action = {{"title", Fx.Title},
                     {"kind", "quickfix"},
                     {"diagnostics", json::array({diagnosticJson(F)})},
                     {"edit", Edit}};
      if (F.Fixes.size() == 1)
        Action["isPreferred"] = true;
      Actions.push_back(std::move(Action));
    }
  }
  if (Actions.empty())
    return false;
  json &Result = Response["result"];
  if (!Result.is_array())
    Result = json::array();
  for (json &A : Actions)
    Result.push_back(std::move(A));
  return true;
}

void Proxy::analysisDone(const Job &Work, AnalysisResult Result, bool Stale) {
  using Outcome = AnalysisResult::Outcome;
  std::lock_guard<std::mutex> Lock(Mutex);
  auto Doc = Docs.find(Work.Uri);
  if (Stale || Doc == Docs.end() || Doc->second.Version != Work.Version) {
    log(LogLevel::Verbose,
        "dropping stale aorm results for " + Work.Uri + " version " + std::to_string(Work.Version));
    return;
  }
  bool HadFindings = false;
  if (auto It = Aorm.find(Work.Uri); It != Aorm.end())
    HadFindings = !It->second.Findings.empty();

  if (Result.Result != Outcome::Analysed) {
    if (Result.Result == Outcome::Failed)
      log(LogLevel::Error, Result.Detail);
    else
      // Skips repeat on every keystroke; say it once per file unless asked for detail.
      log(ReportedSkips.insert(Work.Uri).second ? LogLevel::Info : LogLevel::Verbose,
          Result.Detail);
    // Nothing trustworthy to show: drop earlier findings rather than leave them misplaced.
    Aorm.erase(Work.Uri);
    if (HadFindings)
      publishLocked(Work.Uri);
    return;
  }
  if (!Result.Detail.empty())
    log(LogLevel::Verbose, Work.Input.Path + ": " + Result.Detail);
  log(LogLevel::Verbose, Work.Input.Path + " version " + std::to_string(Work.Version) + ": " +
                             std::to_string(Result.Findings.size()) + " aorm finding(s)");
  bool HasFindings = !Result.Findings.empty();
  Aorm[Work.Uri] = AormFindings{Work.Version, std::move(Result.Findings)};
  if (HadFindings || HasFindings)
    publishLocked(Work.Uri);
}

} // namespace aorm::clangd
