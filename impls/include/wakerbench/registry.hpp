#pragma once
// The one place that lists every channel row (and the baselines and peers measured beside them):
// its name and capabilities. Every instrument iterates these lists and keeps none of its own: the
// typed tests, wb_bench (which writes them into its JSON context for the report), wb_stress and
// wb_modelcheck, and CMake, which reads them at configure time (impls/cmake/list_impls.cpp) to
// generate per-row sources and ctest tests. A new row is one header plus one line in `Rows` below
// (and the header's #include): README.md, "Adding your own waiter storage".

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "wakerbench/baselines/moodycamel_blocking.hpp"
#include "wakerbench/baselines/mutex_condvar.hpp"
#include "wakerbench/channel/lockfree_channel.hpp"
#include "wakerbench/channel/mutex_channel.hpp"
#include "wakerbench/channel/queues/boost_lockfree.hpp"
#include "wakerbench/channel/queues/moodycamel.hpp"
#include "wakerbench/impl_info.hpp"
#include "wakerbench/peers/tbb.hpp"
#include "wakerbench/sync/std_sync.hpp"
#include "wakerbench/waitlist/intrusive.hpp"
#include "wakerbench/waitlist/parking_lot.hpp"
#include "wakerbench/waitlist/slab.hpp"
#include "wakerbench/waitlist/small_vec.hpp"
#include "wakerbench/waitlist/vec.hpp"
#include "wakerbench/waitlist/vec_reuse.hpp"

namespace wakerbench {

// A row whose channel is MutexChannel over wait list WL.
template <template <class Sync> class WL>
struct MutexRow {
    template <class T, class Sync = StdSync>
    using channel = MutexChannel<T, WL<Sync>, Sync>;
    template <class Sync = StdSync>
    using wait_list = WL<Sync>;
    // Which channel core: the model checker runs every "mutex" row's own code under Relacy.
    static constexpr std::string_view kCore = "mutex";

