#include "core/context.hpp"

#include "store/store.hpp"

namespace terrarium {

Context::Context() = default;
Context::~Context() = default;

store::Transaction& Context::txn() {
  if (!open_txn) open_txn = store->begin();
  return *open_txn;
}

}  // namespace terrarium
