// Declared intent: what blocks, which awaitable replaces it, what is lazy.
//
// The aorm clang-tidy checks read these annotations instead of a list of names, so any library can
// opt in by including this header and marking its own API. Under compilers other than Clang the
// macros expand to nothing (GCC would only warn about an unknown attribute).
#pragma once

#if defined(__clang__)
#define AORM_INTENT_(text) [[clang::annotate(text)]]
#else
#define AORM_INTENT_(text)
#endif

// A function that blocks the calling thread on I/O. `twin` names the awaitable member (or free
// function) that does the same work without blocking, e.g. AORM_BLOCKING("aget") on get().
// Range-for (begin), size(), operator[] and operator bool are marked the same way: the twin is what
// the fix-it calls instead (alist, acount, alist, aexists).
#define AORM_BLOCKING(twin) AORM_INTENT_("aorm.blocking:" twin)

// A function that blocks and has no awaitable twin.
#define AORM_BLOCKING_NO_TWIN AORM_INTENT_("aorm.blocking")

// The awaitable twin of the blocking function `sync`, e.g. AORM_ASYNC_TWIN("get") on aget().
// Used to suggest the sync call when an awaitable is created outside any coroutine.
#define AORM_ASYNC_TWIN(sync) AORM_INTENT_("aorm.async:" sync)

// On a class: a value of this type is an awaitable that does nothing until it is awaited
// (aorm::Task). Discarding one, or never awaiting it, loses the work.
#define AORM_AWAITABLE AORM_INTENT_("aorm.awaitable")

// On a class: a lazy query builder (aorm::QuerySet). Building one runs no query; awaiting an
// expression that yields one fetches nothing.
#define AORM_LAZY AORM_INTENT_("aorm.lazy")

// On a function: callables passed to it run off the event loop (aorm::sync_to_async), so blocking
// calls inside them are fine.
#define AORM_OFFLOADS AORM_INTENT_("aorm.offloads")
