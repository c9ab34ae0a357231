#include "core/context.hpp"

#include <stdexcept>

#include "store/store.hpp"

namespace terrarium {

Context::Context() = default;
Context::~Context() = default;

store::Transaction& Context::txn() {
  if (!open_txn) {
    open_txn = store->begin();
  } else if (open_txn->read_only()) {
    // Moving a snapshot up to a write would break serializability: a handler
    // that writes must call txn() before reading.
    if (!snapshot_replaceable) throw std::logic_error("txn() after read_txn() in " + service + "." + operation);
    // The snapshot ends first: a store may make a writer wait for readers.
    open_txn.reset();
    open_txn = store->begin();
  }
  snapshot_replaceable = false;
  return *open_txn;
}

store::Transaction& Context::read_txn() {
  if (!open_txn) open_txn = store->begin_read();
  return *open_txn;
}

}  // namespace terrarium
