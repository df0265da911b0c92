#include "Positions.h"

#include <algorithm>

namespace aorm::clangd {

namespace {

// Length of the UTF-8 sequence starting with Lead; a stray byte counts as one character so
// invalid input still maps somewhere sensible.
std::size_t sequenceLength(unsigned char Lead) {
  if (Lead < 0x80)
    return 1;
  if ((Lead & 0xE0) == 0xC0)
    return 2;
  if ((Lead & 0xF0) == 0xE0)
    return 3;
  if ((Lead & 0xF8) == 0xF0)
    return 4;
  return 1;
}

std::size_t unitsOf(std::size_t SeqLen, OffsetEncoding Encoding) {
  switch (Encoding) {
  case OffsetEncoding::UTF8:
    return SeqLen;
  case OffsetEncoding::UTF16:
    return SeqLen == 4 ? 2 : 1;
  case OffsetEncoding::UTF32:
    return 1;
  }
  return 1;
}

} // namespace

std::optional<OffsetEncoding> parseOffsetEncoding(std::string_view Name) {
  if (Name == "utf-8")
    return OffsetEncoding::UTF8;
  if (Name == "utf-16")
    return OffsetEncoding::UTF16;
  if (Name == "utf-32")
    return OffsetEncoding::UTF32;
  return std::nullopt;
}

const char *offsetEncodingName(OffsetEncoding Encoding) {
  switch (Encoding) {
  case OffsetEncoding::UTF8:
    return "utf-8";
  case OffsetEncoding::UTF16:
    return "utf-16";
  case OffsetEncoding::UTF32:
    return "utf-32";
  }
  return "utf-16";
}

std::size_t toOffset(std::string_view Text, Position P, OffsetEncoding Encoding) {
  std::size_t LineStart = 0;
  for (int L = 0; L < P.Line; ++L) {
    std::size_t Nl = Text.find('\n', LineStart);
    if (Nl == std::string_view::npos)
      return Text.size();
    LineStart = Nl + 1;
  }
  std::size_t LineEnd = Text.find('\n', LineStart);
  if (LineEnd == std::string_view::npos)
    LineEnd = Text.size();
  std::size_t Offset = LineStart;
  long Remaining = std::max(P.Character, 0);
  while (Offset < LineEnd && Remaining > 0) {
    std::size_t Len =
        std::min(sequenceLength(static_cast<unsigned char>(Text[Offset])), LineEnd - Offset);
    long Units = static_cast<long>(unitsOf(Len, Encoding));
    if (Units > Remaining)
      break; // The position points inside a character; stay before it.
    Remaining -= Units;
    Offset += Len;
  }
  return Offset;
}

Position toPosition(std::string_view Text, std::size_t Offset, OffsetEncoding Encoding) {
  Offset = std::min(Offset, Text.size());
  Position P;
  std::size_t LineStart = 0;
  for (;;) {
    std::size_t Nl = Text.find('\n', LineStart);
    if (Nl == std::string_view::npos || Nl >= Offset)
      break;
    ++P.Line;
    LineStart = Nl + 1;
  }
  std::size_t I = LineStart;
  while (I < Offset) {
    std::size_t Len = std::min(sequenceLength(static_cast<unsigned char>(Text[I])), Offset - I);
    P.Character += static_cast<int>(unitsOf(Len, Encoding));
    I += Len;
  }
  return P;
}

void applyChange(std::string &Text, const std::optional<Range> &R, std::string_view NewText,
                 OffsetEncoding Encoding) {
  if (!R) {
    Text.assign(NewText);
    return;
  }
  std::size_t Begin = toOffset(Text, R->Start, Encoding);
  std::size_t End = std::max(Begin, toOffset(Text, R->End, Encoding));
  Text.replace(Begin, End - Begin, NewText);
}

std::optional<Range> shiftRange(const Range &R, const Range &Edit, std::string_view NewText,
                                OffsetEncoding Encoding) {
  if (R.End <= Edit.Start)
    return R; // Entirely before the edit.
  if (R.Start < Edit.End)
    return std::nullopt; // Overlaps it.
  Position Extent = toPosition(NewText, NewText.size(), Encoding);
  Position NewEnd = Extent.Line == 0
                        ? Position{Edit.Start.Line, Edit.Start.Character + Extent.Character}
                        : Position{Edit.Start.Line + Extent.Line, Extent.Character};
  auto Shift = [&](Position P) {
    if (P.Line == Edit.End.Line)
      return Position{NewEnd.Line, NewEnd.Character + (P.Character - Edit.End.Character)};
    return Position{P.Line + (NewEnd.Line - Edit.End.Line), P.Character};
  };
  return Range{Shift(R.Start), Shift(R.End)};
}

} // namespace aorm::clangd
