#pragma once
// Task<T>: a lazy coroutine. Awaiting a Task from another Task runs it as a child (symmetric
// transfer in and out, no executor round trip); spawn() (spawn.hpp) runs one as a root task.
// Every Task in a tree carries its root's TaskHeader, which is how a channel awaiter deep in the
// tree builds a Waker for the whole task. Task<T, Sync>: the Sync policy of the runtime it runs on
// (StdSync everywhere but the model checker).

#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>
#include <variant>

#include "wakerbench/runtime/task_header.hpp"

namespace wakerbench::rt {

template <class T = void, class Sync = StdSync>
class Task;

namespace detail {

template <class T>
struct ResultStore {
    std::variant<std::monostate, T, std::exception_ptr> result;
    template <class U>
    void return_value(U&& v) { result.template emplace<1>(std::forward<U>(v)); }
    void unhandled_exception() noexcept { result.template emplace<2>(std::current_exception()); }
    T take() {
        if (result.index() == 2) std::rethrow_exception(std::get<2>(result));
        return std::move(std::get<1>(result));
    }
};

template <>
struct ResultStore<void> {
    std::exception_ptr error;
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
    void take() {
        if (error) std::rethrow_exception(error);
    }
};

template <class H>
inline constexpr bool is_task_header = false;
template <class Sync>
inline constexpr bool is_task_header<BasicTaskHeader<Sync>> = true;

}  // namespace detail

// Satisfied by the promise of any coroutine that can await channel operations: its `header` points
// to the task it runs in (a BasicTaskHeader of some Sync policy).
template <class P>
concept TaskPromise = requires(P& p) { *p.header; } && detail::is_task_header<std::remove_cvref_t<decltype(*std::declval<P&>().header)>>;

template <class T, class Sync>
class [[nodiscard]] Task {
public:
    struct promise_type : detail::ResultStore<T> {
        BasicTaskHeader<Sync>* header = nullptr;
        std::coroutine_handle<> continuation{};

        Task get_return_object() noexcept { return Task(std::coroutine_handle<promise_type>::from_promise(*this)); }
        std::suspend_always initial_suspend() noexcept { return {}; }

        struct FinalAwaiter {
            bool await_ready() noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
                auto next = h.promise().continuation;
                return next ? next : std::noop_coroutine();  // a root returns to the executor
            }
            void await_resume() noexcept {}
        };
        FinalAwaiter final_suspend() noexcept { return {}; }
    };
    using Handle = std::coroutine_handle<promise_type>;

    Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    Task& operator=(Task other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    ~Task() {
        if (handle_) handle_.destroy();  // destroys a suspended child too: its awaiters unlink
    }

    // co_await child_task: runs it inside the awaiting task.
    class Awaiter {
    public:
        explicit Awaiter(Handle child) noexcept : child_(child) {}
        bool await_ready() noexcept { return false; }
        template <class P>
            requires std::is_same_v<decltype(std::declval<P&>().header), BasicTaskHeader<Sync>*>  // a parent on the same runtime
        std::coroutine_handle<> await_suspend(std::coroutine_handle<P> parent) noexcept {
            child_.promise().header = parent.promise().header;
            child_.promise().continuation = parent;
            return child_;
        }
        T await_resume() { return child_.promise().take(); }

    private:
        Handle child_;
    };
    Awaiter operator co_await() && noexcept { return Awaiter{handle_}; }

    Handle handle() const noexcept { return handle_; }
    void reset() noexcept {
        if (handle_) std::exchange(handle_, {}).destroy();
    }

private:
    explicit Task(Handle h) noexcept : handle_(h) {}
    Handle handle_;
};

}  // namespace wakerbench::rt
