#include "store/sqlite_db.hpp"

#include <stdexcept>
#include <string>

namespace terrarium::store::sqlite {

namespace {

// Long enough to ride out another process's checkpoint, short enough that a
// second server on the same data directory fails visibly instead of hanging.
constexpr int kBusyTimeoutMs = 5000;

const char* nonnull(std::string_view s) { return s.data() ? s.data() : ""; }

}  // namespace

void throw_error(sqlite3* db, int rc, std::string_view what) {
  std::string message = "sqlite: ";
  message += what;
  message += ": ";
  // The connection's message describes `rc` only while nothing else ran.
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  message += " (" + std::to_string(rc) + ")";
  throw std::runtime_error(message);
}

Connection::Connection(const std::string& path, Options options) : path_(path) {
  // NOMUTEX: each connection is used by one thread at a time, guarded by the
  // store, so SQLite's own per-connection mutex would be pure overhead.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 returns a handle even on failure, to carry the message.
    std::string what = "open " + path;
    try {
      throw_error(db_, rc, what);
    } catch (...) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw;
    }
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  try {
    if (path != ":memory:") {
      sqlite3_stmt* raw = nullptr;
      int prc = sqlite3_prepare_v2(db_, "PRAGMA journal_mode=WAL", -1, &raw, nullptr);
      StatementPtr stmt(raw);
      if (prc != SQLITE_OK) throw_error(db_, prc, "PRAGMA journal_mode=WAL");
      prc = sqlite3_step(raw);
      if (prc != SQLITE_ROW) throw_error(db_, prc, "PRAGMA journal_mode=WAL");
      const auto* mode = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
      // Some file systems (network, some FUSE) cannot host a WAL; the
      // durability and concurrency promises rest on it, so refuse.
      if (!mode || std::string_view(mode) != "wal")
        throw std::runtime_error("sqlite: " + path + ": cannot use WAL journal mode (got " +
                                 (mode ? std::string(mode) : std::string("nothing")) + ")");
    }
    // FULL: in WAL mode, every commit fsyncs the WAL, so an acknowledged write
    // survives power loss, not only kill -9 (NORMAL would not).
    exec("PRAGMA synchronous=FULL");
    if (options.query_only) exec("PRAGMA query_only=1");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  for (auto& s : statements_) s.reset();
  // Every statement is finalized above, so close cannot report busy.
  sqlite3_close(db_);
}

void Connection::exec(const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = "sqlite: ";
    message += sql;
    message += ": ";
    message += err ? err : sqlite3_errstr(rc);
    message += " (" + std::to_string(rc) + ")";
    sqlite3_free(err);
    throw std::runtime_error(message);
  }
}

sqlite3_stmt* Connection::statement(size_t slot, const char* sql) {
  auto& cached = statements_.at(slot);
  if (!cached) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(raw);
      throw_error(db_, rc, std::string("prepare ") + sql);
    }
    cached.reset(raw);
  }
  return cached.get();
}

Query& Query::bind_text(int index, std::string_view text) {
  // A null data pointer would bind SQL NULL, not the empty string.
  const int rc = sqlite3_bind_text64(stmt_, index, nonnull(text), text.size(), SQLITE_STATIC,
                                     SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_error(conn_.handle(), rc, "bind");
  return *this;
}

Query& Query::bind_blob(int index, std::string_view bytes) {
  const int rc = sqlite3_bind_blob64(stmt_, index, nonnull(bytes), bytes.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK) throw_error(conn_.handle(), rc, "bind");
  return *this;
}

Query& Query::bind_int(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_error(conn_.handle(), rc, "bind");
  return *this;
}

bool Query::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_error(conn_.handle(), rc, sqlite3_sql(stmt_));
}

std::string_view Query::column_bytes(int index) const {
  // sqlite3_column_blob returns the stored bytes of TEXT as well, unconverted;
  // bytes() must come after it (the documented order).
  const void* data = sqlite3_column_blob(stmt_, index);
  const int size = sqlite3_column_bytes(stmt_, index);
  if (!data) return {};
  return {static_cast<const char*>(data), static_cast<size_t>(size)};
}

namespace {

constexpr const char* kMetaTableExists =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'";
constexpr const char* kUserTableCount =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
constexpr const char* kReadVersion = "SELECT value FROM meta WHERE key = 'schema_version'";
constexpr const char* kWriteVersion =
    "INSERT INTO meta (key, value) VALUES ('schema_version', ?1) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";

// One-shot statements: migrations run once per open, caching buys nothing.
int64_t query_int(Connection& conn, const char* sql, int64_t if_no_row) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(conn.handle(), sql, -1, &raw, nullptr);
  StatementPtr stmt(raw);
  if (rc != SQLITE_OK) throw_error(conn.handle(), rc, sql);
  const int src = sqlite3_step(raw);
  if (src == SQLITE_DONE) return if_no_row;
  if (src != SQLITE_ROW) throw_error(conn.handle(), src, sql);
  return sqlite3_column_int64(raw, 0);
}

}  // namespace

int read_schema_version(Connection& conn) {
  if (query_int(conn, kMetaTableExists, 0) == 0) {
    if (query_int(conn, kUserTableCount, 0) != 0)
      throw std::runtime_error(conn.path() +
                               " is an SQLite database but not Terrarium's (no meta table)");
    return 0;
  }
  return static_cast<int>(query_int(conn, kReadVersion, 0));
}

int migrate(Connection& conn, std::span<const Migration> steps) {
  const int target = static_cast<int>(steps.size());
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].to_version != static_cast<int>(i) + 1)
      throw std::logic_error("migration steps must go 1, 2, 3, ... in order");

  // IMMEDIATE: two processes opening the same fresh file must not both migrate.
  conn.exec("BEGIN IMMEDIATE");
  try {
    const int current = read_schema_version(conn);
    if (current > target)
      throw std::runtime_error(
          conn.path() + " has schema version " + std::to_string(current) +
          ", newer than this Terrarium understands (" + std::to_string(target) +
          "); run a newer Terrarium, or use another data directory");
    if (current < target) {
      conn.exec(
          "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID");
      for (int v = current; v < target; ++v) steps[static_cast<size_t>(v)].apply(conn);
      sqlite3_stmt* raw = nullptr;
      const int rc = sqlite3_prepare_v2(conn.handle(), kWriteVersion, -1, &raw, nullptr);
      StatementPtr stmt(raw);
      if (rc != SQLITE_OK) throw_error(conn.handle(), rc, kWriteVersion);
      sqlite3_bind_int64(raw, 1, target);
      const int src = sqlite3_step(raw);
      if (src != SQLITE_DONE) throw_error(conn.handle(), src, kWriteVersion);
    }
    conn.exec("COMMIT");
    return target;
  } catch (...) {
    if (conn.in_transaction()) sqlite3_exec(conn.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace terrarium::store::sqlite
