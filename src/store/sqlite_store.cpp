// The Store on SQLite: one writer connection behind a lock (transactions are
// serialized, BEGIN IMMEDIATE ... COMMIT), and for file databases a pool of
// reader connections that read WAL snapshots concurrently with the writer.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/string_map.hpp"
#include "core/thread_cache.hpp"
#include "store/sqlite_db.hpp"
#include "store/store.hpp"

namespace terrarium::store {

namespace {

using sqlite::Connection;
using sqlite::Query;

constexpr const char* kMemoryPath = ":memory:";
constexpr const char* kFileName = "terrarium.db";
// Readers kept open beyond this many are closed when released; the pool
// grows to the number of concurrent readers (about the server's threads).
constexpr size_t kMaxIdleReaders = 32;

// The schema, one step per version; never edit a released step, add one.
const std::vector<sqlite::Migration>& migrations() {
  static const std::vector<sqlite::Migration> steps = {
      {1,
       [](Connection& c) {
         // WITHOUT ROWID: lookups and key-ordered scans go straight through
         // the (ns, key) B-tree. `doc` is a BLOB so that raw bytes inside
         // JSON strings are kept as they are.
         c.exec(
             "CREATE TABLE documents ("
             "  ns TEXT NOT NULL,"
             "  key TEXT NOT NULL,"
             "  doc BLOB NOT NULL,"
             "  PRIMARY KEY (ns, key)"
             ") WITHOUT ROWID");
       }},
  };
  return steps;
}

// Statement cache slots (see Connection::statement).
enum Slot : size_t {
  kBeginWrite,
  kBeginRead,
  kCommit,
  kRollback,
  kGet,
  kPut,
  kErase,
  kListAll,
  kListAfter,
  kEraseRange,
  kEraseFrom,
};
static_assert(kEraseFrom < Connection::kStatementSlots);

constexpr const char* kSqlBeginWrite = "BEGIN IMMEDIATE";
constexpr const char* kSqlBeginRead = "BEGIN DEFERRED";
constexpr const char* kSqlCommit = "COMMIT";
constexpr const char* kSqlRollback = "ROLLBACK";
constexpr const char* kSqlGet = "SELECT doc FROM documents WHERE ns = ?1 AND key = ?2";
constexpr const char* kSqlPut =
    "INSERT INTO documents (ns, key, doc) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (ns, key) DO UPDATE SET doc = excluded.doc";
constexpr const char* kSqlErase = "DELETE FROM documents WHERE ns = ?1 AND key = ?2";
constexpr const char* kSqlListAll =
    "SELECT key, doc FROM documents WHERE ns = ?1 ORDER BY key LIMIT ?2";
constexpr const char* kSqlListAfter =
    "SELECT key, doc FROM documents WHERE ns = ?1 AND key > ?2 ORDER BY key LIMIT ?3";
constexpr const char* kSqlEraseRange = "DELETE FROM documents WHERE ns >= ?1 AND ns < ?2";
constexpr const char* kSqlEraseFrom = "DELETE FROM documents WHERE ns >= ?1";

void run(Connection& conn, Slot slot, const char* sql) {
  Query q(conn, slot, sql);
  q.step();
}

std::string encode(const Value& doc) { return boost::json::serialize(doc); }

Value decode(std::string_view bytes, std::string_view ns, std::string_view key) {
  boost::json::parse_options options;
  // Blob members hold raw bytes, which the serializer writes through as-is.
  options.allow_invalid_utf8 = true;
  // Whatever a handler could build must read back; the parser keeps its own
  // stack, so depth costs memory, not recursion.
  options.max_depth = std::numeric_limits<std::size_t>::max();
  boost::system::error_code ec;
  Value v = boost::json::parse(bytes, ec, {}, options);
  if (ec)
    throw std::runtime_error("store: unreadable document " + std::string(ns) + " / " +
                             std::string(key) + ": " + ec.message());
  return v;
}

// The smallest string greater than every string starting with `prefix`, or
// nothing when there is none (empty or all 0xFF bytes).
std::optional<std::string> prefix_successor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xFF) s.pop_back();
  if (s.empty()) return std::nullopt;
  s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

// Makes a new directory entry durable (SQLite syncs its own journals' entries,
// not the directories we create).
void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// A lock that any thread may release, unlike std::mutex: a transaction may end
// on another thread than the one that began it (asio strands, coroutines).
class WriterGate {
 public:
  void acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return !held_; });
    held_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mu_);
      held_ = false;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
};

class SqliteStore;

class SqliteTransaction final : public Transaction {
 public:
  enum class Kind {
    kWrite,       // the writer connection, under the gate
    kReadPooled,  // a reader connection of its own
    kReadShared,  // in memory: the writer connection, under the gate
  };

