// RUN: %check_aorm_tidy %s 'aorm-*' %t
// The asio profile's token rule on the real Boost.Asio 1.81 headers: this file already awaits
// with `asio::deferred`, so the fixes pass that token, spelled as the file spells it.

#include <boost/asio.hpp>

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;

awaitable<std::size_t> echo(tcp::socket &sock) {
  char data[64];
  std::size_t n = co_await sock.async_read_some(asio::buffer(data), asio::deferred);
  n += sock.write_some(asio::buffer(data, n));
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: call to 'write_some' in coroutine 'echo' blocks the event loop; use 'co_await sock.async_write_some(..., asio::deferred)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  n += co_await sock.async_write_some(asio::buffer(data, n), asio::deferred);{{$}}
  asio::steady_timer timer(sock.get_executor(), std::chrono::milliseconds(1));
  timer.wait();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: call to 'wait' in coroutine 'echo' blocks the event loop; use 'co_await timer.async_wait(asio::deferred)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await timer.async_wait(asio::deferred);{{$}}
  co_return n;
}
