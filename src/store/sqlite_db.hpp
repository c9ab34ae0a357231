#pragma once
// Thin RAII layer over the SQLite C API, and the schema migration runner.
// Used by sqlite_store.cpp; separate so that tests can drive migrations with
// their own steps.
#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace terrarium::store::sqlite {

// Throws std::runtime_error("sqlite: <what>: <message> (<code>)").
[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view what);

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// One database connection, used by one thread at a time (the caller
// serializes), with its prepared statements cached by slot.
class Connection {
 public:
  static constexpr size_t kStatementSlots = 16;

  struct Options {
    bool create = true;
    bool query_only = false;  // reader connections
  };
  // `path` ":memory:" opens a private in-memory database. File databases get
  // WAL, synchronous=FULL (a commit is fsynced before it returns) and a busy
  // timeout, in case another process holds the file.
  Connection(const std::string& path, Options options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  // Runs one or more statements without results.
  void exec(const char* sql);
  // The cached statement in `slot`, prepared from `sql` on first use. A slot
  // always holds the same SQL.
  sqlite3_stmt* statement(size_t slot, const char* sql);
  // True while a transaction is open (SQLite may end one on its own after
  // some errors, which callers must notice).
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::array<StatementPtr, kStatementSlots> statements_;
};

// A cached statement in use: binds, steps, and on destruction resets it so
// that it holds no read lock and no bound pointers.
class Query {
 public:
  Query(Connection& conn, size_t slot, const char* sql)
      : conn_(conn), stmt_(conn.statement(slot, sql)) {}
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Text and blobs are bound without copying: they must outlive the Query.
  Query& bind_text(int index, std::string_view text);
  Query& bind_blob(int index, std::string_view bytes);
  Query& bind_int(int index, int64_t value);
  // True while there is a row; false when done.
  bool step();
  std::string_view column_bytes(int index) const;
  int64_t column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
  int changes() const { return sqlite3_changes(conn_.handle()); }

 private:
  Connection& conn_;
  sqlite3_stmt* stmt_;
};

// A migration step from version `to_version - 1` to `to_version`.
struct Migration {
  int to_version;
  std::function<void(Connection&)> apply;
};

// The schema version recorded in the meta table; 0 for an empty database.
// Throws when the file holds tables but no Terrarium meta table.
int read_schema_version(Connection& conn);

// Brings the database to the last step's version: in one IMMEDIATE
// transaction, applies in order every step newer than the recorded version,
// then records the version. `steps[i].to_version` must be i + 1. Throws when
// the database is newer than the last step. Returns the version.
int migrate(Connection& conn, std::span<const Migration> steps);

}  // namespace terrarium::store::sqlite
