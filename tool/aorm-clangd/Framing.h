// LSP base protocol: "Content-Length: N\r\n\r\n" followed by N bytes of JSON.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace aorm::clangd {

// Reads framed messages from a file descriptor. A bad header block is reported and skipped so
// the stream stays usable; bodies can be read whole or streamed when too large to buffer.
class MessageReader {
public:
  explicit MessageReader(int Fd) : Fd(Fd) {}

  enum class Status { Header, Eof, Malformed };
  // Reads one header block. Header: Length is the body size. Malformed: Problem says why; the
  // offending bytes were consumed.
  Status readHeader(std::size_t &Length, std::string &Problem);
  // Reads exactly Length body bytes; false on end of input.
  bool readBody(std::size_t Length, std::string &Body);
  // Passes Length body bytes to Sink in chunks without buffering them all; false on end of input
  // or when Sink returns false.
  bool streamBody(std::size_t Length, const std::function<bool(std::string_view)> &Sink);

  // Largest header block accepted before the bytes are discarded as garbage.
  static constexpr std::size_t MaxHeaderBytes = 64 * 1024;

private:
  bool fill();
  void compact();

  int Fd;
  std::string Buf;
  std::size_t Pos = 0;
};

// Writes whole buffers, retrying short writes and EINTR; false when the peer is gone.
bool writeAll(int Fd, std::string_view Data);

// Frames messages and writes them to one descriptor, in the order write() was called, from a
// thread of its own: a reader that is slow to drain its end never stalls the caller (the relay of
// clangd's traffic, or a publish made under the proxy's lock).
class MessageWriter {
public:
  explicit MessageWriter(int Fd);
  ~MessageWriter();
  // Queues Body; false once the peer is known to be gone.
  bool write(std::string Body);
  // Waits until everything queued is written or the peer is gone.
  void flush();

private:
  void run();

  int Fd;
  std::mutex Mutex;
  std::condition_variable Changed;
  std::deque<std::string> Queue;
  bool Writing = false;
  bool Failed = false;
  bool Stopping = false;
  std::thread Worker;
};

} // namespace aorm::clangd
