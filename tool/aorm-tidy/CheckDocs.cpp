#include "CheckDocs.h"

#include <algorithm>

namespace aorm::tidy {
namespace {
struct EmbeddedDoc {
  const char *Name;
  std::string_view Text;
};
#include "CheckDocs.inc"
} // namespace

std::optional<std::string_view> checkDoc(std::string_view Check) {
  for (const EmbeddedDoc *D = EmbeddedDocs; D->Name; ++D)
    if (Check == D->Name)
      return D->Text;
  return std::nullopt;
}

std::vector<std::string> documentedChecks() {
  std::vector<std::string> Names;
  for (const EmbeddedDoc *D = EmbeddedDocs; D->Name; ++D)
    Names.emplace_back(D->Name);
  std::sort(Names.begin(), Names.end());
  return Names;
}

std::string docSummary(std::string_view Markdown) {
  std::string Paragraph;
  std::size_t Pos = 0;
  while (Pos < Markdown.size()) {
    std::size_t End = Markdown.find('\n', Pos);
    if (End == std::string_view::npos)
      End = Markdown.size();
    std::string_view Line = Markdown.substr(Pos, End - Pos);
    Pos = End + 1;
    bool Blank = Line.find_first_not_of(" \t\r") == std::string_view::npos;
    bool Skip = Blank || Line.starts_with("#") || Line.starts_with("```") ||
                Line.starts_with("=") || Line.starts_with("-");
    if (Skip) {
      if (!Paragraph.empty())
        break;
      continue;
    }
    if (!Paragraph.empty())
      Paragraph += ' ';
    Paragraph += Line;
  }
  std::size_t Period = Paragraph.find(". ");
  if (Period != std::string::npos)
    Paragraph.resize(Period + 1);
  return Paragraph;
}

} // namespace aorm::tidy
