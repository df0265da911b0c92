#include "aorm/guard.hpp"

#include "aorm/errors.hpp"
#include "aorm/async.hpp"
#include "aorm/loop.hpp"

#include <cstdlib>
#include <string>

namespace aorm {

bool async_unsafe_allowed() noexcept {
  // Read on every call so a test or a REPL session can flip it at run time.
  const char *value = std::getenv("AORM_ALLOW_ASYNC_UNSAFE");
  return value && *value && std::string_view(value) != "0";
}

void guard_sync(std::string_view what) {
  // A PostgreSQL a-method replays its terminal on the loop thread, its queries awaited: no block.
  if (!EventLoop::current() || detail::t_native_replay || async_unsafe_allowed())
    return;
  throw SynchronousOnlyOperation(
      "aorm: " + std::string(what) +
      " blocks and was called on the event-loop thread; co_await its a-twin or wrap the call in "
      "aorm::sync_to_async (set AORM_ALLOW_ASYNC_UNSAFE=1 to turn this check off)");
}

} // namespace aorm
