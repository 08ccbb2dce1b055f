#pragma once
// `vec`: batch-channel's first design. A notify takes the whole std::vector<Waker> and leaves an
// empty one behind, so the next waiter to link re-grows it: one allocation (at least) per
// wait/wake cycle in the steady state. Wake-all: every waiter is woken and all but the winners
// find nothing and link again (spurious wakes).

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "wakerbench/waitlist/vector_base.hpp"

namespace wakerbench {

template <class Sync>
class VecWaitList : public detail::VectorWaitListBase<Sync> {
    using Base = detail::VectorWaitListBase<Sync>;

public:
    static constexpr const char* kName = "vec";
    static constexpr const char* kStorage = "std::vector<Waker>, taken whole by a notify";
    static constexpr const char* kSteadyStateAllocation = "yes: the vector is re-grown after each take";

    class Batch {
    public:
        [[nodiscard]] bool full() const noexcept { return false; }  // unbounded: one take is enough
        template <class F>
        void for_each_target(F&& f) const noexcept { VecWaitList::for_each_target(taken_, f); }
        void wake_all() noexcept {
            for (auto& e : taken_) e.waker.wake();
            std::vector<typename Base::Entry>().swap(taken_);  // frees the buffer here, outside the lock
        }

    private:
        friend VecWaitList;
        std::vector<typename Base::Entry> taken_;
    };

    std::size_t take(std::size_t /*n: wake-all*/, Batch& out, std::uint64_t /*mark*/) noexcept {
        if (this->empty()) return 0;
        if (!out.taken_.empty()) Sync::fatal("vec: take() into a batch whose wakers were not woken yet");
        out.taken_ = std::exchange(this->begin_take(), {});
        return out.taken_.size();
    }
};

}  // namespace wakerbench
