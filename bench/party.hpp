#pragma once
// One party of a workload as a coroutine: each round it runs `cycles` cycles of
//   send `sends` new items (batched) -> receive `receives` items (batched) -> echo them back.
// Producers, consumers, seq's single party, ping_pong's pinger and its echo are all settings of
// this one loop (see rig.hpp), so every workload measures the same send and receive code.
//
// Async parties run it: Ends<Channel, Mode::async> returns the channel's own awaitables, which
// suspend the coroutine and are resumed through its RunLoop or pool. Sync parties run the same
// cycle as plain loops (plain_party.hpp, which also says why). Buffers are sized before the first
// round, so in the steady state the loop itself allocates nothing (a str32 payload allocates its
// string when made: that is the payload's cost, not the channel's).

#include <algorithm>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "payload.hpp"
#include "spec.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/detail/die.hpp"
#include "wakerbench/runtime/task.hpp"

namespace wakerbench::bench {

template <class Channel, Mode M>
struct Ends;

// The awaitables of async handles: they suspend the party while it waits. (Sync parties of the
// thread workloads are plain loops: plain_party.hpp.)
template <class Channel>
struct Ends<Channel, Mode::async> {
    using T = typename Channel::value_type;
    AsyncSender<Channel> out;
    AsyncReceiver<Channel> in;

    Ends(const Sender<Channel>& tx, const Receiver<Channel>& rx) : out(tx.async()), in(rx.async()) {}
    auto send(T v) { return out.send(std::move(v)); }
    auto send_batch(std::span<T> items) { return out.send_batch(items); }
    auto recv() { return in.recv(); }
    auto recv_batch(std::vector<T>& into, std::size_t max) { return in.recv_batch(into, max); }
};

// What a party does each round.
struct Role {
    std::size_t cycles = 1;
    std::size_t sends = 0;     // new items sent per cycle
    std::size_t receives = 0;  // items received per cycle
    bool echo = false;         // after receiving, send the received items back (ping_pong's echo)
    std::uint64_t first_key = 0;  // keys of this party's new items count up from here
};

// What a party moved, for the exactly-once check: over the run, the keys received must sum to the
// keys sent. Written by the party's thread, read by the driving thread after the crew has stopped.
// A cache line each: parties on different threads update theirs with every item.
struct alignas(64) Tally {
    std::uint64_t sent = 0, sent_keys = 0;
    std::uint64_t received = 0, received_keys = 0;
};

[[noreturn]] inline void fail_run(const std::string& bench, const char* what) {
    detail::die((bench + ": " + what).c_str());
}

// The per-item loops, as plain functions: in the coroutine every variable lives in its frame, where
// each store to an item might alias the running sum, so the sum would go through memory per item.
// Returns the sum of the keys of the items made; `key` moves on past them.
template <class T>
std::uint64_t make_items(std::span<T> items, std::uint64_t& key) {
    std::uint64_t next = key, sum = 0;
    for (T& item : items) {
        sum += next;
        item = Payload<T>::make(next++);
    }
    key = next;
    return sum;
}
template <class T>
std::uint64_t key_sum(std::span<const T> items) noexcept {
    std::uint64_t sum = 0;
    for (const T& item : items) sum += Payload<T>::key(item);
    return sum;
}

// `rounds` paces the party: `co_await rounds.begin(me)` waits for the next round (false: stop),
// `co_await rounds.end(me)` reports this one done. A Crew (crew.hpp) blocks the party's thread at a
// barrier; PoolRounds (pool_rounds.hpp) suspends the party's task.
// `role` is borrowed: it lives in the rig (or the pool rig) that runs the party.
template <class T, class Rounds, class E>
rt::Task<void> party(Rounds& rounds, std::size_t me, E ends, const Role& role, std::size_t batch, std::string bench, Tally& tally) {
    std::vector<T> outbox(batch);  // a send moves at most a batch
    std::vector<T> inbox;
    inbox.reserve(batch);  // a receive takes at most a batch; the echo sends back one batch at a time
    std::uint64_t key = role.first_key;

    while (co_await rounds.begin(me)) {
        for (std::size_t c = 0; c < role.cycles; ++c) {
            for (std::size_t done = 0; done < role.sends;) {
                const std::size_t n = std::min(batch, role.sends - done);
                tally.sent_keys += make_items<T>(std::span<T>(outbox.data(), n), key);
                if (n == 1) {
                    if (!(co_await ends.send(std::move(outbox[0])))) fail_run(bench, "a send failed on an open channel");
                } else if (co_await ends.send_batch(std::span<T>(outbox.data(), n)) != n) {
                    fail_run(bench, "a batch send stopped short on an open channel");
                }
                done += n;
            }
            tally.sent += role.sends;

            for (std::size_t done = 0; done < role.receives;) {
                const std::size_t before = inbox.size();
                if (batch == 1) {
                    std::optional<T> v = co_await ends.recv();
                    if (!v) fail_run(bench, "a receive saw the channel closed mid-run");
                    inbox.push_back(std::move(*v));
                } else if (co_await ends.recv_batch(inbox, std::min(batch, role.receives - done)) == 0) {
                    fail_run(bench, "a batch receive saw the channel closed mid-run");
                }
                tally.received_keys += key_sum<T>(std::span<const T>(inbox).subspan(before));
                done += inbox.size() - before;
                if (!role.echo) inbox.clear();
            }
            tally.received += role.receives;

            if (role.echo && !inbox.empty()) {
                tally.sent_keys += key_sum<T>(inbox);
                const std::size_t n = inbox.size();
                if (n == 1) {
                    if (!(co_await ends.send(std::move(inbox[0])))) fail_run(bench, "an echo failed on an open channel");
                } else if (co_await ends.send_batch(std::span<T>(inbox)) != n) {
                    fail_run(bench, "an echo batch stopped short on an open channel");
                }
                tally.sent += n;
                inbox.clear();
            }
        }
        co_await rounds.end(me);
    }
}

}  // namespace wakerbench::bench
