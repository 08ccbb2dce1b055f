#pragma once
// `vec_reuse`: `vec` without the allocation churn. A notify swaps the full vector with an empty
// spare that keeps its capacity; after waking, the notifier hands the (cleared) vector back to a
// small spare pool. After warm-up nothing allocates, but the channel keeps its high-water
// capacity for good.
//
// The pool has its own mutex because the notifier returns the vector after releasing the channel
// lock (waking happens outside it). Lock order: channel mutex, then pool mutex; never the reverse.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "wakerbench/waitlist/vector_base.hpp"

namespace wakerbench {

template <class Sync>
class VecReuseWaitList : public detail::VectorWaitListBase<Sync> {
    using Base = detail::VectorWaitListBase<Sync>;
    using Vector = std::vector<typename Base::Entry>;

    // Enough for every notifier that can be between take and hand-back at once on a small machine;
    // beyond that a returned vector is freed instead of kept.
    static constexpr std::size_t kMaxSpares = 8;

    class SparePool {
    public:
        SparePool() { spares_.write().reserve(kMaxSpares); }
        Vector get() {
            std::lock_guard lock(mutex_);
            auto& s = spares_.write();
            if (s.empty()) return {};
            Vector v = std::move(s.back());
            s.pop_back();
            return v;
        }
        [[nodiscard]] std::size_t heap_bytes() {
            std::lock_guard lock(mutex_);
            std::size_t bytes = spares_.read().capacity() * sizeof(Vector);
            for (const Vector& v : spares_.read()) bytes += v.capacity() * sizeof(typename Vector::value_type);
            return bytes;
        }
        void put(Vector&& v) {
            v.clear();
            std::lock_guard lock(mutex_);
            if (spares_.read().size() < kMaxSpares) spares_.write().push_back(std::move(v));
            // else the batch keeps the (cleared) buffer and frees it when it is destroyed
        }

    private:
        typename Sync::mutex mutex_;
        typename Sync::template cell<std::vector<Vector>> spares_{};
    };

public:
    static constexpr const char* kName = "vec_reuse";
    static constexpr const char* kStorage = "std::vector<Waker> swapped with a pooled spare";
    static constexpr const char* kSteadyStateAllocation = "none after warm-up; keeps its high-water capacity";

    class Batch {
    public:
        Batch() = default;
        Batch(const Batch&) = delete;
        Batch& operator=(const Batch&) = delete;
        ~Batch() { give_back(); }

        [[nodiscard]] bool full() const noexcept { return false; }
        template <class F>
        void for_each_target(F&& f) const noexcept { VecReuseWaitList::for_each_target(taken_, f); }
        void wake_all() noexcept {
            for (auto& e : taken_) e.waker.wake();
            give_back();
        }

    private:
        friend VecReuseWaitList;
        void give_back() noexcept {
            if (home_) std::exchange(home_, nullptr)->put(std::move(taken_));
        }
        Vector taken_;
        SparePool* home_ = nullptr;
    };

    std::size_t take(std::size_t /*n: wake-all*/, Batch& out, std::uint64_t /*mark*/) {
        if (this->empty()) return 0;
        if (!out.taken_.empty()) Sync::fatal("vec_reuse: take() into a batch whose wakers were not woken yet");
        out.give_back();
        out.taken_ = pool_.get();
        out.taken_.swap(this->begin_take());  // the list keeps the spare's capacity
        out.home_ = &pool_;
        return out.taken_.size();
    }

    // The live vector plus the pooled spares, each at its high-water capacity.
    [[nodiscard]] std::size_t heap_bytes() { return Base::heap_bytes() + pool_.heap_bytes(); }

private:
    SparePool pool_;
};

}  // namespace wakerbench
