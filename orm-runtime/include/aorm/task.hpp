// aorm::Task<T>: a lazy coroutine task. Nothing runs until it is awaited (or handed to aorm::run);
// completion resumes the awaiter by symmetric transfer; an exception is rethrown at the awaiter.
// An awaited task inherits its awaiter's context (the transaction of an enclosing aorm::aatomic),
// so every a-method awaited inside the block, however deeply nested, runs in that transaction.
#pragma once

#include "aorm/intent.hpp"

#include <coroutine>
#include <exception>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace aorm {

template <class T = void> class Task;

namespace detail {

class AsyncTx; // one aatomic transaction pinned to one connection (src/aatomic.cpp)

// What a running coroutine passes on to the tasks it awaits (and gather to its children).
struct TaskContext {
  AsyncTx *tx = nullptr; // the innermost aatomic block's transaction, or none
};

template <class P> inline constexpr bool carries_context_v = std::is_base_of_v<TaskContext, P>;

// Resumes whoever awaited the task when it finishes, without growing the stack.
struct FinalAwaiter {
  bool await_ready() const noexcept { return false; }
  template <class Promise>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) const noexcept {
    if (auto next = self.promise().continuation)
      return next;
    return std::noop_coroutine();
  }
  void await_resume() const noexcept {}
};

struct PromiseBase : TaskContext {
  std::coroutine_handle<> continuation;
  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
};

template <class T> struct Promise : PromiseBase {
  std::variant<std::monostate, T, std::exception_ptr> result;
  Task<T> get_return_object() noexcept;
  template <class U>
    requires std::is_convertible_v<U &&, T>
  void return_value(U &&value) {
    result.template emplace<1>(std::forward<U>(value));
  }
  void unhandled_exception() noexcept { result.template emplace<2>(std::current_exception()); }
  T take() {
    if (result.index() == 2)
      std::rethrow_exception(std::get<2>(result));
    return std::move(std::get<1>(result));
  }
};

template <> struct Promise<void> : PromiseBase {
  std::exception_ptr error;
  Task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
  void unhandled_exception() noexcept { error = std::current_exception(); }
  void take() const {
    if (error)
      std::rethrow_exception(error);
  }
};

} // namespace detail

template <class T> class [[nodiscard]] AORM_AWAITABLE Task {
public:
  using promise_type = detail::Promise<T>;
  using value_type = T;
  using Handle = std::coroutine_handle<promise_type>;

  Task() noexcept = default;
  explicit Task(Handle h) noexcept : handle_(h) {}
  Task(Task &&other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task &operator=(Task other) noexcept {
    std::swap(handle_, other.handle_);
    return *this;
  }
  ~Task() {
    if (handle_)
      handle_.destroy();
  }

  bool valid() const noexcept { return static_cast<bool>(handle_); }

  // Awaiting starts the task and suspends the awaiter until it finishes.
  auto operator co_await() && noexcept { return Awaiter{handle_}; }
  auto operator co_await() & noexcept { return Awaiter{handle_}; }

  // For the event loop and gather: the raw frame (still owned by this Task).
  Handle handle() const noexcept { return handle_; }

private:
  struct Awaiter {
    Handle task;
    bool await_ready() const noexcept { return !task || task.done(); }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> awaiting) noexcept {
      if constexpr (detail::carries_context_v<P>)
        task.promise().tx = awaiting.promise().tx;
      else
        task.promise().tx = nullptr; // a foreign coroutine type has no aorm context
      task.promise().continuation = awaiting;
      return task;
    }
    T await_resume() {
      if (!task)
        throw std::logic_error("aorm: awaiting an empty Task (moved-from or default-constructed)");
      return task.promise().take();
    }
  };

  Handle handle_;
};

namespace detail {
template <class T> Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>{std::coroutine_handle<Promise<T>>::from_promise(*this)};
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>{std::coroutine_handle<Promise<void>>::from_promise(*this)};
}
} // namespace detail

} // namespace aorm
