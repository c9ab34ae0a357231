#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_db.hpp"
#include "store/store.hpp"

using namespace terrarium;
using namespace terrarium::store;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("terrarium-store-" + std::to_string(::getpid()) + "-" + info->name() + "-" +
             std::to_string(counter++));
    fs::remove_all(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::string db() const { return (path_ / "terrarium.db").string(); }

 private:
  fs::path path_;
};

Value doc(int64_t n) { return Object{{"n", n}}; }

int64_t n_of(const std::optional<Value>& v) { return v->as_object().at("n").as_int64(); }

void put_committed(Store& s, std::string_view ns, std::string_view key, const Value& v) {
  auto t = s.begin();
  t->put(ns, key, v);
  t->commit();
}

std::vector<std::string> keys_of(const std::vector<std::pair<std::string, Value>>& rows) {
  std::vector<std::string> out;
  for (const auto& [k, v] : rows) out.push_back(k);
  return out;
}

// Both kinds of store: the same behaviour is promised in memory and on disk.
class StoreKinds : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override { store_ = open_store(GetParam() ? dir_.str() : std::string()); }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

INSTANTIATE_TEST_SUITE_P(Store, StoreKinds, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "File" : "Memory"; });

}  // namespace

TEST_P(StoreKinds, PutGetEraseOverwrite) {
  auto t = store_->begin();
  EXPECT_FALSE(t->read_only());
  EXPECT_FALSE(t->get("ns", "a").has_value());
  t->put("ns", "a", doc(1));
  EXPECT_EQ(n_of(t->get("ns", "a")), 1);
  t->put("ns", "a", doc(2));
  EXPECT_EQ(n_of(t->get("ns", "a")), 2);
  EXPECT_FALSE(t->get("other", "a").has_value());
  EXPECT_TRUE(t->erase("ns", "a"));
  EXPECT_FALSE(t->erase("ns", "a"));
  EXPECT_FALSE(t->get("ns", "a").has_value());
  t->put("ns", "b", doc(3));
  t->commit();

  auto r = store_->begin_read();
  EXPECT_TRUE(r->read_only());
  EXPECT_FALSE(r->get("ns", "a").has_value());
  EXPECT_EQ(n_of(r->get("ns", "b")), 3);
}

TEST_P(StoreKinds, PeekSharesWhatASnapshotReadAndSeesWhatAWriterWrote) {
  auto t = store_->begin();
  EXPECT_EQ(t->peek("ns", "a"), nullptr);
  t->put("ns", "a", doc(1));
  ASSERT_NE(t->peek("ns", "a"), nullptr);
  EXPECT_EQ(t->peek("ns", "a")->at("n").to_number<int>(), 1);
  t->put("ns", "a", doc(2));
  EXPECT_EQ(t->peek("ns", "a")->at("n").to_number<int>(), 2);
  t->commit();

  auto r = store_->begin_read();
  const auto first = r->peek("ns", "a");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->at("n").to_number<int>(), 2);
  EXPECT_EQ(r->peek("ns", "a"), first);  // decoded once per snapshot
  EXPECT_EQ(n_of(r->get("ns", "a")), 2);  // copied: `first` still holds it
  EXPECT_EQ(first->at("n").to_number<int>(), 2);
  EXPECT_EQ(r->peek("ns", "missing"), nullptr);
  EXPECT_EQ(r->get("ns", "missing"), std::nullopt);

  r.reset();  // an in-memory store serves one transaction at a time

  // Once no one holds a peeked document, get() takes it over; later reads
  // of the snapshot still find it.
  auto r2 = store_->begin_read();
  EXPECT_EQ(r2->peek("ns", "a")->at("n").to_number<int>(), 2);
  EXPECT_EQ(n_of(r2->get("ns", "a")), 2);
  EXPECT_EQ(n_of(r2->get("ns", "a")), 2);
  ASSERT_NE(r2->peek("ns", "a"), nullptr);
  EXPECT_EQ(r2->peek("ns", "a")->at("n").to_number<int>(), 2);
}

