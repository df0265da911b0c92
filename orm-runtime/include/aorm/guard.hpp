// The run-time guard: a blocking ORM call on a thread that runs an event loop stalls every coroutine
// of that loop, so it throws instead (as Django raises SynchronousOnlyOperation).
#pragma once

#include <string_view>

namespace aorm {

// True when env AORM_ALLOW_ASYNC_UNSAFE is set to a non-empty value other than "0".
bool async_unsafe_allowed() noexcept;

// Throws SynchronousOnlyOperation naming `what` when the calling thread is running an event loop.
// Every blocking terminal calls this first.
void guard_sync(std::string_view what);

} // namespace aorm
