#pragma once
// FanoutRig<Impl, T, Mode::async>: fanoutK. One sending coroutine feeds K receiving coroutines, all
// on one rt::ThreadPool. The sender sends each round in bursts of K/4 items, one send_batch each,
// and sends the next burst only once the last has been received (it waits as a task, through
// Arrivals), so every burst finds every receiver suspended in the wait list. A receiver treats
// each item as work that takes its turn on the pool (it yields before receiving again), so a
// burst is shared among the receivers it woke rather than drained by the first. That is where the
// wake policies part: a wake-one list wakes K/4 receivers per burst, one per item; a wake-all list
// wakes all K, and 3K/4 of them find nothing and wait again (spurious_wakes_per_msg shows them).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "listeners.hpp"
#include "marks.hpp"
#include "party.hpp"
#include "payload.hpp"
#include "pool_rig.hpp"
#include "spec.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/task.hpp"
#include "wakerbench/runtime/thread_pool.hpp"

namespace wakerbench::bench {

template <class Impl, class T, Mode M>
class FanoutRig : public PoolRig<Impl, T, M> {
    using Base = PoolRig<Impl, T, M>;
    using typename Base::Channel;

public:
    explicit FanoutRig(const Spec& spec) : Base(spec, 1), outbox_(spec.fanout_burst()) {
        auto [tx, rx] = make_channel<Impl, T>(spec.channel_capacity());
        this->observe(tx);
        listeners_.emplace(this->pool_, rx, spec.workload.width, arrivals_, Pace::yield_after_each);
        sender_ = rt::spawn(this->pool_, send_bursts(tx.async()));
        this->warm_up();
    }  // tx, rx go: the sender task and the listeners hold the channel's only handles

    ~FanoutRig() {
        this->rounds_.stop();
        sender_.get();  // its handle, the last sender, goes: the listeners see the channel closed
        listeners_->join();
        std::vector<Tally> all = listeners_->tallies();
        all.push_back(sent_);
        check_exactly_once(this->name_, all);
    }

private:
    rt::Task<void> send_bursts(AsyncSender<Channel> tx) {
        std::uint64_t key = 0;
        while (co_await this->rounds_.begin(0)) {
            for (std::size_t b = 0; b < Spec::kFanoutBursts; ++b) {
                for (T& item : outbox_) {
                    sent_.sent_keys += key;
                    item = Payload<T>::make(key++);
                }
                sent_.sent += outbox_.size();
                arrivals_.expect(sent_.sent);  // before the items exist: see Arrivals
                if (co_await tx.send_batch(std::span<T>(outbox_)) != outbox_.size())
                    fail_run(this->name_, "a burst stopped short on an open channel");
                co_await arrivals_.reached();
            }
            co_await this->rounds_.end(0);
        }
    }

    Arrivals arrivals_;
    std::vector<T> outbox_;  // the sender task's
    Tally sent_;             // the sender task's
    std::optional<Listeners<T>> listeners_;
    rt::JoinHandle<void> sender_;
};

}  // namespace wakerbench::bench