TEST_P(StoreKinds, PeeksAreSharedAcrossReadersUntilACommit) {
  {
    auto t = store_->begin();
    t->put("ns", "a", doc(1));
    t->commit();
  }
  std::shared_ptr<const Value> first;
  {
    auto r = store_->begin_read();
    first = r->peek("ns", "a");
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(r->peek("ns", "missing"), nullptr);
  }
  {
    auto r = store_->begin_read();
    EXPECT_EQ(r->peek("ns", "a"), first);  // the same document, not decoded again
    EXPECT_EQ(r->peek("ns", "missing"), nullptr);
    Value own = *r->get("ns", "a");  // get() still hands out a copy of its own
    own.as_object()["n"] = 9;
    EXPECT_EQ(first->at("n").to_number<int>(), 1);
  }
  {
    auto t = store_->begin();
    t->put("ns", "a", doc(5));
  }  // rolled back: nothing changed, so nothing to forget
  {
    auto r = store_->begin_read();
    EXPECT_EQ(r->peek("ns", "a"), first);
  }
  {
    auto t = store_->begin();
    t->put("ns", "a", doc(2));
    t->put("ns", "missing", doc(3));
    t->commit();
  }
  auto r = store_->begin_read();
  const auto now = r->peek("ns", "a");
  ASSERT_NE(now, nullptr);
  EXPECT_NE(now, first);
  EXPECT_EQ(now->at("n").to_number<int>(), 2);
  EXPECT_EQ(first->at("n").to_number<int>(), 1);  // what was shared is never changed
  ASSERT_NE(r->peek("ns", "missing"), nullptr);
}

TEST(Store, AReaderOlderThanACommitKeepsItsSnapshotWhenPeeksAreShared) {
  // On disk, readers have connections of their own and writers do not wait
  // for them: a reader whose snapshot predates a commit must not be handed
  // what a newer reader decoded.
  TempDir dir;
  auto s = open_store(dir.str());
  auto write = [&](int n) {
    auto t = s->begin();
    t->put("ns", "a", doc(n));
    t->commit();
  };
  write(1);
  auto old_reader = s->begin_read();
  EXPECT_EQ(old_reader->get("ns", "other"), std::nullopt);  // its snapshot is taken here
  write(2);
  {
    auto fresh = s->begin_read();
    EXPECT_EQ(fresh->peek("ns", "a")->at("n").to_number<int>(), 2);
  }
  EXPECT_EQ(old_reader->peek("ns", "a")->at("n").to_number<int>(), 1);
}

