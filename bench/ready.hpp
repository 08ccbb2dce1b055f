#pragma once
// Ready<V>: the result of a blocking call, as an awaitable that never suspends. Lets a thread-bound
// party and a pool task share one coroutine body (party.hpp): the thread's calls block and hand
// back a Ready; the task's calls suspend.

#include <coroutine>
#include <utility>

namespace wakerbench::bench {

template <class V>
struct Ready {
    V value;
    [[nodiscard]] bool await_ready() const noexcept { return true; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    V await_resume() { return std::move(value); }
};

}  // namespace wakerbench::bench
