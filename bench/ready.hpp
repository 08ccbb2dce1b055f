#pragma once
// Ready<Call>: a blocking call as an awaitable that never suspends, so a coroutine party on a
// thread (async mode of the thread workloads) can `co_await` the Crew's barrier (crew.hpp) the
// same way a pool task awaits PoolRounds. The call runs in await_resume, so its result goes
// straight into the co_await expression rather than through a copy stored in the awaitable.

#include <coroutine>

namespace wakerbench::bench {

template <class Call>
struct Ready {
    Call call;
    [[nodiscard]] bool await_ready() const noexcept { return true; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    decltype(auto) await_resume() { return call(); }
};
template <class Call>
Ready(Call) -> Ready<Call>;

}  // namespace wakerbench::bench
