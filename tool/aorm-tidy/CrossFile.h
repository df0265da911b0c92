// Calls into other files (checks/ProjectSummary.h): the checks summarise each TU while they run;
// once every TU is in, the summaries are merged and each open call site the checks marked is
// turned into a finding with a note per step, or dropped.
#pragma once

#include "Findings.h"
#include "TuRunner.h"

#include <memory>
#include <string>
#include <vector>

namespace aorm::tidy {

// The collector of the linked checks, installed around each TU.
std::unique_ptr<SummaryHooks> checkSummaryHooks();

struct CrossFileResult {
  std::string ProjectJson; // the project summary file's text
  unsigned Functions = 0;  // blocking functions in it
  std::vector<std::string> Problems; // unreadable TU summaries, by file
};

// Merges the summaries of All (every TU of the project, in a fixed order), then resolves the open
// call sites of the TUs in Selected (a subset of All, by index) in place.
CrossFileResult resolveCrossFile(std::vector<TuResult> &All, const std::vector<bool> &Selected);

} // namespace aorm::tidy
