#include "Framing.h"

#include <cerrno>
#include <charconv>
#include <unistd.h>

namespace aorm::clangd {

namespace {

bool equalsIgnoreCase(std::string_view A, std::string_view B) {
  if (A.size() != B.size())
    return false;
  for (std::size_t I = 0; I < A.size(); ++I) {
    auto Lower = [](char C) { return (C >= 'A' && C <= 'Z') ? char(C - 'A' + 'a') : C; };
    if (Lower(A[I]) != Lower(B[I]))
      return false;
  }
  return true;
}

std::string_view trim(std::string_view S) {
  while (!S.empty() && (S.front() == ' ' || S.front() == '\t'))
    S.remove_prefix(1);
  while (!S.empty() && (S.back() == ' ' || S.back() == '\t' || S.back() == '\r'))
    S.remove_suffix(1);
  return S;
}

} // namespace

bool MessageReader::fill() {
  char Chunk[64 * 1024];
  for (;;) {
    ssize_t N = ::read(Fd, Chunk, sizeof(Chunk));
    if (N > 0) {
      Buf.append(Chunk, static_cast<std::size_t>(N));
      return true;
    }
    if (N < 0 && errno == EINTR)
      continue;
    return false;
  }
}

void MessageReader::compact() {
  if (Pos > 0 && Pos >= Buf.size() / 2) {
    Buf.erase(0, Pos);
    Pos = 0;
  }
}

MessageReader::Status MessageReader::readHeader(std::size_t &Length, std::string &Problem) {
  for (;;) {
    std::string_view Avail(Buf.data() + Pos, Buf.size() - Pos);
    // Both CRLF and bare LF line ends are accepted; clients in the wild send either.
    std::size_t End = Avail.find("\r\n\r\n");
    std::size_t EndLen = 4;
    std::size_t LfEnd = Avail.find("\n\n");
    if (LfEnd != std::string_view::npos && (End == std::string_view::npos || LfEnd < End)) {
      End = LfEnd;
      EndLen = 2;
    }
    if (End == std::string_view::npos) {
      if (Avail.size() > MaxHeaderBytes) {
        Problem =
            "no end of header within " + std::to_string(MaxHeaderBytes) + " bytes; discarding them";
        Pos = Buf.size();
        compact();
        return Status::Malformed;
      }
      compact();
      if (!fill())
        return Status::Eof;
      continue;
    }
    // Copied: compact() below may move the buffer the view points into.
    std::string HeaderText(Avail.substr(0, End));
    std::string_view Block = HeaderText;
    Pos += End + EndLen;
    compact();

    bool HaveLength = false;
    Problem.clear();
    while (!Block.empty()) {
      std::size_t Nl = Block.find('\n');
      std::string_view Line = Block.substr(0, Nl);
      Block = Nl == std::string_view::npos ? std::string_view() : Block.substr(Nl + 1);
      Line = trim(Line);
      if (Line.empty())
        continue;
      std::size_t Colon = Line.find(':');
      if (Colon == std::string_view::npos) {
        Problem = "header line without ':': '" + std::string(Line.substr(0, 80)) + "'";
        continue;
      }
      std::string_view Name = trim(Line.substr(0, Colon));
      std::string_view Value = trim(Line.substr(Colon + 1));
      if (!equalsIgnoreCase(Name, "Content-Length"))
        continue; // Content-Type and unknown headers carry nothing we need.
      std::size_t N = 0;
      auto [Ptr, Ec] = std::from_chars(Value.data(), Value.data() + Value.size(), N);
      if (Ec != std::errc() || Ptr != Value.data() + Value.size()) {
        Problem = "bad Content-Length value '" + std::string(Value.substr(0, 40)) + "'";
        return Status::Malformed;
      }
      Length = N;
      HaveLength = true;
    }
    if (!HaveLength) {
      if (Problem.empty())
        Problem = "header block without Content-Length";
      return Status::Malformed;
    }
    return Status::Header;
  }
}

bool MessageReader::readBody(std::size_t Length, std::string &Body) {
  Body.clear();
  Body.reserve(Length);
  return streamBody(Length, [&](std::string_view Chunk) {
    Body.append(Chunk);
    return true;
  });
}

bool MessageReader::streamBody(std::size_t Length,
                               const std::function<bool(std::string_view)> &Sink) {
  while (Length > 0) {
    if (Pos == Buf.size()) {
      Buf.clear();
      Pos = 0;
      if (!fill())
        return false;
    }
    std::size_t Take = std::min(Length, Buf.size() - Pos);
    if (!Sink(std::string_view(Buf.data() + Pos, Take)))
      return false;
    Pos += Take;
    Length -= Take;
  }
  compact();
  return true;
}

bool writeAll(int Fd, std::string_view Data) {
  while (!Data.empty()) {
    ssize_t N = ::write(Fd, Data.data(), Data.size());
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Data.remove_prefix(static_cast<std::size_t>(N));
  }
  return true;
}

MessageWriter::MessageWriter(int Fd) : Fd(Fd), Worker([this] { run(); }) {}

MessageWriter::~MessageWriter() {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    Stopping = true;
  }
  Changed.notify_all();
  Worker.join();
}

bool MessageWriter::write(std::string Body) {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    if (Failed)
      return false;
    Queue.push_back(std::move(Body));
  }
  Changed.notify_all();
  return true;
}

void MessageWriter::flush() {
  std::unique_lock<std::mutex> Lock(Mutex);
  Changed.wait(Lock, [this] { return Failed || (Queue.empty() && !Writing); });
}

void MessageWriter::run() {
  std::unique_lock<std::mutex> Lock(Mutex);
  for (;;) {
    Changed.wait(Lock, [this] { return Stopping || !Queue.empty(); });
    if (Queue.empty())
      return; // Stopping, and nothing left to write.
    std::string Body = std::move(Queue.front());
    Queue.pop_front();
    Writing = true;
    Lock.unlock();
    std::string Header = "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n";
    bool Ok = writeAll(Fd, Header) && writeAll(Fd, Body);
    Lock.lock();
    Writing = false;
    if (!Ok) {
      Failed = true;
      Queue.clear();
    }
    Changed.notify_all();
  }
}

} // namespace aorm::clangd
