// aorm::aatomic: a transaction for coroutines. The body runs in one transaction on one connection
// that travels with the coroutine: every a-method awaited inside it -- also in nested coroutines it
// awaits and tasks it gathers -- runs in that transaction. Nested blocks are savepoints; an
// exception rolls back and is rethrown; other coroutines of the loop keep running meanwhile and
// see none of it until it commits.
//
//   co_await aorm::aatomic([&]() -> aorm::Task<void> {
//     co_await Post::objects.filter(Q("id", id)).aupdate({{"views", F("views") + 1}});
//     co_await Log{...}.asave();
//   });
//   int n = co_await aorm::aatomic([&]() -> aorm::Task<int> { co_return co_await qs.acount(); });
//
// On SQLite the transaction pins a thread of its own with its own connection (BEGIN IMMEDIATE):
// the block's a-methods hop to that thread instead of the shared pool. Concurrent blocks each pin
// their own, and queue for SQLite's one write lock (up to the busy timeout, then DatabaseError);
// the loop keeps running while they wait.
//
// Under GCC 12, a lambda that captures by copy (or a braced list such as aupdate's assignments)
// standing inside a co_await expression is destroyed twice: name it first
// (`auto body = [&, id]() -> aorm::Task<void> {...}; co_await aorm::aatomic(body);`). Capturing
// by reference only, as above, is fine. Clang has no such problem.
#pragma once

#include "aorm/async.hpp"
#include "aorm/task.hpp"

#include <cstddef>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace aorm {

namespace detail {

// One level of an aatomic block, in the block's coroutine frame. The outermost one pins a new
// transaction (and releases it when destroyed); a nested one opens a savepoint on the enclosing
// block's. A level still open when it is destroyed (its task was destroyed mid-body) is rolled
// back.
class AtomicLevel {
public:
  explicit AtomicLevel(TaskContext &here);
  ~AtomicLevel();
  AtomicLevel(const AtomicLevel &) = delete;
  AtomicLevel &operator=(const AtomicLevel &) = delete;

  // BEGIN or SAVEPOINT; awaited by the block's coroutine, whose context is now the transaction.
  Task<void> begin();
  // COMMIT/RELEASE when `commit`, else ROLLBACK (TO).
  Task<void> end(bool commit);

private:
  AsyncTx *tx_ = nullptr;
  bool owner_ = false;
  bool open_ = false;
  std::size_t depth_ = 0; // levels open below this one
};

template <class T> struct task_value;
template <class T> struct task_value<Task<T>> {
  using type = T;
};

} // namespace detail

// Runs body() in a transaction (a savepoint when nested) and returns its result: commits when it
// returns, rolls back and rethrows when it throws. `body` is a callable returning aorm::Task<T>;
// aatomic keeps it alive until the body's task has finished.
template <class F>
auto aatomic(F body) -> Task<typename detail::task_value<std::invoke_result_t<F &>>::type> {
  using R = typename detail::task_value<std::invoke_result_t<F &>>::type;
  detail::TaskContext &here = co_await detail::OwnContext{};
  detail::AtomicLevel level(here);
  co_await level.begin();
  std::exception_ptr error;
  std::optional<detail::result_t<R>> value;
  try {
    if constexpr (std::is_void_v<R>) {
      co_await body();
      value.emplace();
    } else {
      value.emplace(co_await body());
    }
  } catch (...) {
    error = std::current_exception();
  }
  co_await level.end(!error); // no co_await inside a handler: the outcome is decided here
  if (error)
    std::rethrow_exception(error);
  if constexpr (!std::is_void_v<R>)
    co_return std::move(*value);
}

} // namespace aorm
