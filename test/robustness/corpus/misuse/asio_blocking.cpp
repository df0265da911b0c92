// Boost.Asio misuse (the real headers): sync operations in an awaitable coroutine, and one posted
// to the io_context, which runs on the loop.
#include <boost/asio.hpp>

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;

awaitable<std::size_t> session(asio::io_context &ioc, tcp::socket &sock, tcp::resolver &resolver) {
  char data[64];
  std::size_t n = sock.read_some(asio::buffer(data));
  auto endpoints = resolver.resolve("localhost", "80");
  boost::system::error_code ec;
  n += sock.write_some(asio::buffer(data, n), ec);
  asio::post(ioc, [&] { sock.read_some(asio::buffer(data)); });
  co_return n + endpoints.size();
}