TEST_P(StoreKinds, ListPaginatesInKeyOrder) {
  auto t = store_->begin();
  for (const char* k : {"e", "b", "a", "d", "c", "f", "g"}) t->put("ns", k, doc(k[0]));
  t->put("ns2", "a", doc(0));  // a namespace that extends "ns" must not leak in
  t->put("n", "z", doc(0));
  t->commit();

  auto r = store_->begin_read();
  EXPECT_EQ(keys_of(r->list("ns")), (std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g"}));
  std::vector<std::string> paged;
  std::string after;
  int pages = 0;
  for (;;) {
    auto page = r->list("ns", after, 3);
    if (page.empty()) break;
    ++pages;
    EXPECT_LE(page.size(), 3u);
    for (auto& [k, v] : page) {
      EXPECT_EQ(n_of(v), k[0]);
      paged.push_back(k);
    }
    after = page.back().first;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(paged, (std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g"}));
  EXPECT_EQ(keys_of(r->list("ns", "cc", 2)), (std::vector<std::string>{"d", "e"}));
  EXPECT_TRUE(r->list("ns", "g").empty());
  EXPECT_TRUE(r->list("none").empty());
}

TEST_P(StoreKinds, EmptyKeyIsAKeyAndListedFirst) {
  auto t = store_->begin();
  t->put("ns", "", doc(0));
  t->put("ns", "a", doc(1));
  EXPECT_EQ(n_of(t->get("ns", "")), 0);
  EXPECT_EQ(keys_of(t->list("ns")), (std::vector<std::string>{"", "a"}));
  EXPECT_EQ(keys_of(t->list("ns", "", 1)), (std::vector<std::string>{""}));
}

TEST_P(StoreKinds, ErasePrefixRemovesOnlyMatchingNamespaces) {
  const std::string ff_ns = std::string("x/") + '\xff';
  const std::string ff_ns2 = std::string("x/") + '\xff' + '\xff' + "/y";
  {
    auto t = store_->begin();
    for (const char* ns : {"s3/1/buckets", "s3/1/objects", "s3/1", "s3/2/buckets", "s30/x",
                           "s3/", "sts/1/c", "x/a"})
      t->put(ns, "k", doc(1));
    t->put(ff_ns, "k", doc(1));
    t->put(ff_ns2, "k", doc(1));
    t->put("y", "k", doc(1));
    t->commit();
  }
  auto exists = [&](Transaction& t, std::string_view ns) { return t.get(ns, "k").has_value(); };
  {
    auto t = store_->begin();
    t->erase_prefix("s3/1/");
    EXPECT_FALSE(exists(*t, "s3/1/buckets"));
    EXPECT_FALSE(exists(*t, "s3/1/objects"));
    EXPECT_TRUE(exists(*t, "s3/1"));
    EXPECT_TRUE(exists(*t, "s3/2/buckets"));
    EXPECT_TRUE(exists(*t, "s30/x"));
    EXPECT_TRUE(exists(*t, "s3/"));
    // A prefix ending in 0xFF bytes has no simple upper bound.
    t->erase_prefix(std::string("x/") + '\xff');
    EXPECT_FALSE(exists(*t, ff_ns));
    EXPECT_FALSE(exists(*t, ff_ns2));
    EXPECT_TRUE(exists(*t, "x/a"));
    EXPECT_TRUE(exists(*t, "y"));
    t->commit();
  }
  {
    auto t = store_->begin();
    t->erase_prefix("");
    for (const char* ns : {"s3/1", "s3/2/buckets", "s30/x", "s3/", "sts/1/c", "x/a", "y"})
      EXPECT_FALSE(exists(*t, ns)) << ns;
    t->commit();
  }
}

TEST_P(StoreKinds, DestructionRollsBack) {
  put_committed(*store_, "ns", "keep", doc(1));
  {
    auto t = store_->begin();
    t->put("ns", "new", doc(2));
    t->put("ns", "keep", doc(3));
    t->erase_prefix("");
    EXPECT_FALSE(t->get("ns", "keep").has_value());
  }
  auto t = store_->begin();
  EXPECT_FALSE(t->get("ns", "new").has_value());
  EXPECT_EQ(n_of(t->get("ns", "keep")), 1);
}

TEST_P(StoreKinds, UseAfterCommitAndWritesInReadTransactionsThrow) {
  auto t = store_->begin();
  t->commit();
  EXPECT_THROW(t->get("ns", "a"), std::logic_error);
  EXPECT_THROW(t->commit(), std::logic_error);
  t.reset();

  auto r = store_->begin_read();
  EXPECT_THROW(r->put("ns", "a", doc(1)), std::logic_error);
  EXPECT_THROW(r->erase("ns", "a"), std::logic_error);
  EXPECT_THROW(r->erase_prefix(""), std::logic_error);
  r->commit();
}

TEST_P(StoreKinds, ArbitraryBytesRoundTrip) {
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  // Invalid UTF-8: lone continuation, truncated sequence, overlong, surrogate.
  const std::string invalid = std::string("\x80\xc3\xe2\x82\xc0\xaf\xed\xa0\x80\xff\xfe", 11);
  const std::string with_nul("a\0b", 3);

  Object o;
  o["blob"] = all_bytes;
  o["invalid"] = invalid;
  o["nul"] = with_nul;
  o["list"] = Array{Value(invalid), Value(all_bytes)};
  o["nested"] = Object{{"deeper", Object{{"b", invalid}}}};
  o["int_min"] = std::numeric_limits<int64_t>::min();
  o["int_max"] = std::numeric_limits<int64_t>::max();
  o["uint_max"] = std::numeric_limits<uint64_t>::max();
  o["double"] = 1712345678.123456;
  o["whole_double"] = 2.0;
  o["tiny"] = 5e-324;
  o["bool"] = true;
  o["null"] = nullptr;
  o["unicode"] = "h\xc3\xa9llo \xf0\x9f\x8c\xb1";
  const Value original = o;

  Value deep = "leaf";
  for (int i = 0; i < 200; ++i) deep = Array{deep};  // deeper than Boost.JSON's default 32

  const std::string ns = "ns/" + invalid;
  const std::string key = all_bytes;  // NUL and 0xFF inside a key, too
  {
    auto t = store_->begin();
    t->put(ns, key, original);
    t->put(ns, with_nul, deep);
    t->commit();
  }
  if (GetParam()) {  // read back from the file, not from a cache
    store_.reset();
    store_ = open_store(dir_.str());
  }
  auto r = store_->begin_read();
  auto got = r->get(ns, key);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, original);
  EXPECT_EQ(got->at("blob").as_string().size(), 256u);
  EXPECT_TRUE(got->at("double").is_double());
  EXPECT_TRUE(got->at("whole_double").is_double());
  EXPECT_TRUE(got->at("uint_max").is_uint64());
  EXPECT_EQ(r->get(ns, with_nul), deep);
  EXPECT_FALSE(r->get(ns, "a").has_value());  // "a\0b" is not "a"
  auto rows = r->list(ns);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].first, key);  // bytewise order: "\0\x01..." < "a\0b"
  EXPECT_EQ(rows[1].first, with_nul);
}

TEST(Store, ArbitraryBytesRoundTripInMemory) {
  auto s = open_store("");
  std::string bytes;
  for (int i = 255; i >= 0; --i) bytes.push_back(static_cast<char>(i));
  put_committed(*s, "ns", bytes, Value(bytes));
  auto t = s->begin();
  EXPECT_EQ(t->get("ns", bytes), Value(bytes));
}

TEST(Store, ReopenFindsCommittedNotUncommitted) {
  TempDir dir;
  {
    auto s = open_store(dir.str());
    EXPECT_EQ(s->location(), dir.db());
    put_committed(*s, "ns", "committed", doc(1));
    auto t = s->begin();
    t->put("ns", "uncommitted", doc(2));
    t->erase("ns", "committed");
  }
  EXPECT_TRUE(fs::exists(dir.db()));
  auto s = open_store(dir.str());
  auto t = s->begin_read();
  EXPECT_EQ(n_of(t->get("ns", "committed")), 1);
  EXPECT_FALSE(t->get("ns", "uncommitted").has_value());
}

// The process dies with SIGKILL right after commit() returns, with another
// transaction open: no destructor, no close, no checkpoint.
TEST(Store, CommittedSurvivesKill9) {
  TempDir dir;
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto s = open_store(dir.str());
    for (int i = 0; i < 50; ++i) put_committed(*s, "ns", "k" + std::to_string(i), doc(i));
    auto t = s->begin();
    t->put("ns", "uncommitted", doc(-1));
    ::raise(SIGKILL);
    ::_exit(1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  auto s = open_store(dir.str());
  auto t = s->begin_read();
  auto rows = t->list("ns");
  EXPECT_EQ(rows.size(), 50u);
  EXPECT_FALSE(t->get("ns", "uncommitted").has_value());
  EXPECT_EQ(n_of(t->get("ns", "k49")), 49);
}

TEST(Store, CreatesNestedDataDirectory) {
  TempDir dir;
  auto s = open_store((dir.path() / "a" / "b" / "c").string() + "/");
  put_committed(*s, "ns", "k", doc(1));
  EXPECT_TRUE(fs::exists(dir.path() / "a" / "b" / "c" / "terrarium.db"));
}

TEST(Store, UnusableDataDirectoryThrows) {
  TempDir dir;
  fs::create_directories(dir.path());
  const auto file = dir.path() / "file";
  std::FILE* f = std::fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  EXPECT_THROW(open_store(file.string()), std::exception);
}

TEST(Store, SchemaVersionRecorded) {
  TempDir dir;
  {
    auto s = open_store(dir.str());
    EXPECT_EQ(s->schema_version(), kSchemaVersion);
  }
  sqlite::Connection c(dir.db(), {.create = false});
  EXPECT_EQ(sqlite::read_schema_version(c), kSchemaVersion);
  EXPECT_EQ(open_store("")->schema_version(), kSchemaVersion);
}

TEST(Store, NewerSchemaVersionRefused) {
  TempDir dir;
  open_store(dir.str());
  {
    sqlite::Connection c(dir.db(), {.create = false});
    c.exec("UPDATE meta SET value = 99 WHERE key = 'schema_version'");
  }
  try {
    open_store(dir.str());
    FAIL() << "opened a database from the future";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("schema version 99"), std::string::npos) << what;
    EXPECT_NE(what.find("newer"), std::string::npos) << what;
  }
  // Refusing must not have changed the file.
  sqlite::Connection c(dir.db(), {.create = false});
  EXPECT_EQ(sqlite::read_schema_version(c), 99);
}

TEST(Store, ForeignSqliteDatabaseRefused) {
  TempDir dir;
  fs::create_directories(dir.path());
  {
    sqlite::Connection c(dir.db(), {});
    c.exec("CREATE TABLE something_else (x)");
  }
  EXPECT_THROW(open_store(dir.str()), std::runtime_error);
}

TEST(Store, MigrationsRunInOrderOnceEach) {
  TempDir dir;
  fs::create_directories(dir.path());
  std::vector<int> ran;
  auto step = [&](int v) {
    return sqlite::Migration{v, [&ran, v](sqlite::Connection& c) {
                               ran.push_back(v);
                               c.exec(("CREATE TABLE t" + std::to_string(v) + " (x)").c_str());
                             }};
  };
  const std::string path = dir.db();
  {
    sqlite::Connection c(path, {});
    EXPECT_EQ(sqlite::read_schema_version(c), 0);
    std::vector<sqlite::Migration> v2 = {step(1), step(2)};
    EXPECT_EQ(sqlite::migrate(c, v2), 2);
    EXPECT_EQ(ran, (std::vector<int>{1, 2}));
  }
  {
    sqlite::Connection c(path, {});
    std::vector<sqlite::Migration> v4 = {step(1), step(2), step(3), step(4)};
    EXPECT_EQ(sqlite::migrate(c, v4), 4);
    EXPECT_EQ(ran, (std::vector<int>{1, 2, 3, 4}));
    EXPECT_EQ(sqlite::read_schema_version(c), 4);
    EXPECT_EQ(sqlite::migrate(c, v4), 4);  // nothing left to do
    EXPECT_EQ(ran.size(), 4u);
  }
  {
    // A failing step leaves the database as it was: all steps or none.
    sqlite::Connection c(path, {});
    std::vector<sqlite::Migration> v6 = {step(1), step(2), step(3), step(4), step(5),
                                         {6, [](sqlite::Connection& c) { c.exec("BOGUS"); }}};
    EXPECT_THROW(sqlite::migrate(c, v6), std::runtime_error);
    EXPECT_EQ(sqlite::read_schema_version(c), 4);
    EXPECT_THROW(c.exec("SELECT * FROM t5"), std::runtime_error);  // step 5 rolled back
    std::vector<sqlite::Migration> v2 = {step(1), step(2)};
    EXPECT_THROW(sqlite::migrate(c, v2), std::runtime_error);  // newer than 2
  }
}

TEST(Store, ReadTransactionSeesASnapshotAndDoesNotBlockWriters) {
  TempDir dir;
  auto s = open_store(dir.str());
  put_committed(*s, "ns", "x", doc(1));
  auto r = s->begin_read();
  EXPECT_EQ(n_of(r->get("ns", "x")), 1);  // the snapshot starts at the first read
  put_committed(*s, "ns", "x", doc(2));   // same thread: the reader holds no lock
  put_committed(*s, "ns", "y", doc(3));
  EXPECT_EQ(n_of(r->get("ns", "x")), 1);
  EXPECT_FALSE(r->get("ns", "y").has_value());
  r->commit();
  auto r2 = s->begin_read();
  EXPECT_EQ(n_of(r2->get("ns", "x")), 2);
}

TEST(Store, TransactionMayEndOnAnotherThread) {
  auto s = open_store("");
  auto t = s->begin();
  t->put("ns", "k", doc(1));
  std::thread([&] { t->commit(); }).join();
  t.reset();
  auto t2 = s->begin();  // the lock was released by the other thread
  EXPECT_EQ(n_of(t2->get("ns", "k")), 1);
}

TEST_P(StoreKinds, ConcurrentWritersAllLandAndReadersSeeConsistentState) {
  constexpr int kThreads = 6;
  constexpr int kPerThread = 40;
  {
    auto t = store_->begin();
    t->put("acct", "a", doc(100));
    t->put("acct", "b", doc(0));
    t->put("counter", "c", doc(0));
    t->commit();
  }
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::atomic<int> inconsistent{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerThread; ++i) {
        auto t = store_->begin();
        // Read-modify-write: lost updates would show in the counter.
        const int64_t c = n_of(t->get("counter", "c"));
        t->put("counter", "c", doc(c + 1));
        // Money moves between two documents; their sum must stay 100.
        const int64_t a = n_of(t->get("acct", "a"));
        const int64_t b = n_of(t->get("acct", "b"));
        const int64_t amount = (w + i) % 2 ? 1 : -1;
        t->put("acct", "a", doc(a - amount));
        std::this_thread::yield();
        t->put("acct", "b", doc(b + amount));
        t->put("w" + std::to_string(w), "k" + std::to_string(i), doc(i));
        if (i % 10 == 9) continue;  // rolled back: must leave no trace
        t->commit();
      }
    });
  }
  for (int rd = 0; rd < 2; ++rd) {
    threads.emplace_back([&] {
      while (!stop) {
        auto r = store_->begin_read();
        const int64_t a = n_of(r->get("acct", "a"));
        std::this_thread::yield();
        const int64_t b = n_of(r->get("acct", "b"));
        if (a + b != 100) ++inconsistent;
        ++reads;
        r->commit();
      }
    });
  }
  for (int w = 0; w < kThreads; ++w) threads[w].join();
  stop = true;
  for (size_t i = kThreads; i < threads.size(); ++i) threads[i].join();

  constexpr int kCommitted = kThreads * (kPerThread - kPerThread / 10);
  auto r = store_->begin_read();
  EXPECT_EQ(n_of(r->get("counter", "c")), kCommitted);
  EXPECT_EQ(n_of(r->get("acct", "a")) + n_of(r->get("acct", "b")), 100);
  for (int w = 0; w < kThreads; ++w)
    EXPECT_EQ(r->list("w" + std::to_string(w)).size(), static_cast<size_t>(kCommitted / kThreads));
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_GT(reads.load(), 0);
}