  SqliteTransaction(SqliteStore& store, Kind kind);
  ~SqliteTransaction() override;

  std::optional<Value> get(std::string_view ns, std::string_view key) override;
  std::shared_ptr<const Value> peek(std::string_view ns, std::string_view key) override;
  void put(std::string_view ns, std::string_view key, const Value& doc) override;
  bool erase(std::string_view ns, std::string_view key) override;
  std::vector<std::pair<std::string, Value>> list(std::string_view ns, std::string_view after_key,
                                                  size_t limit) override;
  void erase_prefix(std::string_view ns_prefix) override;
  void commit() override;
  bool read_only() const override { return kind_ != Kind::kWrite; }

 private:
  Connection& usable();
  Connection& writable();
  void release(bool connection_ok);
  // The document at ns/key, decoded afresh; `encoded_size`, if given, gets
  // the size it had in the database.
  std::optional<Value> read(std::string_view ns, std::string_view key, size_t* encoded_size = nullptr);
  // A document peek() decoded, null when there was none.
  struct SnapshotRead {
    std::string ns;
    std::string key;
    std::shared_ptr<Value> doc;
  };
  SnapshotRead* snapshot_read(std::string_view ns, std::string_view key);

  SqliteStore& store_;
  Kind kind_;
  // The store's commit count when this transaction began, before its
  // snapshot was taken (reads only; see SqliteStore::commits_).
  uint64_t began_at_ = 0;
  std::unique_ptr<Connection> reader_;  // kReadPooled only
  Connection* conn_ = nullptr;          // null once committed or released
  // A snapshot reads the same document each time, so peek() decodes it once
  // and shares it; get() takes it over once no one holds it. The authorizer
  // peeks at an entity or two, then the handler gets them: a short list,
  // searched in place, costs less than a map's nodes and keys.
  std::vector<SnapshotRead> snapshot_reads_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::string path) : path_(std::move(path)) {
    const bool in_memory = path_ == kMemoryPath;
    const bool fresh = !in_memory && !std::filesystem::exists(path_);
    writer_ = std::make_unique<Connection>(path_, Connection::Options{});
    version_ = sqlite::migrate(*writer_, migrations());
    if (fresh) sync_directory(std::filesystem::path(path_).parent_path());
  }

  std::unique_ptr<Transaction> begin() override {
    return std::make_unique<SqliteTransaction>(*this, SqliteTransaction::Kind::kWrite);
  }
  std::unique_ptr<Transaction> begin_read() override {
    // ":memory:" is private to its one connection, so readers share it.
    return std::make_unique<SqliteTransaction>(*this, in_memory()
                                                          ? SqliteTransaction::Kind::kReadShared
                                                          : SqliteTransaction::Kind::kReadPooled);
  }
  int schema_version() const override { return version_; }
  std::string location() const override { return path_; }

  bool in_memory() const { return path_ == kMemoryPath; }
  Connection& writer() { return *writer_; }
  WriterGate& gate() { return gate_; }

  struct SharedRead {
    uint64_t commits;  // the count the document was read at
    std::shared_ptr<Value> doc;  // null: there was none
  };

  // Write commits, counted twice each: before (the count turns odd) and
  // after (even again). A read that began and ended at the same even count
  // saw the state that count names, and that state is still the latest
  // while the count has not moved.
  uint64_t commits() const { return commits_.load(std::memory_order_acquire); }
  void count_commit() { commits_.fetch_add(1, std::memory_order_acq_rel); }

  // Documents peek() decoded, shared with later read transactions on the
  // same thread while nothing has been committed since: under enforcement,
  // the declaration of every request looks at the user or role it names.
  // A transaction that began at `began_at` gets a document read at that
  // same count, which is what its own snapshot holds. Per thread, so that a
  // lookup takes no lock; bounded, in entries and in document size. Null:
  // none shared.
  const SharedRead* shared_read(std::string_view ns, std::string_view key, uint64_t began_at) {
    SharedReads& reads = shared_reads();
    const auto it = reads.docs.find(shared_read_key(ns, key));
    if (it == reads.docs.end() || it->second.commits != began_at || commits() != began_at) return nullptr;
    return &it->second;
  }
  void share_read(std::string_view ns, std::string_view key, uint64_t read_at, size_t encoded_size,
                  std::shared_ptr<Value> doc) {
    constexpr size_t kMaxDocuments = 4096;
    constexpr size_t kMaxEncodedSize = 16 * 1024;
    constexpr size_t kMaxEncodedTotal = 4 * 1024 * 1024;  // per thread
    if (read_at % 2 != 0 || commits() != read_at || encoded_size > kMaxEncodedSize) return;
    SharedReads& reads = shared_reads();
    if (reads.docs.size() >= kMaxDocuments || reads.encoded_total + encoded_size > kMaxEncodedTotal) {
      reads.docs.clear();
      reads.encoded_total = 0;
    }
    reads.encoded_total += encoded_size;
    reads.docs.insert_or_assign(std::string(shared_read_key(ns, key)), SharedRead{read_at, std::move(doc)});
  }

  std::unique_ptr<Connection> take_reader() {
    {
      std::lock_guard lock(pool_mu_);
      if (!idle_readers_.empty()) {
        auto c = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return c;
      }
    }
    return std::make_unique<Connection>(
        path_, Connection::Options{.create = false, .query_only = true});
  }
  void return_reader(std::unique_ptr<Connection> c) {
    std::lock_guard lock(pool_mu_);
    if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(c));
  }

 private:
  // What a worker thread keeps for one store (core/thread_cache.hpp).
  struct SharedReads {
    StringMap<SharedRead> docs;  // by shared_read_key
    size_t encoded_total = 0;  // what the documents took in the database, about
  };
  SharedReads& shared_reads() { return thread_cache<SharedReads>(id_); }
  // ns and key, in a per-thread buffer ('\0' cannot end a namespace).
  static std::string_view shared_read_key(std::string_view ns, std::string_view key) {
    thread_local std::string buffer;
    return join_key(buffer, '\0', {ns, key});
  }

  std::string path_;
  const uint64_t id_ = new_thread_cache_owner();  // names this store in the threads' shared reads
  std::atomic<uint64_t> commits_{0};
  std::unique_ptr<Connection> writer_;
  int version_ = 0;
  WriterGate gate_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
};

