// RUN: %check_aorm_tidy %s 'aorm-*' %t
// The asio profile's token rule on the real Boost.Asio 1.81 headers: a file that names no token
// yet gets the awaitable's own, `use_awaitable`, by its qualified name (Boost < 1.86 has no
// awaitable default token).

#include <boost/asio.hpp>

using boost::asio::awaitable;
using boost::asio::ip::tcp;

awaitable<std::size_t> first_read(tcp::socket &sock) {
  char data[64];
  std::size_t n = sock.read_some(boost::asio::buffer(data));
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: call to 'read_some' in coroutine 'first_read' blocks the event loop; use 'co_await sock.async_read_some(..., boost::asio::use_awaitable)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  std::size_t n = co_await sock.async_read_some(boost::asio::buffer(data), boost::asio::use_awaitable);{{$}}
  co_return n;
}
