// -j N: analyse TUs on N threads; results come back in input order whatever the finishing order.
#pragma once

#include "Findings.h"

#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <string>
#include <vector>

namespace aorm::tidy {

struct ProgressLine {
  bool Enabled = false; // Only when stderr is a terminal: CI logs stay clean.
  std::string Root;     // Paths under it are shown relative.
  llvm::raw_ostream *OS = nullptr;
};

std::vector<TuResult> runParallel(const std::vector<std::string> &Files, unsigned Jobs,
                                  const std::function<TuResult(const std::string &)> &Analyze,
                                  const ProgressLine &Progress);

} // namespace aorm::tidy
