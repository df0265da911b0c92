// A process SIGKILLed while it writes: on reopen the database passes SQLite's integrity check,
// every committed transaction is there whole, and no uncommitted one is there at all (WAL).
#include "fault_models.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <csignal>
#include <cstring>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

namespace faults {
namespace {

constexpr int kRowsPerBatch = 50;
constexpr int kBatchesBeforeHold = 3;

// Child side: commits batch after batch of kRowsPerBatch rows, reporting each commit on `out`;
// with `hold_open`, after kBatchesBeforeHold commits it starts one more batch and waits inside it
// to be killed.
[[noreturn]] void writer_child(const std::string &url, int out, bool hold_open) {
  try {
    aorm::setup(url); // a new generation: the child never uses the parent's connection
    for (std::int64_t batch = 1;; ++batch) {
      aorm::atomic([&] {
        for (int i = 0; i < kRowsPerBatch; ++i) {
          Entry e;
          e.batch = batch;
          e.text = "row " + std::to_string(i);
          Entry::objects.create(e);
          if (hold_open && batch > kBatchesBeforeHold && i == kRowsPerBatch / 2) {
            char c = 'w';
            (void)!write(out, &c, 1);
            pause();
          }
        }
      });
      char c = 'c';
      (void)!write(out, &c, 1);
    }
  } catch (const std::exception &e) {
    (void)!write(2, e.what(), std::strlen(e.what()));
  }
  _exit(3);
}

// Forks the writer, waits for `commits` commit reports (and, with hold_open, for the open
// transaction), then SIGKILLs it. Returns the number of commits reported before it died.
int kill_writer_after(const ScratchDb &db, int commits, bool hold_open) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  aorm::close(); // nothing of ours is open across the fork
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    writer_child(db.url(), fds[1], hold_open);
  }
  close(fds[1]);
  int seen = 0;
  char c = 0;
  while (read(fds[0], &c, 1) == 1) {
    if (c == 'c')
      ++seen;
    if (hold_open ? c == 'w' : seen >= commits)
      break;
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  // The writer kept committing until the signal landed: count the reports it sent meanwhile.
  while (read(fds[0], &c, 1) == 1)
    if (c == 'c')
      ++seen;
  close(fds[0]);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the writer exited by itself (status " << status << ") instead of being killed";
  return seen;
}

std::string integrity_check(const std::filesystem::path &file) {
  sqlite3 *raw = nullptr;
  if (sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string msg = sqlite3_errmsg(raw);
    sqlite3_close(raw);
    return "cannot open: " + msg;
  }
  std::string result;
  sqlite3_stmt *st = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW)
    result += reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(raw);
  return result;
}

std::map<std::int64_t, int> rows_per_batch() {
  std::map<std::int64_t, int> counts;
  for (const Entry &e : Entry::objects.all().list())
    ++counts[e.batch];
  return counts;
}

class CrashRecovery : public ::testing::Test {
protected:
  void SetUp() override {
    aorm::setup(db_.url());
    aorm::migrate<Counter, Entry>();
  }
  ScratchDb db_{"crash"};
};

TEST_F(CrashRecovery, KilledInsideOpenTransactionLeavesCommittedBatchesOnly) {
  int committed = kill_writer_after(db_, 0, /*hold_open=*/true);
  ASSERT_EQ(committed, kBatchesBeforeHold);

  aorm::setup(db_.url());
  EXPECT_EQ(integrity_check(db_.path()), "ok");
  auto counts = rows_per_batch();
  EXPECT_EQ(static_cast<int>(counts.size()), committed) << "an uncommitted batch survived";
  for (auto [batch, n] : counts)
    EXPECT_EQ(n, kRowsPerBatch) << "batch " << batch << " is partial";
}

TEST_F(CrashRecovery, KilledWhileCommittingInALoopLeavesWholeBatches) {
  int committed = kill_writer_after(db_, 20, /*hold_open=*/false);
  ASSERT_GE(committed, 20);

  aorm::setup(db_.url());
  EXPECT_EQ(integrity_check(db_.path()), "ok");
  auto counts = rows_per_batch();
  // Every reported commit is durable; the batch in flight at the kill is all there or absent.
  EXPECT_GE(static_cast<int>(counts.size()), committed);
  EXPECT_LE(static_cast<int>(counts.size()), committed + 1);
  for (auto [batch, n] : counts)
    EXPECT_EQ(n, kRowsPerBatch) << "batch " << batch << " is partial";
  // The reopened database takes writes again.
  Entry e;
  e.batch = -1;
  Entry::objects.create(e);
  EXPECT_EQ(Entry::objects.filter(aorm::Q("batch", -1)).count(), 1);
}

} // namespace
} // namespace faults
