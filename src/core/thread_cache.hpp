#pragma once
// State an object keeps per worker thread: caches that a hot path reads
// without taking a lock. A thread's state serves one owner at a time, and
// owners are named by numbers never reused, so a thread that meets a new
// owner (a new store or authorizer, as tests make many) starts afresh
// rather than trusting what it kept for a destroyed one.
#include <atomic>
#include <cstdint>

namespace terrarium {

// A name for a new owner: never 0, never given twice in the process.
inline uint64_t new_thread_cache_owner() {
  static std::atomic<uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

// This thread's `State` for `owner`, default-constructed when the thread
// last kept one for another owner.
template <typename State>
State& thread_cache(uint64_t owner) {
  thread_local struct {
    uint64_t owner = 0;
    State state;
  } slot;
  if (slot.owner != owner) {
    slot.state = State{};
    slot.owner = owner;
  }
  return slot.state;
}

}  // namespace terrarium
