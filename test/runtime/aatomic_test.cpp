// aorm::aatomic: one transaction that travels with the coroutine -- commit, rollback on exception,
// savepoints when nested, a-methods in nested coroutines and gathered tasks inside it, isolation
// from the loop's other coroutines, and concurrent blocks that queue without stalling the loop.
#include "orm_fixture.hpp"

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>

namespace ormtest {
namespace {

using aorm::F;
using aorm::Q;
using aorm::Task;
using namespace std::chrono_literals;

class AAtomic : public BothDatabases {};
INSTANTIATE_BOTH(AAtomic);

Task<std::int64_t> count_posts() { co_return co_await Post::objects.acount(); }

TEST_P(AAtomic, CommitsWhenTheBodyReturns) {
  auto body = [&]() -> Task<int> {
    co_return co_await aorm::aatomic([&]() -> Task<int> {
      co_await Post::objects.acreate(make_post("in tx", 1, 1, false, 1, ann));
      aorm::Assignments plus_five{{"views", F("views") + 5}}; // g++-12: no braced list in co_await
      co_await Post::objects.filter(Q("title", "Alpha")).aupdate(plus_five);
      co_return 42;
    });
  };
  EXPECT_EQ(aorm::run(body()), 42);
  EXPECT_EQ(Post::objects.count(), 6);
  EXPECT_EQ(Post::objects.get(Q("title", "Alpha")).views, 15);
}

TEST_P(AAtomic, AnExceptionRollsBackEverythingAndIsRethrown) {
  auto rollbacks = aorm::db_stats().rollbacks;
  auto body = [&]() -> Task<void> {
    co_await aorm::aatomic([&]() -> Task<void> {
      co_await Post::objects.acreate(make_post("lost", 1, 1, false, 1, ann));
      aorm::Assignments zero{{"views", 0}};
      co_await Post::objects.filter(Q("title", "Alpha")).aupdate(zero);
      co_await Author::objects.filter(Q("name", "Bob")).adelete();
      EXPECT_EQ(co_await count_posts(), 4); // the block sees its own writes (Bob's 2 went, 1 came)
      throw std::runtime_error("boom");
    });
  };
  EXPECT_THROW(aorm::run(body()), std::runtime_error);
  EXPECT_EQ(Post::objects.count(), 5);
  EXPECT_EQ(Post::objects.get(Q("title", "Alpha")).views, 10);
  EXPECT_EQ(Author::objects.count(), 2);
  EXPECT_EQ(aorm::db_stats().rollbacks, rollbacks + 1);
}

TEST_P(AAtomic, ANestedBlockIsASavepoint) {
  auto body = [&]() -> Task<std::string> {
    std::string caught;
    co_await aorm::aatomic([&]() -> Task<void> {
      co_await Post::objects.acreate(make_post("outer", 1, 1, false, 1, ann));
      try {
        co_await aorm::aatomic([&]() -> Task<void> {
          co_await Post::objects.acreate(make_post("inner", 1, 1, false, 1, ann));
          throw aorm::Error("inner fails");
        });
      } catch (const aorm::Error &e) {
        caught = e.what();
      }
      // A nested block that succeeds is kept with the outer one.
      co_await aorm::aatomic([&]() -> Task<void> {
        co_await Post::objects.acreate(make_post("kept", 1, 1, false, 1, ann));
      });
    });
    co_return caught;
  };
  EXPECT_EQ(aorm::run(body()), "inner fails");
  EXPECT_TRUE(Post::objects.filter(Q("title", "outer")).exists());
  EXPECT_TRUE(Post::objects.filter(Q("title", "kept")).exists());
  EXPECT_FALSE(Post::objects.filter(Q("title", "inner")).exists());
}

// The transaction travels with the coroutine: a helper coroutine it awaits and tasks it gathers
// run their a-methods inside it, so the rollback takes their writes too.
Task<void> create_in_helper(std::string title, Author a) {
  co_await Post::objects.acreate(make_post(title, 1, 1, false, 1, a));
}
Task<void> deeper(std::string title, Author a) { co_await create_in_helper(title, a); }

TEST_P(AAtomic, NestedCoroutinesAndGatheredTasksAreInsideTheTransaction) {
  auto block = [&](bool fail) -> Task<void> {
    co_await aorm::aatomic([&]() -> Task<void> {
      co_await deeper("nested", ann);
      co_await aorm::gather(create_in_helper("gathered 1", ann), create_in_helper("gathered 2", bob));
      std::vector<Task<void>> more;
      more.push_back(deeper("gathered 3", ann));
      co_await aorm::gather(std::move(more));
      if (fail)
        throw std::runtime_error("undo all four");
    });
  };
  EXPECT_THROW(aorm::run(block(true)), std::runtime_error);
  EXPECT_EQ(Post::objects.count(), 5);
  aorm::run(block(false)); // the near miss: the same block, committed
  EXPECT_EQ(Post::objects.count(), 9);
}

// a-methods inside the block hop to the transaction's own thread, never to the shared pool; the
// same ones outside it use the pool.
TEST_P(AAtomic, TheBlocksWorkRunsOnOnePinnedThreadNotThePool) {
  std::set<std::thread::id> threads;
  std::uint64_t pool_inside = 0, pool_outside = 0;
  auto body = [&]() -> Task<void> {
    auto before = aorm::detail::pool_jobs();
    co_await aorm::aatomic([&]() -> Task<void> {
      for (int i = 0; i < 5; ++i) {
        auto where = [] { return std::this_thread::get_id(); };
        threads.insert(co_await aorm::sync_to_async(where));
        co_await Post::objects.filter(Q("id", 1)).aexists();
      }
    });
    pool_inside = aorm::detail::pool_jobs() - before;
    before = aorm::detail::pool_jobs();
    co_await Post::objects.filter(Q("id", 1)).aexists();
    pool_outside = aorm::detail::pool_jobs() - before;
  };
  aorm::run(body());
  EXPECT_EQ(threads.size(), 1u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
  EXPECT_EQ(pool_inside, 0u);
  EXPECT_EQ(pool_outside, postgres() ? 0u : 1u); // PostgreSQL's a-methods do not hop at all
}

// Other coroutines keep running on the loop while the block is open and do not see its rows
// until it commits. On a SQLite file (WAL) or PostgreSQL, not sqlite::memory:: that is one
// shared-cache database without WAL, where a reader waits on the writer's table lock instead of
// reading the last commit.
class AAtomicIsolation : public OrmTest {};
TEST_F(AAtomicIsolation, OtherCoroutinesRunMeanwhileAndSeeNothingBeforeCommit) {
  enum Stage { Start, Written, Checked, Committed };
  Stage stage = Start;
  bool seen_before = true, seen_after = false, seen_inside = false;
  int ticks_while_open = 0;
  auto writer = [&]() -> Task<void> {
    co_await aorm::aatomic([&]() -> Task<void> {
      co_await Post::objects.acreate(make_post("uncommitted", 1, 1, false, 1, ann));
      seen_inside = co_await Post::objects.filter(Q("title", "uncommitted")).aexists();
      stage = Written;
      while (stage != Checked)
        co_await aorm::sleep_for(1ms);
    });
    stage = Committed;
  };
  auto reader = [&]() -> Task<void> {
    while (stage != Written) {
      ++ticks_while_open;
      co_await aorm::sleep_for(1ms);
    }
    seen_before = co_await Post::objects.filter(Q("title", "uncommitted")).aexists();
    stage = Checked;
    while (stage != Committed)
      co_await aorm::sleep_for(1ms);
    seen_after = co_await Post::objects.filter(Q("title", "uncommitted")).aexists();
  };
  auto both = [&]() -> Task<void> { co_await aorm::gather(writer(), reader()); };
  aorm::run(both());
  EXPECT_TRUE(seen_inside);
  EXPECT_FALSE(seen_before);
  EXPECT_TRUE(seen_after);
  EXPECT_GT(ticks_while_open, 0);
}

// 8 coroutines each add 1 fifty times, each add in its own block: SQLite queues the blocks on its
// write lock; nothing is lost, and the loop keeps ticking while they wait.
TEST_P(AAtomic, ConcurrentBlocksQueueForTheWriteLockAndLoseNothing) {
  constexpr int kCoroutines = 8, kEach = 50;
  int ticks = 0;
  int finished = 0;
  auto adder = [&]() -> Task<void> {
    for (int i = 0; i < kEach; ++i)
      co_await aorm::aatomic([&]() -> Task<void> {
        aorm::Assignments plus_one{{"views", F("views") + 1}};
        co_await Post::objects.filter(Q("title", "Alpha")).aupdate(plus_one);
      });
    ++finished;
  };
  auto heartbeat = [&]() -> Task<void> {
    while (finished < kCoroutines) {
      ++ticks;
      co_await aorm::sleep_for(1ms);
    }
  };
  auto all = [&]() -> Task<void> {
    std::vector<Task<void>> tasks;
    for (int c = 0; c < kCoroutines; ++c)
      tasks.push_back(adder());
    tasks.push_back(heartbeat());
    co_await aorm::gather(std::move(tasks));
  };
  aorm::run(all());
  EXPECT_EQ(Post::objects.get(Q("title", "Alpha")).views, 10 + kCoroutines * kEach);
  EXPECT_GT(ticks, 1);
}

// On SQLite a read-modify-write inside one block cannot interleave with another block's: the
// second one's BEGIN IMMEDIATE waits for the first commit. (PostgreSQL's READ COMMITTED lets two
// blocks read the same row; there the read takes select_for_update.)
class SqliteAAtomic : public OrmTest {
protected:
  bool sqlite_only() const override { return true; }
};
TEST_F(SqliteAAtomic, ReadThenWriteInsideBlocksDoesNotLoseUpdates) {
  constexpr int kCoroutines = 4, kEach = 10;
  auto adder = [&]() -> Task<void> {
    for (int i = 0; i < kEach; ++i)
      co_await aorm::aatomic([&]() -> Task<void> {
        Post p = co_await Post::objects.aget(Q("title", "Gamma"));
        co_await aorm::sleep_for(0ms); // let the others run between the read and the write
        aorm::Assignments next{{"views", p.views + 1}};
        co_await Post::objects.filter(Q("id", p.id)).aupdate(next);
      });
  };
  auto all = [&]() -> Task<void> {
    std::vector<Task<void>> tasks;
    for (int c = 0; c < kCoroutines; ++c)
      tasks.push_back(adder());
    co_await aorm::gather(std::move(tasks));
  };
  aorm::run(all());
  EXPECT_EQ(Post::objects.get(Q("title", "Gamma")).views, 30 + kCoroutines * kEach);
}

TEST_P(AAtomic, ValueReturningBodiesAndMoveOnlyResults) {
  auto body = [&]() -> Task<std::unique_ptr<std::int64_t>> {
    co_return co_await aorm::aatomic([&]() -> Task<std::unique_ptr<std::int64_t>> {
      co_return std::make_unique<std::int64_t>(co_await Post::objects.acount());
    });
  };
  EXPECT_EQ(*aorm::run(body()), 5);
}

// Gathered tasks that each open a nested block at the same time would interleave savepoints on
// one connection: a clear error, and the whole transaction rolls back.
TEST_P(AAtomic, OverlappingNestedBlocksInGatheredTasksAreAnError) {
  auto nested = [&](std::string title) -> Task<void> {
    // Named first: g++-12 destroys a by-copy capturing lambda inside co_await twice.
    auto block = [&, title]() -> Task<void> {
      co_await Post::objects.acreate(make_post(title, 1, 1, false, 1, ann));
      co_await aorm::sleep_for(2ms);
    };
    co_await aorm::aatomic(block);
  };
  auto body = [&]() -> Task<void> {
    co_await aorm::aatomic([&]() -> Task<void> {
      co_await aorm::gather(nested("one"), nested("two"));
    });
  };
  try {
    aorm::run(body());
    FAIL() << "no error";
  } catch (const aorm::Error &e) {
    EXPECT_NE(std::string(e.what()).find("nested blocks of one transaction overlap"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(Post::objects.count(), 5);
  // The near miss: the same nested blocks one after another are fine.
  auto sequential = [&]() -> Task<void> {
    co_await aorm::aatomic([&]() -> Task<void> {
      co_await nested("one");
      co_await nested("two");
    });
  };
  aorm::run(sequential());
  EXPECT_EQ(Post::objects.count(), 7);
}

// A block whose task is destroyed mid-body rolls back and lets go of the write lock.
TEST_P(AAtomic, ADestroyedBlockRollsBackAndReleasesTheLock) {
  bool inside = false;
  auto body = [&]() -> Task<void> {
    co_await aorm::aatomic([&]() -> Task<void> {
      co_await Post::objects.acreate(make_post("abandoned", 1, 1, false, 1, ann));
      inside = true;
      co_await aorm::sleep_for(std::chrono::hours(1));
    });
  };
  {
    aorm::EventLoop loop;
    auto task = std::make_unique<Task<void>>(body());
    loop.schedule(task->handle());
    loop.run_until([&] { return inside; });
    task.reset();
  }
  // Would wait out the busy timeout and fail if the abandoned transaction kept the lock.
  Post::objects.create(make_post("after", 1, 1, false, 1, ann));
  EXPECT_EQ(Post::objects.count(), 6);
  EXPECT_FALSE(Post::objects.filter(Q("title", "abandoned")).exists());
}

TEST_P(AAtomic, InsideANestedRunWithinAtomicIsRefusedAtOnce) {
  auto started = std::chrono::steady_clock::now();
  std::string error;
  aorm::atomic([&] {
    auto body = [&]() -> Task<void> {
      co_await aorm::aatomic([&]() -> Task<void> { co_await Post::objects.acount(); });
    };
    try {
      aorm::run(body());
    } catch (const aorm::DatabaseError &e) {
      error = e.what();
    }
  });
  EXPECT_NE(error.find("aatomic was awaited in an aorm::run started inside aorm::atomic()"),
            std::string::npos)
      << error;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s); // no busy-timeout wait
}

TEST_P(AAtomic, SyncCallsInsideTheBodyAreStillGuarded) {
  auto body = [&]() -> Task<bool> {
    bool refused = false;
    co_await aorm::aatomic([&]() -> Task<void> {
      try {
        (void)Post::objects.count();
      } catch (const aorm::SynchronousOnlyOperation &) {
        refused = true;
      }
      co_return;
    });
    co_return refused;
  };
  EXPECT_TRUE(aorm::run(body()));
}

// sync_to_async inside the block runs on the transaction's thread: sync ORM calls there are part
// of the transaction (and a sync atomic() there is a savepoint of it).
TEST_P(AAtomic, SyncToAsyncInsideTheBlockJoinsTheTransaction) {
  auto body = [&]() -> Task<void> {
    co_await aorm::aatomic([&]() -> Task<void> {
      auto sync_work = [&] {
        Post::objects.create(make_post("via sync", 1, 1, false, 1, ann));
        aorm::atomic([&] { Post::objects.create(make_post("via sync atomic", 1, 1, false, 1, ann)); });
      };
      co_await aorm::sync_to_async(sync_work);
      throw std::runtime_error("roll back the sync writes too");
    });
  };
  EXPECT_THROW(aorm::run(body()), std::runtime_error);
  EXPECT_EQ(Post::objects.count(), 5);
}

} // namespace
} // namespace ormtest
