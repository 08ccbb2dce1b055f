#pragma once
// What an implementation can do, declared next to it: tests, benchmarks and the report read these
// instead of guessing, so a capability a row lacks prints as "n/a" with its reason, never as zero.

#include <string_view>
#include <type_traits>

#include "wakerbench/waitlist/wake_batch.hpp"

namespace wakerbench {

enum class PayloadLimit { nothrow_movable, trivially_copyable };

// The reason printed where a row cannot carry a payload type.
constexpr std::string_view payload_requirement(PayloadLimit limit) noexcept {
    return limit == PayloadLimit::trivially_copyable ? "n/a: requires trivially copyable T" : "n/a: requires nothrow movable T";
}

// Whether payload type T meets a row's limit. Every row moves items without being allowed to throw.
template <class T>
constexpr bool satisfies(PayloadLimit limit) noexcept {
    if (!std::is_nothrow_move_constructible_v<T>) return false;
    return limit != PayloadLimit::trivially_copyable || (std::is_trivially_copyable_v<T> && std::is_default_constructible_v<T>);
}

// Which items come out in the order they went in.
enum class Order {
    fifo,                // everything one party sends, whichever thread or task it runs on
    per_sending_thread,  // only items sent from one thread; a task that moves between threads may be reordered
};
constexpr std::string_view describe(Order order) noexcept {
    return order == Order::fifo ? "FIFO per sender (thread or task)" : "FIFO per sending thread only; a task moving between threads may be reordered";
}

struct ImplInfo {
    std::string_view name;
    WakePolicy wake;
    bool bounded;      // supports capacity N >= 1
    bool unbounded;    // supports wakerbench::unbounded
    bool sync_api;     // blocking Sender / Receiver
    bool async_api;    // co_await through AsyncSender / AsyncReceiver
    bool batches;      // send_batch / recv_batch / try_recv_batch
    bool timed_waits;  // send_until / recv_until (and the _for forms)
    bool close;        // split counts, drain-then-closed, failed sends hand values back
    bool cancellation;  // a destroyed waiter withdraws and passes its wake-up on
    PayloadLimit payload;
    Order order;
    std::string_view storage;     // where the blocked waiters live
    std::string_view cancel;      // cost of withdrawing a waiter
    std::string_view allocation;  // allocation in the steady state
    bool wait_stats = true;       // stats() counts waits and wakes; false: they are not observable (zeros)
    // A channel people already use (peers/), measured for reference: never a waiter-storage
    // strategy, so never one of the report's picks.
    bool peer = false;
};

}  // namespace wakerbench
