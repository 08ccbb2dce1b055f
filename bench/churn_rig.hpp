#pragma once
// ChurnRig<Impl, T, M>: churnN. N receivers wait on one channel: N-1 listeners (coroutines that
// receive until the channel closes) and one churner, which links and withdraws over and over, so a
// round is made of withdrawals from a list N long. Each cycle is one wait that is given up:
//   mode:sync   recv_for(0): the deadline is due by the time the waiter has linked, so it withdraws
//               at once (the timed park returns without sleeping): a timed-out wait, without the sleep;
//   mode:async  a coroutine is spawned, runs until it is suspended in recv (linked), and is
//               cancelled there: its awaiter withdraws as the frame is destroyed.
// Every kChurnCyclesPerSend cycles the churner first sends one item, which wakes a listener (the
// oldest, on the wake-one lists; every one, on the wake-all ones), and lets the woken run before
// it goes on: one of them takes the item and links again (on a wake-all list, so do the others,
// for nothing). So the churner's own waits all end withdrawn, kChurnCyclesPerSend per item, and
// the items go to the waiters that have waited longest.
//
// Everything runs on the driving thread: the churner's own calls, and the listeners and the
// churner's coroutines on one RunLoop that it runs after every send and every cycle. So the round
// is deterministic (no other thread, no futex, no scheduler), and what differs between rows is
// what their wait lists do. The churner's cycles are timed apart from the sends and the listeners'
// runs between them: ns_per_cancel is that time per withdrawn wait, where the vector rows' O(n)
// erase meets the O(1) unlinks; a wake-all list's waking of every listener per item shows in
// ns_per_msg and spurious_wakes_per_msg instead.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "listeners.hpp"
#include "marks.hpp"
#include "party.hpp"
#include "payload.hpp"
#include "spec.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/runtime/run_loop.hpp"
#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/task.hpp"

namespace wakerbench::bench {

template <class Impl, class T, Mode M>
class ChurnRig {
    using Channel = typename Impl::template channel<T>;

public:
    // Everything runs on the driving thread already: counted (wb_bench --count) as it is timed.
    using counted_rig = ChurnRig;

    explicit ChurnRig(const Spec& spec) : spec_(spec), name_(spec.name()) {
        auto [tx, rx] = make_channel<Impl, T>(spec.channel_capacity());
        listeners_.emplace(loop_, rx, spec.workload.width - 1, arrivals_, Pace::back_to_back);
        loop_.run_until_idle();  // every listener links
        tx_.emplace(std::move(tx));
        rx_.emplace(std::move(rx));
        for (std::size_t r = 0; r < kWarmupRounds; ++r) round();
    }
    ChurnRig(const ChurnRig&) = delete;
    ChurnRig& operator=(const ChurnRig&) = delete;

    ~ChurnRig() {
        tx_.reset();  // the last sender: the listeners see the channel closed and finish
        loop_.run_until_idle();
        if (!listeners_->done()) fail_run(name_, "a listener did not see the channel close");
        listeners_->join();
        std::vector<Tally> all = listeners_->tallies();
        all.push_back(mine_);
        check_exactly_once(name_, all);
    }

    double round() {
        const auto t0 = std::chrono::steady_clock::now();
        for (std::size_t c = 0; c < Spec::kChurnCycles; c += Spec::kChurnCyclesPerSend) {
            send_one();
            loop_.run_until_idle();  // the listener(s) it woke run: one takes the item, all link again
            const auto w0 = std::chrono::steady_clock::now();
            for (std::size_t i = 0; i < Spec::kChurnCyclesPerSend; ++i) cycle();
            withdrawing_ns_ += std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - w0).count());
        }
        const auto t1 = std::chrono::steady_clock::now();
        if (arrivals_.count() != mine_.sent) fail_run(name_, "an item sent was not received by the end of the round (a lost wake-up)");
        return std::chrono::duration<double>(t1 - t0).count();
    }
    [[nodiscard]] std::size_t round_messages() const noexcept { return spec_.round_messages(); }
    [[nodiscard]] Marks marks() { return process_marks(tx_->channel(), cancellations_, withdrawing_ns_); }

private:
    void send_one() {
        mine_.sent_keys += key_;
        ++mine_.sent;
        if (!tx_->send(Payload<T>::make(key_++))) fail_run(name_, "a send failed on an open channel");
    }

    void received(T&& item) {
        mine_.received_keys += Payload<T>::key(item);
        ++mine_.received;
        arrivals_.arrive();
    }

    // One wait, given up (an item is there first only if a listener failed to take the last one).
    void cycle() {
        if constexpr (M == Mode::sync) {
            TryRecvResult<T> r = rx_->recv_for(std::chrono::nanoseconds(0));
            if (r.received()) received(*std::move(r));
            else if (r.empty()) ++cancellations_;
            else fail_run(name_, "a timed receive saw the channel closed mid-run");
        } else {
            rt::JoinHandle<void> waiter = rt::spawn(loop_, wait_once(rx_->async()));
            loop_.run_until_idle();  // it links and suspends (or finds an item and finishes)
            waiter.cancel();
            loop_.run_until_idle();  // its frame is destroyed and the awaiter withdraws
            if (waiter.cancelled()) ++cancellations_;
            else waiter.get();
        }
    }

    rt::Task<void> wait_once(AsyncReceiver<Channel> rx) {
        std::optional<T> v = co_await rx.recv();
        if (!v) fail_run(name_, "a receive saw the channel closed mid-run");
        received(std::move(*v));
    }

    Spec spec_;
    std::string name_;
    Arrivals arrivals_;
    rt::RunLoop loop_;  // the listeners and the churner's coroutines, run on the driving thread
    std::optional<Listeners<T>> listeners_;
    std::optional<Sender<Channel>> tx_;
    std::optional<Receiver<Channel>> rx_;
    Tally mine_;
    std::uint64_t key_ = 0;
    std::uint64_t cancellations_ = 0;
    std::uint64_t withdrawing_ns_ = 0;  // time in the churner's own cycles, the sends and wake-ups between them left out
};

}  // namespace wakerbench::bench
