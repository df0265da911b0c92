// RUN: %check_aorm_tidy %s 'aorm-*' %t
// The asio profile, on the real Boost.Asio headers: synchronous socket, resolver, timer and
// acceptor operations in an awaitable<T> coroutine become `co_await async_*(..., use_awaitable)`,
// the token spelled as this file spells it (`asio::use_awaitable` through the namespace alias);
// the error_code overloads get advice; asio's awaitables are tasks by the language's rules; a
// lambda posted to a thread_pool runs off the loop, one posted to the io_context or a strand does
// not.

#include <boost/asio.hpp>
#include <string>
#include <thread>

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;

awaitable<std::size_t> session(tcp::socket &sock, tcp::resolver &resolver, tcp::acceptor &acceptor,
                               tcp::socket &peer) {
  char data[64];
  std::size_t n = sock.read_some(asio::buffer(data));
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: call to 'read_some' in coroutine 'session' blocks the event loop; use 'co_await sock.async_read_some(..., asio::use_awaitable)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  std::size_t n = co_await sock.async_read_some(asio::buffer(data), asio::use_awaitable);{{$}}
  n += asio::write(sock, asio::buffer(data, n));
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: call to 'write' in coroutine 'session' blocks the event loop; use 'co_await boost::asio::async_write(..., asio::use_awaitable)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  n += co_await boost::asio::async_write(sock, asio::buffer(data, n), asio::use_awaitable);{{$}}
  auto endpoints = resolver.resolve("localhost", "80");
// CHECK-MESSAGES: :[[@LINE-1]]:29: warning: call to 'resolve' in coroutine 'session' blocks the event loop; use 'co_await resolver.async_resolve(..., asio::use_awaitable)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto endpoints = co_await resolver.async_resolve("localhost", "80", asio::use_awaitable);{{$}}
  acceptor.accept(peer);
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: call to 'accept' in coroutine 'session' blocks the event loop; use 'co_await acceptor.async_accept(..., asio::use_awaitable)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await acceptor.async_accept(peer, asio::use_awaitable);{{$}}
  asio::steady_timer timer(sock.get_executor(), std::chrono::milliseconds(5));
  timer.wait();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: call to 'wait' in coroutine 'session' blocks the event loop; use 'co_await timer.async_wait(asio::use_awaitable)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await timer.async_wait(asio::use_awaitable);{{$}}
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: call to 'sleep_for' in coroutine 'session' blocks the event loop; 'co_await' the 'async_wait' of an 'asio::steady_timer' instead [aorm-blocking-call-in-coroutine]
  boost::system::error_code ec;
  sock.read_some(asio::buffer(data), ec);
// CHECK-MESSAGES: :[[@LINE-1]]:8: warning: call to 'read_some' in coroutine 'session' blocks the event loop; use the async_* twin with 'redirect_error(use_awaitable, ec)' and 'co_await' it [aorm-blocking-call-in-coroutine]
  // An awaitable made and dropped never runs.
  timer.async_wait(asio::use_awaitable);
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'async_wait' is discarded, so it never runs; use 'co_await timer.async_wait(asio::use_awaitable)' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await timer.async_wait(asio::use_awaitable);{{$}}
  co_return n + endpoints.size();
}

awaitable<void> posting(asio::io_context &ioc, asio::thread_pool &pool, tcp::socket &sock) {
  char data[8];
  // Runs later on the io_context's thread, the loop itself: still blocking it.
  asio::post(ioc, [&] { sock.read_some(asio::buffer(data)); });
// CHECK-MESSAGES: :[[@LINE-1]]:30: warning: call to 'read_some' in a lambda that coroutine 'posting' runs in place blocks the event loop; use 'co_await sock.async_read_some(..., asio::use_awaitable)' instead [aorm-blocking-call-in-coroutine]
  auto strand = asio::make_strand(ioc);
  asio::dispatch(strand, [&] { sock.read_some(asio::buffer(data)); });
// CHECK-MESSAGES: :[[@LINE-1]]:37: warning: call to 'read_some' in a lambda that coroutine 'posting' runs in place blocks {{.*}} [aorm-blocking-call-in-coroutine]
  // A thread pool's threads are not the loop: offloaded, as are its executor's.
  asio::post(pool, [&] { sock.read_some(asio::buffer(data)); });
  asio::post(pool.get_executor(), [&] { sock.read_some(asio::buffer(data)); });
  asio::dispatch(pool, [&] { sock.read_some(asio::buffer(data)); });
  co_return;
}

// ---- near misses ------------------------------------------------------------------------------

awaitable<std::size_t> async_already(tcp::socket &sock, tcp::resolver &resolver) {
  char data[64];
  std::size_t n = co_await sock.async_read_some(asio::buffer(data), asio::use_awaitable);
  n += co_await asio::async_write(sock, asio::buffer(data, n), asio::use_awaitable);
  auto endpoints = co_await resolver.async_resolve("localhost", "80", asio::use_awaitable);
  // Not blocking: queries of the socket's state.
  bool open = sock.is_open();
  co_return n + endpoints.size() + (open ? 1 : 0);
}

// Sync code may block.
std::size_t blocking_client(tcp::socket &sock) {
  char data[8];
  return sock.read_some(asio::buffer(data));
}
