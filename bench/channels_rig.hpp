#pragma once
// ChannelsRig<Impl, T, Mode::async>: channelsK. K unrelated channels, one receiving coroutine
// waiting on each, and one sending coroutine, all on one rt::ThreadPool. The sender sends each
// round in bursts: one item to each of the next K/4 channels in turn, then it waits until the
// burst has been received, so every send finds its channel's receiver suspended. Every message is
// then one wait and one wake, each in a different channel with one waiter.
//
// What it shows is where the wait lists live. For parking_lot the 2K lists share one process-wide
// table of buckets: a take walks past the waiters of other channels hashed to its bucket, and the
// sender and the receivers, on different workers, take the same bucket locks for unrelated
// channels. Every other row keeps each channel's waiters in the channel.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
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

namespace wakerbench::bench {

template <class Impl, class T, Mode M>
class ChannelsRig : public PoolRig<Impl, T, M> {
    using Base = PoolRig<Impl, T, M>;
    using typename Base::Channel;

public:
    explicit ChannelsRig(const Spec& spec) : Base(spec, 1), burst_(spec.fanout_burst()) {
        std::vector<AsyncSender<Channel>> senders;
        senders.reserve(spec.workload.width);
        for (std::size_t i = 0; i < spec.workload.width; ++i) {
            auto [tx, rx] = make_channel<Impl, T>(spec.channel_capacity());
            observers_.emplace_back(tx);
            listeners_.emplace_back(this->pool_, rx, 1, arrivals_, Pace::back_to_back);
            senders.push_back(tx.async());
        }
        sender_ = rt::spawn(this->pool_, send_bursts(std::move(senders)));
        this->warm_up();
    }  // tx, rx go: the sender task and the listeners hold the channels' only handles

    ~ChannelsRig() {
        this->rounds_.stop();
        sender_.get();  // its handles, the last senders, go: every listener sees its channel closed
        std::vector<Tally> all{sent_};
        for (Listeners<T>& l : listeners_) {
            l.join();
            all.insert(all.end(), l.tallies().begin(), l.tallies().end());
        }
        check_exactly_once(this->name_, all);
    }

    // The wait counters of all K channels (PoolRig's marks() reads one).
    [[nodiscard]] Marks marks() {
        WaitStats waits{};
        for (const ChannelObserver<Channel>& o : observers_) accumulate(waits, o.channel().stats());
        return process_marks(waits);
    }

private:
    rt::Task<void> send_bursts(std::vector<AsyncSender<Channel>> channels) {
        std::uint64_t key = 0;
        std::size_t next = 0;
        while (co_await this->rounds_.begin(0)) {
            for (std::size_t b = 0; b < Spec::kFanoutBursts; ++b) {
                sent_.sent += burst_;
                arrivals_.expect(sent_.sent);  // before the items exist: see Arrivals
                for (std::size_t i = 0; i < burst_; ++i) {
                    sent_.sent_keys += key;
                    if (!(co_await channels[next].send(Payload<T>::make(key++)))) fail_run(this->name_, "a send failed on an open channel");
                    next = (next + 1) % channels.size();
                }
                co_await arrivals_.reached();
            }
            co_await this->rounds_.end(0);
        }
    }

    const std::size_t burst_;
    Arrivals arrivals_;
    Tally sent_;  // the sender task's
    std::deque<ChannelObserver<Channel>> observers_;  // deque: neither is movable, and they never move
    std::deque<Listeners<T>> listeners_;
    rt::JoinHandle<void> sender_;
};

}  // namespace wakerbench::bench
