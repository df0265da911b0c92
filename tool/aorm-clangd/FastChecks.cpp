// The aorm checks are known-fast to clangd.
//
// clangd keeps a table of clang-tidy checks it has timed; under its default
// `FastCheckFilter: Strict` a check missing from the table never runs, so without this an aorm
// check would need a `.clangd` file in every project. The linker is told to send clangd's calls
// of isFastTidyCheck here (`--wrap`, see CMakeLists.txt): aorm checks answer "fast" (they run
// in one walk per coroutine body, measured in docs/performance.md), every other check gets
// clangd's own answer. The filter itself stays clangd's: `Loose` and `None` behave as in clangd,
// and a `.clangd` that removes or suppresses an aorm check still wins.

#include "llvm/ADT/StringRef.h"

#include <optional>

// clang::clangd::isFastTidyCheck(llvm::StringRef), clangd's lookup in its table of timed checks.
#define AORM_IS_FAST_TIDY_CHECK "_ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE"

std::optional<bool> clangdIsFastTidyCheck(llvm::StringRef Check)
    __asm__("__real_" AORM_IS_FAST_TIDY_CHECK);

std::optional<bool> aormIsFastTidyCheck(llvm::StringRef Check)
    __asm__("__wrap_" AORM_IS_FAST_TIDY_CHECK);

std::optional<bool> aormIsFastTidyCheck(llvm::StringRef Check) {
  if (Check.starts_with("aorm-"))
    return true;
  return clangdIsFastTidyCheck(Check);
}
