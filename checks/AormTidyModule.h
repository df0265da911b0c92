// Anchor for tools that link the aorm checks statically: referencing aormTidyModuleAnchor() keeps
// the module's object file, and with it the registration, in the final binary.
#pragma once

namespace clang::tidy::aorm {
int aormTidyModuleAnchor();
} // namespace clang::tidy::aorm

// Same anchor, callable without naming clang's namespaces.
int aormTidyModuleAnchor();
