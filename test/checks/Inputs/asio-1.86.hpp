// The parts of Boost.Asio 1.86 the token rule looks at, after its headers (boost/version.hpp,
// boost/asio/awaitable.hpp, basic_stream_socket.hpp): from 1.86 the default completion token of
// an operation is awaitable in an awaitable<T> coroutine, so `co_await s.async_read_some(b)`
// needs no token. Bodies are left out or minimal.
#pragma once
#include <coroutine>
#include <cstddef>
#include <exception>

#ifndef BOOST_VERSION // a test may say it is older
#define BOOST_VERSION 108600
#endif

namespace boost::asio {
template <class T> class awaitable {
public:
  struct promise_type {
    awaitable get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T) {}
    void unhandled_exception() { std::terminate(); }
  };
};
struct use_awaitable_t {};
constexpr use_awaitable_t use_awaitable;
struct mutable_buffer {
  void *data;
  std::size_t size;
};
inline mutable_buffer buffer(void *data, std::size_t size) { return {data, size}; }
// What an operation started with the default token returns: an awaitable operation.
struct deferred_read {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  std::size_t await_resume() { return 0; }
};
template <class Protocol> class basic_stream_socket {
public:
  std::size_t read_some(const mutable_buffer &buffers);
  deferred_read async_read_some(const mutable_buffer &buffers);
  deferred_read async_read_some(const mutable_buffer &buffers, use_awaitable_t);
};
namespace ip {
class tcp {
public:
  using socket = basic_stream_socket<tcp>;
};
} // namespace ip
} // namespace boost::asio
