#include "Positions.h"

#include <gtest/gtest.h>

using namespace aorm::clangd;

namespace {

// "é" is 2 UTF-8 bytes / 1 UTF-16 unit; "🙂" is 4 bytes / 2 units (a surrogate pair) / 1 UTF-32.
const std::string Text = "ab\n/* \xC3\xA9 \xF0\x9F\x99\x82 */ x;\nlast";
const std::size_t XOffset = Text.find('x');

TEST(Positions, Utf16CountsSurrogatePairsAsTwoUnits) {
  Position P = toPosition(Text, XOffset, OffsetEncoding::UTF16);
  EXPECT_EQ(P.Line, 1);
  EXPECT_EQ(P.Character, 11); // "/* " 3, é 1, " " 1, 🙂 2, " */ " 4.
  EXPECT_EQ(toOffset(Text, P, OffsetEncoding::UTF16), XOffset);
}

TEST(Positions, Utf8AndUtf32) {
  EXPECT_EQ(toPosition(Text, XOffset, OffsetEncoding::UTF8).Character, 14);
  EXPECT_EQ(toPosition(Text, XOffset, OffsetEncoding::UTF32).Character, 10);
  EXPECT_EQ(toOffset(Text, {1, 14}, OffsetEncoding::UTF8), XOffset);
  EXPECT_EQ(toOffset(Text, {1, 10}, OffsetEncoding::UTF32), XOffset);
}

TEST(Positions, InsideASurrogatePairStaysBeforeTheCharacter) {
  std::size_t Emoji = Text.find("\xF0");
  EXPECT_EQ(toOffset(Text, {1, 5}, OffsetEncoding::UTF16), Emoji);
  EXPECT_EQ(toOffset(Text, {1, 6}, OffsetEncoding::UTF16), Emoji); // Between the surrogates.
  EXPECT_EQ(toOffset(Text, {1, 7}, OffsetEncoding::UTF16), Emoji + 4);
}

TEST(Positions, ClampsPastLineAndTextEnd) {
  EXPECT_EQ(toOffset(Text, {0, 99}, OffsetEncoding::UTF16), 2u);
  EXPECT_EQ(toOffset(Text, {9, 0}, OffsetEncoding::UTF16), Text.size());
  EXPECT_EQ(toPosition(Text, 9999, OffsetEncoding::UTF16), (Position{2, 4}));
}

TEST(Positions, ApplyChangeIncrementalAndFull) {
  std::string T = Text;
  // Replace "x" (line 1, UTF-16 column 11) with "yy".
  applyChange(T, Range{{1, 11}, {1, 12}}, "yy", OffsetEncoding::UTF16);
  EXPECT_EQ(T, "ab\n/* \xC3\xA9 \xF0\x9F\x99\x82 */ yy;\nlast");
  // Insert a line at the start, then delete across lines.
  applyChange(T, Range{{0, 0}, {0, 0}}, "new\n", OffsetEncoding::UTF16);
  applyChange(T, Range{{0, 3}, {2, 0}}, "", OffsetEncoding::UTF16);
  EXPECT_EQ(T, "new/* \xC3\xA9 \xF0\x9F\x99\x82 */ yy;\nlast");
  applyChange(T, std::nullopt, "whole", OffsetEncoding::UTF16);
  EXPECT_EQ(T, "whole");
}

TEST(Positions, ReversedRangeDoesNotCorruptText) {
  std::string T = "abcdef";
  applyChange(T, Range{{0, 4}, {0, 2}}, "X", OffsetEncoding::UTF16);
  EXPECT_EQ(T, "abcdXef");
}

TEST(Positions, ShiftRangeFollowsEdits) {
  const Range R{{2, 4}, {2, 8}};
  auto Shift = [&](Range Edit, std::string_view NewText) {
    return shiftRange(R, Edit, NewText, OffsetEncoding::UTF16);
  };
  EXPECT_EQ(Shift({{3, 0}, {3, 5}}, "x"), R);                          // After it.
  EXPECT_EQ(Shift({{2, 8}, {2, 8}}, "x"), R);                          // Appended at its end.
  EXPECT_EQ(Shift({{2, 0}, {2, 1}}, "abc"), (Range{{2, 6}, {2, 10}})); // Earlier on its line.
  EXPECT_EQ(Shift({{2, 4}, {2, 4}}, "\xF0\x9F\x99\x82"),
            (Range{{2, 6}, {2, 10}})); // Inserted at its start: a surrogate pair is two units.
  EXPECT_EQ(Shift({{0, 0}, {0, 0}}, "a\nb\n"), (Range{{4, 4}, {4, 8}})); // Lines above.
  EXPECT_EQ(Shift({{1, 3}, {2, 2}}, "q"), (Range{{1, 6}, {1, 10}}));     // Joins lines.
  EXPECT_EQ(Shift({{2, 1}, {2, 2}}, "\nzz"), (Range{{3, 4}, {3, 8}}));   // Splits the line.
  EXPECT_FALSE(Shift({{2, 5}, {2, 6}}, ""));                             // Inside it.
  EXPECT_FALSE(Shift({{2, 0}, {2, 5}}, "x"));                            // Across its start.
}

TEST(Positions, EncodingNames) {
  EXPECT_EQ(parseOffsetEncoding("utf-16"), OffsetEncoding::UTF16);
  EXPECT_EQ(parseOffsetEncoding("utf-8"), OffsetEncoding::UTF8);
  EXPECT_EQ(parseOffsetEncoding("utf-32"), OffsetEncoding::UTF32);
  EXPECT_FALSE(parseOffsetEncoding("latin1"));
}

} // namespace
