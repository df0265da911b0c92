// LSP positions (line, character in the negotiated encoding's code units) versus byte offsets in
// UTF-8 text. The default encoding is UTF-16; clangd can negotiate UTF-8 or UTF-32.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace aorm::clangd {

enum class OffsetEncoding { UTF8, UTF16, UTF32 };

std::optional<OffsetEncoding> parseOffsetEncoding(std::string_view Name);
const char *offsetEncodingName(OffsetEncoding Encoding);

struct Position {
  int Line = 0;
  int Character = 0;
  friend bool operator==(const Position &, const Position &) = default;
  friend auto operator<=>(const Position &, const Position &) = default;
};

struct Range {
  Position Start;
  Position End;
  friend bool operator==(const Range &, const Range &) = default;
};

// Byte offset of P in Text. A line past the end maps to the end of the text and a character past
// the end of its line to the line end, as the protocol asks; never splits a UTF-8 sequence.
std::size_t toOffset(std::string_view Text, Position P, OffsetEncoding Encoding);

// Position of byte Offset in Text (clamped to the text size).
Position toPosition(std::string_view Text, std::size_t Offset, OffsetEncoding Encoding);

// Applies one textDocument/didChange content change: Range absent replaces the whole text.
void applyChange(std::string &Text, const std::optional<Range> &R, std::string_view NewText,
                 OffsetEncoding Encoding);

// Where R lies after an edit replaced Edit with NewText, or nothing when the edit touches R's
// inside (the text R described is gone). Keeps findings on their text while a new analysis runs.
std::optional<Range> shiftRange(const Range &R, const Range &Edit, std::string_view NewText,
                                OffsetEncoding Encoding);

} // namespace aorm::clangd
