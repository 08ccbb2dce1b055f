#pragma once
// PlainParty: a party's work as plain loops of blocking calls, for the sync mode of the thread
// workloads (rig.hpp) and for the plain-loop references (reference.hpp). One round is the cycle
// party.hpp's coroutine runs: send `sends` new items (batched), receive `receives` (batched), echo
// them back.
//
// Why sync parties are not that coroutine: there every await is ready, but every variable still
// lives in the coroutine frame, and each blocking call's result goes through it. perf put a third
// of seq's time (u64, batch 1) in the coroutine's own code, stalls on reloading what it had just
// stored; as plain code the same loop costs what a hand-written one does. Async parties must be
// coroutines, and stay one.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "party.hpp"
#include "wakerbench/channel/handles.hpp"

namespace wakerbench::bench {

template <class Channel>
class PlainParty {
    using T = typename Channel::value_type;

public:
    // out or in may be null for a party that only receives or only sends. Both are borrowed.
    PlainParty(Sender<Channel>* out, Receiver<Channel>* in, std::size_t batch, std::string bench, std::uint64_t first_key)
        : out_(out), in_(in), batch_(batch), bench_(std::move(bench)), outbox_(batch), key_(first_key) {
        inbox_.reserve(batch);  // a receive takes at most a batch; the echo sends back one batch at a time
    }

    // One round of `role`.
    void run(const Role& role, Tally& tally) {
        for (std::size_t c = 0; c < role.cycles; ++c) {
            for (std::size_t sent = 0; sent < role.sends; sent += batch_) send_new(std::min(batch_, role.sends - sent), tally);
            for (std::size_t got = 0; got < role.receives;) {
                const std::size_t n = receive(std::min(batch_, role.receives - got), tally, role.echo);
                if (n == 0) fail_run(bench_, "a receive saw the channel closed mid-run");
                got += n;
            }
            if (role.echo && !inbox_.empty()) echo(tally);
        }
    }

    // Receives until the channel is closed and drained (a reference's consumer).
    void drain(Tally& tally) {
        while (receive(batch_, tally, false) != 0) {
        }
    }

private:
    void send_new(std::size_t n, Tally& tally) {
        tally.sent_keys += make_items<T>(std::span<T>(outbox_.data(), n), key_);
        send(std::span<T>(outbox_.data(), n));
        tally.sent += n;
    }
    void echo(Tally& tally) {
        tally.sent_keys += key_sum<T>(inbox_);
        send(std::span<T>(inbox_));
        tally.sent += inbox_.size();
        inbox_.clear();
    }
    void send(std::span<T> items) {
        const bool all = items.size() == 1 ? bool(out_->send(std::move(items[0]))) : out_->send_batch(items) == items.size();
        if (!all) fail_run(bench_, "a send failed on an open channel");
    }
    // Receives up to max; returns how many (0: closed and drained). Kept in the inbox if `keep`
    // (to echo them), dropped otherwise.
    std::size_t receive(std::size_t max, Tally& tally, bool keep) {
        std::size_t n = 0;
        if (max == 1 && !keep) {
            std::optional<T> v = in_->recv();
            if (!v) return 0;
            tally.received_keys += Payload<T>::key(*v);
            n = 1;
        } else {
            const std::size_t before = inbox_.size();
            if (max == 1) {
                std::optional<T> v = in_->recv();
                if (v) inbox_.push_back(std::move(*v));
            } else {
                in_->recv_batch(inbox_, max);
            }
            n = inbox_.size() - before;
            tally.received_keys += key_sum<T>(std::span<const T>(inbox_).subspan(before));
            if (!keep) inbox_.clear();
        }
        tally.received += n;
        return n;
    }

    Sender<Channel>* out_;
    Receiver<Channel>* in_;
    std::size_t batch_;
    std::string bench_;
    std::vector<T> outbox_;
    std::vector<T> inbox_;
    std::uint64_t key_;
};

}  // namespace wakerbench::bench
