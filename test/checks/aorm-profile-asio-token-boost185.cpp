// RUN: %check_aorm_tidy %s 'aorm-*' %t -- -DBOOST_VERSION=108500
// Near miss for the token rule's version: the same code on Boost 1.85 (no awaitable default
// token) gets `use_awaitable`, by its qualified name since the file names no token.

#include "Inputs/asio-1.86.hpp"

using boost::asio::awaitable;
using boost::asio::ip::tcp;

awaitable<std::size_t> first_read(tcp::socket &sock) {
  char data[64];
  std::size_t n = sock.read_some(boost::asio::buffer(data, sizeof data));
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: call to 'read_some' in coroutine 'first_read' blocks the event loop; use 'co_await sock.async_read_some(..., boost::asio::use_awaitable)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  std::size_t n = co_await sock.async_read_some(boost::asio::buffer(data, sizeof data), boost::asio::use_awaitable);{{$}}
  co_return n;
}
