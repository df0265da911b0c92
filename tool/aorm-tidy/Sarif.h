// SARIF 2.1.0 log for GitHub code scanning: one run, a rule per check, results with locations,
// related locations for notes, and fixes.
#pragma once

#include "Findings.h"
#include "SourcePositions.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aorm::tidy {

// Rules lists Checks (the enabled checks) plus any other check that produced a finding. Paths
// under SourceRoot are written relative to it with uriBaseId %SRCROOT%, as code scanning expects.
nlohmann::json sarifLog(const std::vector<ClangTidyError> &Errors,
                        const std::vector<std::string> &Checks, const std::string &SourceRoot,
                        SourcePositions &Positions);

} // namespace aorm::tidy
