// RUN: %check_aorm_tidy %s 'aorm-*' %t
// The asio profile's token rule from Boost 1.86 on (mock headers that declare its version): a
// file that names no token gets none, since the default token of an awaitable's executor is
// awaitable there.

#include "Inputs/asio-1.86.hpp"

using boost::asio::awaitable;
using boost::asio::ip::tcp;

awaitable<std::size_t> first_read(tcp::socket &sock) {
  char data[64];
  std::size_t n = sock.read_some(boost::asio::buffer(data, sizeof data));
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: call to 'read_some' in coroutine 'first_read' blocks the event loop; use 'co_await sock.async_read_some(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  std::size_t n = co_await sock.async_read_some(boost::asio::buffer(data, sizeof data));{{$}}
  co_return n;
}
