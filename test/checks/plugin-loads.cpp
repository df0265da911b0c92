// Stock clang-tidy-19 loads the plugin and lists the three checks; the plugin uses the
// executable's module registry instead of carrying a second, empty copy of it.
// RUN: %clang_tidy_aorm -checks='-*,aorm-*' --list-checks | %FileCheck %s --check-prefix=LIST
// LIST: Enabled checks:
// LIST-DAG: aorm-await-on-lazy-queryset
// LIST-DAG: aorm-blocking-call-in-coroutine
// LIST-DAG: aorm-missing-co-await
// RUN: nm -DC --defined-only %aorm_plugin | %FileCheck %s --check-prefix=DEFINED --implicit-check-not='Registry<clang::tidy::ClangTidyModule>::Head'
// DEFINED: aormTidyModuleAnchor
// RUN: nm -DC --undefined-only %aorm_plugin | %FileCheck %s --check-prefix=IMPORTED
// IMPORTED: llvm::Registry<clang::tidy::ClangTidyModule>::add_node
