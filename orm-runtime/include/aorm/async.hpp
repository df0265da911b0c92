// Driving tasks: aorm::run (asyncio.run / async_to_sync), aorm::sync_to_async (blocking work on the
// worker pool, resumed on the loop), aorm::gather (await several tasks at once), aorm::sleep_for.
#pragma once

#include "aorm/errors.hpp"
#include "aorm/intent.hpp"
#include "aorm/loop.hpp"
#include "aorm/task.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace aorm {

namespace detail {

// Runs `job` on one of the worker threads (env AORM_WORKERS, default 4).
void submit_to_pool(std::function<void()> job);
// Jobs the worker pool has been given since the process started (tests prove "no thread hop").
std::uint64_t pool_jobs() noexcept;
// Runs `job` on the thread that holds tx's connection, after the jobs queued there before it.
void submit_to_transaction(AsyncTx &tx, std::function<void()> job);

// Whether the calling thread's connection has a transaction open (inside aorm::atomic).
bool thread_in_transaction() noexcept;
// Set on a worker while it runs a job for a loop started inside a transaction; the backend then
// refuses database work at once (it would wait for the transaction's own lock).
inline thread_local bool t_offloaded_inside_transaction = false;

// ---- PostgreSQL: a-methods without a thread hop ----
// The a-method runs the sync terminal's own code on the loop thread; at each query it has no
// result for, the replay connection throws NeedQuery, the query is awaited on the socket, and the
// terminal runs again from the start with the results so far (a terminal is a function of its
// query results). One query costs one re-run of the terminal's CPU work, none of its I/O.
bool native_async() noexcept; // the default database is PostgreSQL
class NativeReplay;
struct NeedQuery {}; // not an aorm::Error: nothing in a terminal catches it
inline thread_local bool t_native_replay = false; // the guard lets a replayed terminal run
std::shared_ptr<NativeReplay> new_replay();
Task<void> run_pending(NativeReplay &r);
// Makes r this thread's connection (and lifts the guard) for one pass of a terminal.
class ReplayScope {
public:
  explicit ReplayScope(NativeReplay &r);
  ~ReplayScope();
  ReplayScope(const ReplayScope &) = delete;
  ReplayScope &operator=(const ReplayScope &) = delete;

private:
  void *previous_conn_;
  bool previous_replaying_;
};

// What an awaited T becomes in a result tuple: void has no value, so it is std::monostate.
template <class T> using result_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

inline EventLoop &require_loop(const char *what) {
  if (auto *loop = EventLoop::current())
    return *loop;
  throw Error(std::string("aorm: ") + what + " awaited outside aorm::run(); drive the task with aorm::run");
}

// Hands a coroutine its own promise's context without suspending.
struct OwnContext {
  TaskContext *context = nullptr;
  bool await_ready() const noexcept { return false; }
  template <class P> bool await_suspend(std::coroutine_handle<P> self) noexcept {
    static_assert(carries_context_v<P>, "awaited inside an aorm::Task only");
    context = &self.promise();
    return false; // go on at once
  }
  TaskContext &await_resume() const noexcept { return *context; }
};

// Suspends the coroutine, runs fn on the pool -- or, inside aatomic, on the transaction's own
// thread and connection -- and posts the coroutine back to its loop.
template <class F> class OffloadAwaiter {
public:
  using R = std::invoke_result_t<F &>;
  explicit OffloadAwaiter(F fn) : fn_(std::move(fn)) {}

  bool await_ready() const noexcept { return false; }
  template <class P> void await_suspend(std::coroutine_handle<P> waiter) {
    EventLoop &loop = require_loop("sync_to_async");
    AsyncTx *tx = nullptr;
    if constexpr (carries_context_v<P>)
      tx = waiter.promise().tx;
    bool inside_transaction = loop.inside_transaction() && !tx;
    auto job = [this, &loop, waiter, inside_transaction] {
      t_offloaded_inside_transaction = inside_transaction;
      try {
        if constexpr (std::is_void_v<R>) {
          fn_();
          result_.template emplace<1>();
        } else {
          result_.template emplace<1>(fn_());
        }
      } catch (...) {
        result_.template emplace<2>(std::current_exception());
      }
      t_offloaded_inside_transaction = false;
      loop.post(waiter); // last touch: the loop may resume and free this awaiter right after
    };
    if (tx)
      submit_to_transaction(*tx, std::move(job));
    else
      submit_to_pool(std::move(job));
  }
  R await_resume() {
    if (result_.index() == 2)
      std::rethrow_exception(std::get<2>(result_));
    if constexpr (!std::is_void_v<R>)
      return std::move(std::get<1>(result_));
  }

private:
  F fn_;
  std::variant<std::monostate, result_t<R>, std::exception_ptr> result_;
};

// A fire-and-forget frame that gather starts on the loop; it frees itself when it ends.
struct Child {
  struct promise_type : TaskContext {
    Child get_return_object() noexcept {
      return Child{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    std::suspend_never final_suspend() const noexcept { return {}; }
    void return_void() const noexcept {}
    void unhandled_exception() const noexcept { std::terminate(); } // the body catches everything
  };
  std::coroutine_handle<promise_type> handle;
};

// Shared by a gather and its children; lives in the gathering coroutine's frame.
struct GatherState {
  std::size_t pending = 0;
  EventLoop *loop = nullptr;
  std::coroutine_handle<> parent;
  AsyncTx *tx = nullptr;    // the parent's context, handed to every child
  std::exception_ptr error; // from the lowest-index task that failed
  std::size_t error_index = 0;

