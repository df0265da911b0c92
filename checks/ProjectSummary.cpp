#include "ProjectSummary.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <set>

namespace clang::tidy::aorm::summary {
namespace json = llvm::json;
namespace {

json::Object locationJson(const Location &L) {
  return json::Object{{"file", L.File}, {"offset", L.Offset}, {"line", L.Line}, {"column", L.Column}};
}

// Reads the fields of a JSON object, remembering the first problem with its path.
class Reader {
public:
  explicit Reader(std::string Where) : Where(std::move(Where)) {}
  std::string Problem;

  const json::Object *object(const json::Value *V, llvm::StringRef What) {
    const json::Object *O = V ? V->getAsObject() : nullptr;
    if (!O)
      fail(What, "an object");
    return O;
  }
  const json::Array *array(const json::Object &O, llvm::StringRef Key, llvm::StringRef What) {
    const json::Array *A = O.getArray(Key);
    if (!A)
      fail((What + "." + Key).str(), "an array");
    return A;
  }
  std::string string(const json::Object &O, llvm::StringRef Key, llvm::StringRef What) {
    if (auto S = O.getString(Key))
      return S->str();
    fail((What + "." + Key).str(), "a string");
    return {};
  }
  unsigned number(const json::Object &O, llvm::StringRef Key, llvm::StringRef What) {
    if (auto N = O.getInteger(Key); N && *N >= 0)
      return static_cast<unsigned>(*N);
    fail((What + "." + Key).str(), "a non-negative integer");
    return 0;
  }
  // Calls Fn on each object of the array O[Key].
  template <class Fn> void each(const json::Object &O, llvm::StringRef Key, llvm::StringRef What,
                                Fn F) {
    if (const json::Array *A = array(O, Key, What))
      for (const json::Value &V : *A) {
        const json::Object *E = object(&V, (What + "." + Key + "[]").str());
        if (!E)
          return;
        F(*E);
      }
  }
  Location location(const json::Object &Parent, llvm::StringRef Key, llvm::StringRef Where) {
    std::string What = (Where + "." + Key).str();
    return location(object(Parent.get(Key), What), What);
  }
  Location location(const json::Object *O, llvm::StringRef What) {
    Location L;
    if (!O)
      return L;
    L.File = string(*O, "file", What);
    L.Offset = number(*O, "offset", What);
    L.Line = number(*O, "line", What);
    L.Column = number(*O, "column", What);
    return L;
  }
  llvm::Error error() const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s", Where.c_str(),
                                   Problem.c_str());
  }

private:
  void fail(llvm::StringRef What, llvm::StringRef Expected) {
    if (Problem.empty())
      Problem = ("'" + What + "' must be " + Expected).str();
  }
  std::string Where;
};

std::string plainName(llvm::StringRef Qualified) {
  size_t Colons = Qualified.rfind("::");
  return (Colons == llvm::StringRef::npos ? Qualified : Qualified.drop_front(Colons + 2)).str();
}

} // namespace

TuSummary *&collector() {
  static thread_local TuSummary *Current = nullptr;
  return Current;
}

std::string toJson(const TuSummary &S) {
  json::Array Functions;
  for (const Function &F : S.Functions) {
    json::Array Calls;
    for (const Call &C : F.Calls)
      Calls.push_back(json::Object{{"usr", C.CalleeUsr},
                                   {"callee", C.Callee},
                                   {"virtual", C.Virtual},
                                   {"at", locationJson(C.At)}});
    json::Array Overrides;
    for (const std::string &O : F.Overrides)
      Overrides.push_back(O);
    Functions.push_back(json::Object{{"usr", F.Usr},
                                     {"name", F.Name},
                                     {"def", locationJson(F.Def)},
                                     {"calls", std::move(Calls)},
                                     {"overrides", std::move(Overrides)}});
  }
  json::Array Sites;
  for (const Site &St : S.Sites)
    Sites.push_back(json::Object{{"usr", St.CalleeUsr},
                                 {"virtual", St.Virtual},
                                 {"what", St.What},
                                 {"where", St.Where},
                                 {"advice", St.Advice}});
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << json::Value(json::Object{{"functions", std::move(Functions)}, {"sites", std::move(Sites)}});
  return Text;
}

