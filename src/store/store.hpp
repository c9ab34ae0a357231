#pragma once
// Durable state: an embedded SQLite database (WAL) under the data directory,
// or in memory with --ephemeral. Services keep documents (Values) by
// (namespace, key); a namespace names the service, the scope and the
// resource type, e.g. "sts/000000000000/credentials".
//
// Every request runs in at most one Transaction; the dispatcher commits it
// before the response leaves, so an acknowledged write survives kill -9.
//
// Errors of the underlying database (disk full, I/O error, corrupt file)
// throw std::runtime_error carrying the database's message; misuse (a write
// in a read transaction, use after commit) throws std::logic_error.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/value.hpp"

namespace terrarium::store {

// The on-disk format's version. Opening an older database migrates it in
// order; opening a newer one fails rather than risk misreading it.
inline constexpr int kSchemaVersion = 1;

// Namespaces and keys are byte strings (any bytes, including invalid UTF-8),
// ordered bytewise. A document round-trips exactly, with blob strings' raw
// bytes intact, except that a non-negative uint64 that fits in int64 comes
// back as int64 (Boost.JSON's parser prefers int64).
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual std::optional<Value> get(std::string_view ns, std::string_view key) = 0;
  // get() without a copy, for a reader that only looks (null: no such key).
  // A read-only transaction decodes a document once and shares it, also
  // with the later read-only transactions of the same thread for as long as
  // no write has committed since (what they would read is the same).
  virtual std::shared_ptr<const Value> peek(std::string_view ns, std::string_view key) = 0;
  virtual void put(std::string_view ns, std::string_view key, const Value& doc) = 0;
  // True when the key existed.
  virtual bool erase(std::string_view ns, std::string_view key) = 0;
  // Documents of a namespace in key order, starting after `after_key`
  // (pagination; empty: from the first key), at most `limit` (0: all).
  virtual std::vector<std::pair<std::string, Value>> list(std::string_view ns,
                                                          std::string_view after_key = {},
                                                          size_t limit = 0) = 0;
  // Removes every namespace starting with `prefix` ("" for everything).
  virtual void erase_prefix(std::string_view ns_prefix) = 0;
  // Makes the transaction's writes durable (fsynced) and releases its locks;
  // without it, destruction rolls back. The transaction is unusable after.
  virtual void commit() = 0;
  virtual bool read_only() const = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Begins a read-write transaction; it holds the store's one writer lock
  // until it is committed or destroyed, so transactions are serializable.
  // Do not begin a second transaction on a thread that holds one (it waits
  // for itself), and do not keep one open across a suspension point.
  virtual std::unique_ptr<Transaction> begin() = 0;
  // Begins a read-only transaction: a consistent snapshot that does not wait
  // for writers nor block them (file databases: a pooled reader connection;
  // in memory it shares the writer lock). Writes through it throw.
  virtual std::unique_ptr<Transaction> begin_read() = 0;
  virtual int schema_version() const = 0;
  // The database file, or ":memory:".
  virtual std::string location() const = 0;
};

// `data_dir` empty: in memory. Otherwise creates the directory (and its
// parents) and `<data_dir>/terrarium.db`, and migrates the schema.
std::unique_ptr<Store> open_store(const std::string& data_dir);

}  // namespace terrarium::store
