// Where an aorm finding's documentation link points (codeDescription.href).
#pragma once

#include "llvm/Support/CommandLine.h"

#include <string>

namespace aorm::clangd {

// --aorm-docs-url=BASE: the folder (a URL) holding docs/checks/aorm-<name>.md.
llvm::cl::Option &docsUrlOption();

// BASE/aorm-<name>.md for a check name.
std::string docLink(llvm::StringRef Check);

} // namespace aorm::clangd
