// The check documentation (docs/checks/aorm-*.md), embedded at build time for --explain and SARIF.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aorm::tidy {

// The markdown page for Check, if the build embedded one.
std::optional<std::string_view> checkDoc(std::string_view Check);

// Names of all checks with an embedded doc, sorted.
std::vector<std::string> documentedChecks();

// The first sentence of a doc (its one-line summary): the first paragraph that is not a heading,
// up to and including the first period.
std::string docSummary(std::string_view Markdown);

} // namespace aorm::tidy
