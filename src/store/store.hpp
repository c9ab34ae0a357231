#pragma once
// Durable state: an embedded SQLite database (WAL) under the data directory,
// or in memory with --ephemeral. Services keep documents (Values) by
// (namespace, key); a namespace names the service, the scope and the
// resource type, e.g. "sts/000000000000/credentials".
//
// Every request runs in at most one Transaction; the dispatcher commits it
// before the response leaves, so an acknowledged write survives kill -9.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.hpp"

namespace terrarium::store {

inline constexpr int kSchemaVersion = 1;

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual std::optional<Value> get(std::string_view ns, std::string_view key) = 0;
  virtual void put(std::string_view ns, std::string_view key, const Value& doc) = 0;
  // True when the key existed.
  virtual bool erase(std::string_view ns, std::string_view key) = 0;
  // Documents of a namespace in key order, starting after `after_key`
  // (pagination), at most `limit` (0: all).
  virtual std::vector<std::pair<std::string, Value>> list(std::string_view ns,
                                                          std::string_view after_key = {},
                                                          size_t limit = 0) = 0;
  // Removes every namespace starting with `prefix` ("" for everything).
  virtual void erase_prefix(std::string_view ns_prefix) = 0;
  // Makes the transaction's writes durable; without it, destruction rolls back.
  virtual void commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Begins a transaction; it holds the store's one writer lock until it is
  // committed or destroyed, so transactions are serializable.
  virtual std::unique_ptr<Transaction> begin() = 0;
  virtual int schema_version() const = 0;
};

// `data_dir` empty: in memory. Creates the directory and migrates the schema.
std::unique_ptr<Store> open_store(const std::string& data_dir);

}  // namespace terrarium::store
