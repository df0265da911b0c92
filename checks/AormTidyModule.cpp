// Registers the aorm checks with clang-tidy. Only registration lives here.
#include "AormTidyModule.h"
#include "AwaitOnLazyQuerysetCheck.h"
#include "BlockingCallInCoroutineCheck.h"
#include "MissingCoAwaitCheck.h"

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace clang::tidy::aorm {
namespace {

class AormModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<BlockingCallInCoroutineCheck>("aorm-blocking-call-in-coroutine");
    Factories.registerCheck<MissingCoAwaitCheck>("aorm-missing-co-await");
    Factories.registerCheck<AwaitOnLazyQuerysetCheck>("aorm-await-on-lazy-queryset");
  }
};

} // namespace

static ClangTidyModuleRegistry::Add<AormModule> X("aorm-module",
                                                  "Checks for async ORM misuse in coroutines.");

// The value is irrelevant; referencing the symbol is what pulls this object in.
volatile int AormModuleAnchorSource = 0;
int aormTidyModuleAnchor() { return AormModuleAnchorSource; }

} // namespace clang::tidy::aorm

int aormTidyModuleAnchor() { return clang::tidy::aorm::aormTidyModuleAnchor(); }