  void fail(std::size_t index, std::exception_ptr e) {
    if (!error || index < error_index) {
      error = std::move(e);
      error_index = index;
    }
  }
  void finish_one() {
    if (--pending == 0)
      loop->schedule(parent);
  }
  void start(Child child) {
    child.handle.promise().tx = tx;
    loop->schedule(child.handle);
  }
};

template <class T>
Child run_child(Task<T> task, std::optional<result_t<T>> &slot, GatherState &state,
                std::size_t index) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      slot.emplace();
    } else {
      slot.emplace(co_await std::move(task));
    }
  } catch (...) {
    state.fail(index, std::current_exception());
  }
  state.finish_one();
}

// Awaits every task concurrently; all of them finish before the first error is rethrown.
template <class Starter> struct GatherAwaiter {
  GatherState &state;
  std::size_t count;
  Starter start_all;
  bool await_ready() const noexcept { return count == 0; }
  template <class P> void await_suspend(std::coroutine_handle<P> parent) {
    state.loop = &require_loop("gather");
    state.parent = parent;
    if constexpr (carries_context_v<P>)
      state.tx = parent.promise().tx;
    state.pending = count;
    start_all();
  }
  void await_resume() const {
    if (state.error)
      std::rethrow_exception(state.error);
  }
};

template <class Starter> GatherAwaiter<Starter> gather_awaiter(GatherState &s, std::size_t n, Starter f) {
  return GatherAwaiter<Starter>{s, n, std::move(f)};
}

} // namespace detail

// Runs the task to completion on an event loop on the calling thread and returns its result.
// The calling thread must not already be running a loop (co_await the task there instead).
template <class T> T run(Task<T> task) {
  if (EventLoop::current())
    throw Error("aorm::run() called on a thread that is already running an event loop; "
                "co_await the task instead");
  auto handle = task.handle();
  if (!handle)
    throw Error("aorm::run() given an empty Task (moved-from or default-constructed)");
  EventLoop loop;
  loop.set_inside_transaction(detail::thread_in_transaction());
  loop.schedule(handle);
  loop.run_until([&] { return handle.done(); });
  return handle.promise().take();
}