SqliteTransaction::SqliteTransaction(SqliteStore& store, Kind kind) : store_(store), kind_(kind) {
  // Before the snapshot, which SQLite takes at the first read.
  if (kind_ != Kind::kWrite) began_at_ = store_.commits();
  if (kind_ == Kind::kReadPooled) {
    reader_ = store_.take_reader();
    conn_ = reader_.get();
  } else {
    store_.gate().acquire();
    conn_ = &store_.writer();
  }
  try {
    // A transaction left open by a failed rollback must not swallow this one.
    if (conn_->in_transaction()) run(*conn_, kRollback, kSqlRollback);
    if (kind_ == Kind::kWrite)
      run(*conn_, kBeginWrite, kSqlBeginWrite);
    else
      run(*conn_, kBeginRead, kSqlBeginRead);
  } catch (...) {
    release(false);
    throw;
  }
}

SqliteTransaction::~SqliteTransaction() {
  if (!conn_) return;
  bool ok = true;
  if (conn_->in_transaction()) {
    try {
      run(*conn_, kRollback, kSqlRollback);
    } catch (...) {
      // Destructors must not throw; the next begin() retries the rollback.
      ok = false;
    }
  }
  release(ok);
}

void SqliteTransaction::release(bool connection_ok) {
  if (kind_ == Kind::kReadPooled) {
    if (reader_ && connection_ok) store_.return_reader(std::move(reader_));
    reader_.reset();
  } else if (conn_) {
    store_.gate().release();
  }
  conn_ = nullptr;
}

Connection& SqliteTransaction::usable() {
  if (!conn_) throw std::logic_error("store: transaction used after commit");
  // SQLite rolls a transaction back by itself after some errors (disk full,
  // I/O error); carrying on would run the next statements in autocommit.
  if (!conn_->in_transaction())
    throw std::runtime_error("store: the transaction was rolled back after an earlier error");
  return *conn_;
}

Connection& SqliteTransaction::writable() {
  if (read_only()) throw std::logic_error("store: write in a read-only transaction");
  return usable();
}

SqliteTransaction::SnapshotRead* SqliteTransaction::snapshot_read(std::string_view ns, std::string_view key) {
  for (auto& read : snapshot_reads_)
    if (read.key == key && read.ns == ns) return &read;
  return nullptr;
}

std::optional<Value> SqliteTransaction::read(std::string_view ns, std::string_view key, size_t* encoded_size) {
  Query q(usable(), kGet, kSqlGet);
  q.bind_text(1, ns).bind_text(2, key);
  if (!q.step()) return std::nullopt;
  const std::string_view bytes = q.column_bytes(0);
  if (encoded_size) *encoded_size = bytes.size();
  return decode(bytes, ns, key);
}

std::optional<Value> SqliteTransaction::get(std::string_view ns, std::string_view key) {
  if (!read_only() || snapshot_reads_.empty()) return read(ns, key);
  SnapshotRead* peeked = snapshot_read(ns, key);
  if (!peeked) return read(ns, key);
  if (!peeked->doc) return std::nullopt;
  // A document peek() decoded is handed over when no one holds it any more
  // (the authorizer peeks, then the handler gets): no second decoding, and
  // no copy. A later read decodes it again from the same snapshot. One the
  // store also shares with later transactions is copied, never moved.
  if (peeked->doc.use_count() > 1) return *peeked->doc;
  Value doc = std::move(*peeked->doc);
  snapshot_reads_.erase(snapshot_reads_.begin() + (peeked - snapshot_reads_.data()));
  return doc;
}

