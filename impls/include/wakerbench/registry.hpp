#pragma once
// The one place that lists every channel row: its name and capabilities. Tests, benchmarks, the
// model checker and the report all iterate this list. A new row is one header plus one line in
// `Rows` below.

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "wakerbench/channel/mutex_channel.hpp"
#include "wakerbench/impl_info.hpp"
#include "wakerbench/sync/std_sync.hpp"
#include "wakerbench/waitlist/intrusive.hpp"
#include "wakerbench/waitlist/slab.hpp"
#include "wakerbench/waitlist/vec.hpp"
#include "wakerbench/waitlist/vec_reuse.hpp"

namespace wakerbench {

// A row whose channel is MutexChannel over wait list WL.
template <template <class Sync> class WL>
struct MutexRow {
    template <class T, class Sync = StdSync>
    using channel = MutexChannel<T, WL<Sync>, Sync>;

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
        .order = "FIFO (one queue under one lock)",
        .storage = WL<StdSync>::kStorage,
        .cancel = WL<StdSync>::kCancel,
        .allocation = WL<StdSync>::kSteadyStateAllocation,
    };
    template <class T>
    static constexpr bool supports_payload = std::is_nothrow_move_constructible_v<T>;
};

template <class... Rows>
struct RowList {
    static constexpr std::array<ImplInfo, sizeof...(Rows)> infos{Rows::info...};
    template <template <class...> class F>
    using apply = F<Rows...>;
};

namespace rows {
using vec = MutexRow<VecWaitList>;
using vec_reuse = MutexRow<VecReuseWaitList>;
using slab = MutexRow<SlabWaitList>;
using intrusive = MutexRow<IntrusiveWaitList>;
}  // namespace rows

using Rows = RowList<rows::vec, rows::vec_reuse, rows::slab, rows::intrusive>;

// Looks a row up by name; nullptr if there is none.
constexpr const ImplInfo* find_row(std::string_view name) noexcept {
    for (const ImplInfo& i : Rows::infos)
        if (i.name == name) return &i;
    return nullptr;
}

}  // namespace wakerbench
