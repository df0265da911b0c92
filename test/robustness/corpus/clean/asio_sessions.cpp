// Correct Boost.Asio code (the real headers): sessions await async_* operations, blocking reads
// run on a thread pool or in plain functions.
#include <boost/asio.hpp>

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;

awaitable<std::size_t> echo(tcp::socket &sock) {
  char data[128];
  std::size_t n = co_await sock.async_read_some(asio::buffer(data), asio::use_awaitable);
  co_await asio::async_write(sock, asio::buffer(data, n), asio::use_awaitable);
  co_return n;
}

awaitable<void> ticks(asio::steady_timer &timer) {
  for (int i = 0; i < 3; ++i) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

awaitable<void> hand_off(asio::thread_pool &pool, tcp::socket &sock) {
  asio::post(pool, [&sock] {
    char d[8];
    sock.read_some(asio::buffer(d));
  });
  co_return;
}

std::size_t blocking_client(tcp::socket &sock) {
  char data[8];
  return sock.read_some(asio::buffer(data));
}