llvm::Expected<TuSummary> tuSummaryFromJson(llvm::StringRef Text) {
  llvm::Expected<json::Value> V = json::parse(Text);
  if (!V)
    return V.takeError();
  Reader R("translation unit summary");
  TuSummary S;
  const json::Object *Root = R.object(&*V, "summary");
  if (!Root)
    return R.error();
  R.each(*Root, "functions", "summary", [&](const json::Object &FO) {
    Function F;
    F.Usr = R.string(FO, "usr", "function");
    F.Name = R.string(FO, "name", "function");
    F.Def = R.location(FO, "def", "function");
    R.each(FO, "calls", "function", [&](const json::Object &CO) {
      F.Calls.push_back({R.string(CO, "usr", "call"), R.string(CO, "callee", "call"),
                         CO.getBoolean("virtual").value_or(false), R.location(CO, "at", "call")});
    });
    if (const json::Array *Os = R.array(FO, "overrides", "function"))
      for (const json::Value &OV : *Os)
        if (auto O = OV.getAsString())
          F.Overrides.push_back(O->str());
    S.Functions.push_back(std::move(F));
  });
  R.each(*Root, "sites", "summary", [&](const json::Object &SO) {
    S.Sites.push_back({R.string(SO, "usr", "site"), SO.getBoolean("virtual").value_or(false),
                       R.string(SO, "what", "site"), R.string(SO, "where", "site"),
                       R.string(SO, "advice", "site")});
  });
  if (!R.Problem.empty())
    return R.error();
  return S;
}

void ProjectSummary::add(const TuSummary &S) {
  for (const Function &F : S.Functions)
    if (Functions.emplace(F.Usr, F).second)
      for (const std::string &Base : F.Overrides)
        Overriders[Base].push_back(F.Usr);
}

// Every body a virtual call to Usr may run, found through the overrides recorded project-wide.
bool ProjectSummary::virtualBlocks(const std::string &Usr, std::string &Via) const {
  std::vector<std::string> Work{Usr};
  std::set<std::string> Seen;
  bool AnyBody = false;
  Via.clear();
  while (!Work.empty()) {
    std::string M = Work.back();
    Work.pop_back();
    if (!Seen.insert(M).second)
      continue;
    if (Functions.count(M)) {
      if (!Blocking.count(M))
        return false;
      AnyBody = true;
      if (Via.empty())
        Via = M;
    }
    if (auto It = Overriders.find(M); It != Overriders.end())
      Work.insert(Work.end(), It->second.begin(), It->second.end());
  }
  return AnyBody;
}


// The least fixed point of "a function blocks when one of its calls does": passes over every
// function until nothing changes. A step always names a function marked before, so chains are
// acyclic and end at a call that blocks by itself; a cycle of functions that never reach such a
// call stays non-blocking.
void ProjectSummary::resolve() {
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &[Usr, F] : Functions) {
      if (Blocking.count(Usr))
        continue;
      for (const Call &C : F.Calls) {
        std::string Next;
        bool Blocks = C.CalleeUsr.empty() ||
                      (C.Virtual ? virtualBlocks(C.CalleeUsr, Next) : blocks(C.CalleeUsr));
        if (!Blocks)
          continue;
        if (!C.CalleeUsr.empty() && !C.Virtual)
          Next = C.CalleeUsr;
        Blocking[Usr] = Resolved{F.Name, F.Def, Link{F.Name, C.Callee, C.At}, Next};
        Changed = true;
        break;
      }
    }
  }
  for (const auto &Entry : Overriders) {
    Overridden.insert(Entry.first);
    std::string Via;
    if (virtualBlocks(Entry.first, Via))
      VirtualVia[Entry.first] = Via;
  }
  selfDispatch();
}

// A virtual call to a method nothing overrides runs its own body.
void ProjectSummary::selfDispatch() {
  for (const auto &Entry : Blocking)
    if (!Overridden.count(Entry.first))
      VirtualVia.emplace(Entry.first, Entry.first);
}