std::shared_ptr<const Value> SqliteTransaction::peek(std::string_view ns, std::string_view key) {
  if (!read_only()) {
    auto doc = read(ns, key);
    return doc ? std::make_shared<const Value>(std::move(*doc)) : nullptr;
  }
  if (SnapshotRead* peeked = snapshot_read(ns, key)) return peeked->doc;
  // What an earlier transaction decoded, while it is still the latest: it
  // is not kept for get(), which reads its own copy as it would anyway.
  if (const auto* shared = store_.shared_read(ns, key, began_at_)) return shared->doc;
  size_t encoded_size = 0;
  auto doc = read(ns, key, &encoded_size);
  std::shared_ptr<Value> shared = doc ? std::make_shared<Value>(std::move(*doc)) : nullptr;
  snapshot_reads_.push_back({std::string(ns), std::string(key), shared});
  store_.share_read(ns, key, began_at_, encoded_size, shared);
  return shared;
}

void SqliteTransaction::put(std::string_view ns, std::string_view key, const Value& doc) {
  Connection& conn = writable();
  const std::string bytes = encode(doc);
  Query q(conn, kPut, kSqlPut);
  q.bind_text(1, ns).bind_text(2, key).bind_blob(3, bytes);
  q.step();
}

bool SqliteTransaction::erase(std::string_view ns, std::string_view key) {
  Query q(writable(), kErase, kSqlErase);
  q.bind_text(1, ns).bind_text(2, key);
  q.step();
  return q.changes() > 0;
}

std::vector<std::pair<std::string, Value>> SqliteTransaction::list(std::string_view ns,
                                                                   std::string_view after_key,
                                                                   size_t limit) {
  Connection& conn = usable();
  const auto max = static_cast<size_t>(std::numeric_limits<int64_t>::max());
  // SQLite reads a negative LIMIT as none.
  const int64_t sql_limit = limit == 0 ? -1 : static_cast<int64_t>(std::min(limit, max));
  // Two statements rather than `key > ''`, which would skip an empty key.
  const bool from_start = after_key.empty();
  Query q(conn, from_start ? kListAll : kListAfter, from_start ? kSqlListAll : kSqlListAfter);
  q.bind_text(1, ns);
  if (from_start) {
    q.bind_int(2, sql_limit);
  } else {
    q.bind_text(2, after_key).bind_int(3, sql_limit);
  }
  std::vector<std::pair<std::string, Value>> out;
  while (q.step()) {
    std::string key(q.column_bytes(0));
    Value doc = decode(q.column_bytes(1), ns, key);
    out.emplace_back(std::move(key), std::move(doc));
  }
  return out;
}

void SqliteTransaction::erase_prefix(std::string_view ns_prefix) {
  Connection& conn = writable();
  // A range on the primary key, not LIKE/substr: it uses the B-tree, and
  // compares bytes whatever they are.
  const auto upper = prefix_successor(ns_prefix);
  if (upper) {
    Query q(conn, kEraseRange, kSqlEraseRange);
    q.bind_text(1, ns_prefix).bind_text(2, *upper);
    q.step();
  } else {
    Query q(conn, kEraseFrom, kSqlEraseFrom);
    q.bind_text(1, ns_prefix);
    q.step();
  }
}

void SqliteTransaction::commit() {
  Connection& conn = usable();
  // On failure (e.g. I/O error) the transaction stays open or is already
  // rolled back; either way the destructor cleans up.
  if (kind_ != Kind::kWrite) {
    run(conn, kCommit, kSqlCommit);
    release(true);
    return;
  }
  // Counted on both sides of the commit, even when it fails: what was
  // read while the count was odd may or may not include the change.
  store_.count_commit();
  try {
    run(conn, kCommit, kSqlCommit);
  } catch (...) {
    store_.count_commit();
    throw;
  }
  store_.count_commit();
  release(true);
}

}  // namespace

std::unique_ptr<Store> open_store(const std::string& data_dir) {
  if (data_dir.empty()) return std::make_unique<SqliteStore>(kMemoryPath);
  const std::filesystem::path dir(data_dir);
  const bool fresh_dir = !std::filesystem::exists(dir);
  std::filesystem::create_directories(dir);
  if (fresh_dir) {
    auto absolute = std::filesystem::absolute(dir).lexically_normal();
    if (!absolute.has_filename()) absolute = absolute.parent_path();  // "a/b/"
    sync_directory(absolute.parent_path());
  }
  return std::make_unique<SqliteStore>((dir / kFileName).string());
}

}  // namespace terrarium::store
