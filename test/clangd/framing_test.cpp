#include "Framing.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>
#include <unistd.h>

using namespace aorm::clangd;

namespace {

// A pipe fed by a writer thread, so large inputs cannot deadlock on the pipe buffer.
struct Feed {
  int Fds[2];
  std::thread Writer;
  explicit Feed(std::string Data) {
    EXPECT_EQ(::pipe(Fds), 0);
    Writer = std::thread([this, Data = std::move(Data)] {
      writeAll(Fds[1], Data);
      ::close(Fds[1]);
    });
  }
  ~Feed() {
    Writer.join();
    ::close(Fds[0]);
  }
};

std::string frame(const std::string &Body) {
  return "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" + Body;
}

} // namespace

TEST(Framing, ReadsConsecutiveMessagesAndOtherHeaders) {
  Feed In(frame("{\"a\":1}") +
          "content-length: 2\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{}" +
          "Content-Length: 3\n\n[1]");
  MessageReader R(In.Fds[0]);
  std::size_t Len = 0;
  std::string Problem, Body;
  for (const char *Want : {"{\"a\":1}", "{}", "[1]"}) {
    ASSERT_EQ(R.readHeader(Len, Problem), MessageReader::Status::Header) << Problem;
    ASSERT_TRUE(R.readBody(Len, Body));
    EXPECT_EQ(Body, Want);
  }
  EXPECT_EQ(R.readHeader(Len, Problem), MessageReader::Status::Eof);
}

TEST(Framing, ReportsAndSkipsBadHeaders) {
  Feed In("X-Other: 1\r\n\r\n" + std::string("Content-Length: 12x\r\n\r\n") + frame("{}"));
  MessageReader R(In.Fds[0]);
  std::size_t Len = 0;
  std::string Problem, Body;
  EXPECT_EQ(R.readHeader(Len, Problem), MessageReader::Status::Malformed);
  EXPECT_EQ(Problem, "header block without Content-Length");
  EXPECT_EQ(R.readHeader(Len, Problem), MessageReader::Status::Malformed);
  EXPECT_EQ(Problem, "bad Content-Length value '12x'");
  ASSERT_EQ(R.readHeader(Len, Problem), MessageReader::Status::Header);
  ASSERT_TRUE(R.readBody(Len, Body));
  EXPECT_EQ(Body, "{}");
}

TEST(Framing, DiscardsEndlessHeaderGarbage) {
  Feed In(std::string(3 * MessageReader::MaxHeaderBytes, 'z') + "\r\n\r\n" + frame("{}"));
  MessageReader R(In.Fds[0]);
  std::size_t Len = 0;
  std::string Problem, Body;
  EXPECT_EQ(R.readHeader(Len, Problem), MessageReader::Status::Malformed);
  EXPECT_NE(Problem.find("no end of header"), std::string::npos);
  // The rest of the garbage line is one more malformed block; then the stream is back in sync.
  MessageReader::Status S;
  while ((S = R.readHeader(Len, Problem)) == MessageReader::Status::Malformed) {
  }
  ASSERT_EQ(S, MessageReader::Status::Header);
  ASSERT_TRUE(R.readBody(Len, Body));
  EXPECT_EQ(Body, "{}");
}

TEST(Framing, TruncatedBodyIsEndOfInput) {
  Feed In("Content-Length: 10\r\n\r\n{\"a\"");
  MessageReader R(In.Fds[0]);
  std::size_t Len = 0;
  std::string Problem, Body;
  ASSERT_EQ(R.readHeader(Len, Problem), MessageReader::Status::Header);
  EXPECT_FALSE(R.readBody(Len, Body));
}

TEST(Framing, StreamsLargeBodiesInChunks) {
  std::string Big(5 << 20, 'q');
  Feed In(frame(Big) + frame("{}"));
  MessageReader R(In.Fds[0]);
  std::size_t Len = 0, Seen = 0, Chunks = 0;
  std::string Problem, Body;
  ASSERT_EQ(R.readHeader(Len, Problem), MessageReader::Status::Header);
  ASSERT_EQ(Len, Big.size());
  ASSERT_TRUE(R.streamBody(Len, [&](std::string_view C) {
    Seen += C.size();
    ++Chunks;
    return C.find_first_not_of('q') == std::string_view::npos;
  }));
  EXPECT_EQ(Seen, Big.size());
  EXPECT_GT(Chunks, 1u);
  ASSERT_EQ(R.readHeader(Len, Problem), MessageReader::Status::Header);
  ASSERT_TRUE(R.readBody(Len, Body));
  EXPECT_EQ(Body, "{}");
}

TEST(Framing, WriterFramesBodies) {
  int Fds[2];
  ASSERT_EQ(::pipe(Fds), 0);
  MessageWriter W(Fds[1]);
  ASSERT_TRUE(W.write("{\"x\":\"\xC3\xA9\"}"));
  ASSERT_TRUE(W.write("{}"));
  W.flush();
  ::close(Fds[1]);
  char Buf[128];
  ssize_t N = ::read(Fds[0], Buf, sizeof(Buf));
  ::close(Fds[0]);
  EXPECT_EQ(std::string(Buf, N),
            "Content-Length: 10\r\n\r\n{\"x\":\"\xC3\xA9\"}Content-Length: 2\r\n\r\n{}");
}

TEST(Framing, WriterReportsAGonePeer) {
  int Fds[2];
  ASSERT_EQ(::pipe(Fds), 0);
  ::close(Fds[0]);
  signal(SIGPIPE, SIG_IGN);
  MessageWriter W(Fds[1]);
  W.write("{}");
  W.flush();
  EXPECT_FALSE(W.write("{}"));
  ::close(Fds[1]);
}