std::vector<Link> ProjectSummary::chain(llvm::StringRef Usr, bool Virtual) const {
  std::string At = Usr.str();
  if (Virtual) {
    auto It = VirtualVia.find(At);
    if (It == VirtualVia.end())
      return {};
    At = It->second;
  }
  std::vector<Link> Links;
  std::set<std::string> Seen;
  while (!At.empty() && Seen.insert(At).second) {
    auto It = Blocking.find(At);
    if (It == Blocking.end())
      return {}; // a file edited by hand: a step to nowhere
    Links.push_back(It->second.Step);
    At = It->second.NextUsr;
  }
  if (!At.empty())
    return {}; // a cycle in a damaged file
  return Links;
}

std::string ProjectSummary::toJson() const {
  json::Array Fns;
  for (const auto &[Usr, R] : Blocking) {
    json::Object O{{"usr", Usr},
                   {"name", R.Name},
                   {"def", locationJson(R.Def)},
                   {"callee", R.Step.Callee},
                   {"at", locationJson(R.Step.At)}};
    if (!R.NextUsr.empty())
      O["next"] = R.NextUsr;
    Fns.push_back(std::move(O));
  }
  json::Array Virtuals;
  for (const std::string &Usr : Overridden) {
    auto It = VirtualVia.find(Usr);
    Virtuals.push_back(json::Object{
        {"usr", Usr}, {"via", It == VirtualVia.end() ? json::Value(nullptr) : json::Value(It->second)}});
  }
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << llvm::formatv("{0:2}", json::Value(json::Object{{"format", FileFormat},
                                                        {"version", FileVersion},
                                                        {"blocking", std::move(Fns)},
                                                        {"virtual", std::move(Virtuals)}}));
  OS << "\n";
  return Text;
}

llvm::Expected<ProjectSummary> ProjectSummary::load(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "cannot read '%s': %s", Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  llvm::Expected<json::Value> V = json::parse((*Buffer)->getBuffer());
  if (!V)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "'%s' is not JSON: %s",
                                   Path.str().c_str(), llvm::toString(V.takeError()).c_str());
  Reader R("'" + Path.str() + "'");
  const json::Object *Root = R.object(&*V, "(top level)");
  if (!Root)
    return R.error();
  if (Root->getString("format") != FileFormat)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'%s' is not an aorm project summary (\"format\" must be \"%s\")",
                                   Path.str().c_str(), FileFormat.data());
  if (Root->getInteger("version") != FileVersion)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'%s' has summary version %lld; this build reads version %d "
                                   "(run aorm-tidy again to rewrite it)",
                                   Path.str().c_str(), Root->getInteger("version").value_or(-1),
                                   FileVersion);
  ProjectSummary P;
  R.each(*Root, "blocking", "(top level)", [&](const json::Object &FO) {
    Resolved Res;
    std::string Usr = R.string(FO, "usr", "blocking[]");
    Res.Name = R.string(FO, "name", "blocking[]");
    Res.Def = R.location(FO, "def", "blocking[]");
    Res.Step = {Res.Name, R.string(FO, "callee", "blocking[]"), R.location(FO, "at", "blocking[]")};
    if (auto Next = FO.getString("next"))
      Res.NextUsr = Next->str();
    P.Blocking[Usr] = std::move(Res);
  });
  R.each(*Root, "virtual", "(top level)", [&](const json::Object &VO) {
    std::string Usr = R.string(VO, "usr", "virtual[]");
    P.Overridden.insert(Usr);
    if (auto Via = VO.getString("via"))
      P.VirtualVia[Usr] = Via->str();
  });
  if (!R.Problem.empty())
    return R.error();
  P.selfDispatch();
  return P;
}

std::string siteMessage(const Site &S, const std::vector<Link> &Chain) {
  std::string Blocking = Chain.empty() ? "?" : plainName(Chain.back().Callee);
  return S.What + " in " + S.Where + " blocks the event loop: it reaches blocking '" + Blocking +
         "' in another file; " + S.Advice;
}

std::string linkMessage(const Link &L, bool Last) {
  return "'" + L.Function + "' calls " + (Last ? "blocking '" : "'") + L.Callee + "' here";
}

} // namespace clang::tidy::aorm::summary
