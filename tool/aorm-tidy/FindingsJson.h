// Findings as JSON: the --format=json report and the --cache-dir entries use the same shape, so a
// replayed finding is exactly the finding that was stored.
#pragma once

#include "Findings.h"
#include "SourcePositions.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <vector>

namespace aorm::tidy {

// Positions, when given, adds "line"/"column" next to each byte offset, and "endLine"/"endColumn"
// (just past the underlined text, SourcePositions::endOf) to the finding and each note; they are
// informative and ignored on the way back.
nlohmann::json findingToJson(const ClangTidyError &E, SourcePositions *Positions);

// Throws FindingFormatError naming the missing or mistyped field.
ClangTidyError findingFromJson(const nlohmann::json &J);

nlohmann::json findingsToJson(const std::vector<ClangTidyError> &Errors,
                              SourcePositions *Positions);
std::vector<ClangTidyError> findingsFromJson(const nlohmann::json &J);

struct FindingFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The whole --format=json report.
nlohmann::json jsonReport(const std::vector<ClangTidyError> &Errors,
                          const std::vector<TuResult> &Results, SourcePositions &Positions);

} // namespace aorm::tidy