    static constexpr ImplInfo info{
        .name = WL<StdSync>::kName,
        .wake = WL<StdSync>::kWakePolicy,
        .bounded = true,
        .unbounded = true,
        .sync_api = true,
        .async_api = true,
        .batches = true,
        .timed_waits = true,
        .close = true,
        .cancellation = true,
        .payload = PayloadLimit::nothrow_movable,  // MutexChannel static_asserts it
        .order = Order::fifo,  // one queue under one lock
        .storage = WL<StdSync>::kStorage,
        .cancel = WL<StdSync>::kCancel,
        .allocation = WL<StdSync>::kSteadyStateAllocation,
    };
    template <class T>
    static constexpr bool supports_payload = satisfies<T>(info.payload);
};

// A row whose channel is LockFreeChannel over queue adapter Q (channel/queues/): items in a
// lock-free queue, waiters in two event counts over the intrusive list.
template <template <class T> class Q>
struct LockFreeRow {
    template <class T, class Sync = StdSync>
    using channel = LockFreeChannel<T, Q<T>, Sync>;
    // The model checker runs LockFreeChannel's protocol once, over a stand-in queue, for all of them.
    static constexpr std::string_view kCore = "lockfree";

private:
    using Probe = Q<std::uint64_t>;  // every adapter takes u64: where the row's constants are read

public:
    static constexpr ImplInfo info{
        .name = Probe::kName,
        .wake = WakePolicy::one,
        .bounded = true,
        .unbounded = true,
        .sync_api = true,
        .async_api = true,
        .batches = true,
        .timed_waits = true,
        .close = true,
        .cancellation = true,
        .payload = Probe::kPayload,
        .order = Probe::kOrder,
        .storage = "event count over the intrusive list (node inside the waiter); items in a lock-free queue",
        .cancel = "O(1) unlink under the event count's mutex",
        .allocation = Probe::kAllocation,
    };
    template <class T>
    static constexpr bool supports_payload = satisfies<T>(info.payload);
};

template <class... Rows>
struct RowList {
    static constexpr std::size_t size = sizeof...(Rows);
    static constexpr std::array<ImplInfo, sizeof...(Rows)> infos{Rows::info...};
    template <template <class...> class F>
    using apply = F<Rows...>;
    template <std::size_t I>
    using at = std::tuple_element_t<I, std::tuple<Rows...>>;
};

// The channel core a row is built on ("mutex", "lockfree"); "own" for baselines and peers.
template <class Row>
constexpr std::string_view core_of() noexcept {
    if constexpr (requires { Row::kCore; }) return Row::kCore;
    else return "own";
}

// One RowList of several, in order.
template <class... Lists>
struct ConcatRows;
template <class List>
struct ConcatRows<List> {
    using type = List;
};
template <class... A, class... B, class... Rest>
struct ConcatRows<RowList<A...>, RowList<B...>, Rest...> : ConcatRows<RowList<A..., B...>, Rest...> {};

// The rows of List whose Pred<Row>::value holds, in order.
template <template <class> class Pred, class List>
struct FilterRows;
template <template <class> class Pred, class... Rows>
struct FilterRows<Pred, RowList<Rows...>>
    : ConcatRows<RowList<>, std::conditional_t<Pred<Rows>::value, RowList<Rows>, RowList<>>...> {};

template <class Row>
struct IsMutexRow : std::bool_constant<core_of<Row>() == "mutex"> {};

// Names for the rows that tests and benchmarks single out; the list itself is `Rows` below.
namespace rows {
using vec = MutexRow<VecWaitList>;
using vec_reuse = MutexRow<VecReuseWaitList>;
using slab = MutexRow<SlabWaitList>;
using intrusive = MutexRow<IntrusiveWaitList>;
using moodycamel = LockFreeRow<MoodycamelQueue>;
using boost_lockfree = LockFreeRow<BoostLockfreeQueue>;
}  // namespace rows

// The rows: every waiter-storage strategy, in the order every table lists them.
using Rows = RowList<
    rows::vec,
    rows::vec_reuse,
    rows::slab,
    rows::intrusive,
    MutexRow<SmallVecWaitList>,
    MutexRow<ParkingLotWaitList>,
    rows::moodycamel,
    rows::boost_lockfree>;

// The rows over MutexChannel: their wait lists are what the list-level tests and the wait-list
// microbenchmarks drive, and what the model checker instantiates under Relacy.
using MutexRows = FilterRows<IsMutexRow, Rows>::type;

// Yardsticks for the benchmarks, not rows: they offer only part of the interface (their ImplInfo
// says which part), so the typed test suites do not run them; baseline_test.cpp covers them.
using Baselines = RowList<baselines::mutex_condvar, baselines::moodycamel_blocking>;

// Channels people already use, measured by the same benchmarks for reference (peers/; their
// ImplInfo has peer = true): shown beside the rows, never picked. The C++ ones only: the Rust peers
// run in a binary of their own (bench/peers/rust) under the same benchmark names.
using Peers = RowList<peers::tbb>;

// Everything the benchmarks measure, in the order they register it: rows, baselines, peers.
using Benchmarked = ConcatRows<Rows, Baselines, Peers>::type;

// Looks a row up by name; nullptr if there is none.
constexpr const ImplInfo* find_row(std::string_view name) noexcept {
    for (const ImplInfo& i : Rows::infos)
        if (i.name == name) return &i;
    return nullptr;
}

// Looks a row, a baseline or a peer up by name; nullptr if there is none.
constexpr const ImplInfo* find_impl(std::string_view name) noexcept {
    for (const ImplInfo& i : Benchmarked::infos)
        if (i.name == name) return &i;
    return nullptr;
}

static_assert([] {
    for (const ImplInfo& i : Rows::infos)
        if (i.peer) return false;
    for (const ImplInfo& i : Peers::infos)
        if (!i.peer) return false;
    return true;
}(), "a peer is never a row, and every peer says so in its ImplInfo");

}  // namespace wakerbench
