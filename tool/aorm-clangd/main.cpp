// aorm-clangd: clangd 19, built from Debian's clangd libraries, with the aorm checks linked in.
// Everything is clangd's own (protocol, preamble cache, clang-tidy integration, quick fixes);
// this file only keeps the aorm module in the binary and sets the defaults a relocated clangd
// needs. FastChecks.cpp and DocLinks.cpp adjust two details through linker wraps.

#include "DocLinks.h"

#include "checks/AormTidyModule.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <cstdlib>
#include <string>
#include <vector>

namespace clang::clangd {
// Defined in libclangdMain.a (clangd's own main, parsing clangd's options).
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

namespace {

bool namesResourceDir(llvm::StringRef Arg) {
  Arg = Arg.ltrim('-');
  return Arg == "resource-dir" || Arg.starts_with("resource-dir=");
}

// clangd looks for clang's builtin headers (stddef.h, the coroutine support) beside its own
// executable; this one lives in a build tree. Unless the user names a resource dir (on the
// command line or in CLANGD_FLAGS, which clangd also reads), use the one of the clang it links.
bool userSetResourceDir(int Argc, char **Argv) {
  for (int I = 1; I < Argc; ++I)
    if (namesResourceDir(Argv[I]))
      return true;
  if (const char *Env = std::getenv("CLANGD_FLAGS")) {
    llvm::SmallVector<llvm::StringRef> Words;
    llvm::StringRef(Env).split(Words, ' ', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef W : Words)
      if (namesResourceDir(W))
        return true;
  }
  return false;
}

// clangd's --help lists only its own option categories; file ours with --log's.
void showOptionsInClangdHelp() {
  auto &Registered = llvm::cl::getRegisteredOptions();
  auto Log = Registered.find("log");
  if (Log == Registered.end())
    return;
  for (llvm::cl::OptionCategory *Category : Log->second->Categories)
    aorm::clangd::docsUrlOption().addCategory(*Category);
}

} // namespace

int main(int Argc, char **Argv) {
  // Referencing the anchor keeps the module's registration (ClangTidyModuleRegistry) linked.
  static volatile int KeepAormChecks = clang::tidy::aorm::aormTidyModuleAnchor();
  (void)KeepAormChecks;
  showOptionsInClangdHelp();

  std::vector<char *> Args(Argv, Argv + Argc);
  std::string ResourceDir = std::string("--resource-dir=") + AORM_CLANG_RESOURCE_DIR;
  if (!userSetResourceDir(Argc, Argv) && llvm::StringRef(AORM_CLANG_RESOURCE_DIR) != "")
    Args.insert(Args.begin() + 1, ResourceDir.data());
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(static_cast<int>(Args.size()) - 1, Args.data());
}