// Not a pass/fail check: prints what a durable commit costs here.
TEST(Store, CommitLatencyReport) {
  TempDir dir;
  for (const bool on_disk : {true, false}) {
    auto s = open_store(on_disk ? dir.str() : std::string());
    Object payload;
    payload["VpcId"] = "vpc-0123456789abcdef0";
    payload["CidrBlock"] = "10.0.0.0/16";
    payload["Tags"] = Array{Object{{"Key", "Name"}, {"Value", "main"}}};
    constexpr int kN = 200;
    std::vector<double> us;
    for (int i = 0; i < kN; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      auto t = s->begin();
      t->put("ec2/000000000000/us-east-1/vpc", "vpc-" + std::to_string(i), payload);
      t->commit();
      us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                       .count());
    }
    std::vector<double> read_us;
    for (int i = 0; i < kN; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      auto t = s->begin_read();
      (void)t->get("ec2/000000000000/us-east-1/vpc", "vpc-" + std::to_string(i));
      t->commit();
      read_us.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
              .count());
    }
    auto report = [&](const char* what, std::vector<double> v) {
      std::sort(v.begin(), v.end());
      std::printf("[ latency  ] %s %s: p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us\n",
                  on_disk ? "file  " : "memory", what, v[v.size() / 2], v[v.size() * 9 / 10],
                  v[v.size() * 99 / 100], v.back());
    };
    report("write txn (1 put + commit)", us);
    report("read txn (1 get)          ", read_us);
  }
}
