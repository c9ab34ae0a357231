#pragma once
// Everything a handler knows about the request it serves, besides its input.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "http/message.hpp"

namespace terrarium::auth {
class CredentialStore;
}  // namespace terrarium::auth

namespace terrarium::store {
class Store;
class Transaction;
}  // namespace terrarium::store

namespace terrarium {

struct ServerConfig;

struct Context {
  Context();
  ~Context();  // rolls back an uncommitted transaction
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  Caller caller;
  std::string region = "us-east-1";
  std::string service;
  std::string operation;
  std::string request_id;
  const http::Request* request = nullptr;
  const ServerConfig* config = nullptr;
  store::Store* store = nullptr;
  auth::CredentialStore* credentials = nullptr;

  // The request's one transaction: begun on first use, so requests that keep
  // no state never touch the store; committed by the dispatcher before the
  // response is sent, rolled back when the handler throws.
  store::Transaction& txn();
  // A read-only snapshot for handlers that only read: it never waits for
  // writers. Returns the request's write transaction if it already has one.
  store::Transaction& read_txn();
  std::unique_ptr<store::Transaction> open_txn;
  // Set when open_txn is a snapshot the authorizer began: a handler that
  // only reads keeps using it; one that writes replaces it with a write
  // transaction instead of failing.
  bool snapshot_replaceable = false;
  // Run by the dispatcher once the transaction has committed: for in-memory
  // caches of stored state, which must not change before the store does.
  std::vector<std::function<void()>> after_commit;
};

}  // namespace terrarium