// Runs fn() on the worker pool and resumes the awaiter on its loop with the result (or exception).
// Blocking calls belong inside fn: it never runs on the loop thread.
//
// GCC 12 destroys an aggregate temporary with a non-trivial member (a capturing lambda, a braced
// init-list) twice when it stands inside a co_await expression. Under GCC 12 name such an argument
// first (`auto job = [p] {...}; co_await sync_to_async(job);`), and write awaitable wrappers as plain
// functions that return sync_to_async(...) rather than as coroutines. Clang has no such problem.
template <class F> AORM_OFFLOADS Task<std::invoke_result_t<F &>> sync_to_async(F fn) {
  if constexpr (std::is_void_v<std::invoke_result_t<F &>>)
    co_await detail::OffloadAwaiter<F>(std::move(fn));
  else
    co_return co_await detail::OffloadAwaiter<F>(std::move(fn));
}

namespace detail {
// An a-method's work, given as the sync terminal's call: on PostgreSQL (outside aatomic) it runs
// on the loop thread with its queries awaited on the socket -- no thread hop; otherwise it hops to
// a worker, or to the enclosing aatomic block's thread.
template <class F> AORM_OFFLOADS Task<std::invoke_result_t<F &>> db_call(F fn) {
  using R = std::invoke_result_t<F &>;
  TaskContext &here = co_await OwnContext{};
  EventLoop *loop = EventLoop::current();
  if (here.tx || !loop || loop->inside_transaction() || !native_async()) {
    if constexpr (std::is_void_v<R>) {
      co_await OffloadAwaiter<F>(std::move(fn));
      co_return;
    } else {
      co_return co_await OffloadAwaiter<F>(std::move(fn));
    }
  }
  auto replay = new_replay();
  for (;;) {
    std::optional<result_t<R>> out;
    bool need = false;
    {
      ReplayScope scope(*replay);
      try {
        if constexpr (std::is_void_v<R>) {
          fn();
          out.emplace();
        } else {
          out.emplace(fn());
        }
      } catch (const NeedQuery &) {
        need = true;
      }
    }
    if (!need) {
      if constexpr (std::is_void_v<R>)
        co_return;
      else
        co_return std::move(*out);
    }
    co_await run_pending(*replay);
  }
}
// Awaits work, then assigns its result to *obj: an a-method that updates the object it was called
// on works on a copy (db_call may run it more than once) and hands the copy back here.
template <class T> Task<void> assign_after(T *obj, Task<T> work) { *obj = co_await std::move(work); }
template <class R, class T> Task<R> assign_after(T *obj, Task<std::pair<R, T>> work) {
  std::pair<R, T> done = co_await std::move(work);
  *obj = std::move(done.second);
  co_return std::move(done.first);
}
} // namespace detail

// Awaits all tasks concurrently on the current loop; results in argument order.
template <class... Ts> Task<std::tuple<detail::result_t<Ts>...>> gather(Task<Ts>... tasks) {
  detail::GatherState state;
  std::tuple<std::optional<detail::result_t<Ts>>...> slots;
  co_await detail::gather_awaiter(state, sizeof...(Ts), [&] {
    std::size_t index = 0;
    std::apply(
        [&](auto &...slot) {
          (state.start(detail::run_child(std::move(tasks), slot, state, index++)), ...);
        },
        slots);
  });
  co_return std::apply([](auto &...slot) { return std::tuple{std::move(*slot)...}; }, slots);
}

// Awaits every task of the vector concurrently; results in the vector's order.
template <class T> Task<std::vector<detail::result_t<T>>> gather(std::vector<Task<T>> tasks) {
  detail::GatherState state;
  std::vector<std::optional<detail::result_t<T>>> slots(tasks.size());
  co_await detail::gather_awaiter(state, tasks.size(), [&] {
    for (std::size_t i = 0; i < tasks.size(); ++i)
      state.start(detail::run_child(std::move(tasks[i]), slots[i], state, i));
  });
  std::vector<detail::result_t<T>> results;
  results.reserve(slots.size());
  for (auto &slot : slots)
    results.push_back(std::move(*slot));
  co_return results;
}

// Suspends the calling coroutine for `delay` while the loop runs others.
inline Task<void> sleep_for(std::chrono::milliseconds delay) {
  co_await detail::TimerWait(EventLoop::Clock::now() + delay);
}

} // namespace aorm
