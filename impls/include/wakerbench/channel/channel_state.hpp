#pragma once
// ChannelState: what a watchdog prints about a channel that has stopped making progress. Taken
// while the parties may still be running, so the fields are each right but not necessarily at
// the same instant; and taken with try_lock, so a lock that someone holds forever (a deadlock)
// shows as `lock_busy` instead of hanging the watchdog too.

#include <cstddef>
#include <sstream>
#include <string>

namespace wakerbench {

struct ChannelState {
    std::size_t queued = 0;             // items sent and not yet received
    std::size_t receivers_waiting = 0;  // waiters linked in the receivers' wait list
    std::size_t senders_waiting = 0;    // waiters linked in the senders' wait list
    std::size_t receivers_pending = 0;  // handed a wake-up, not yet back (mutex rows only)
    std::size_t senders_pending = 0;
    std::size_t sender_handles = 0;     // live Sender / AsyncSender handles
    std::size_t receiver_handles = 0;
    bool senders_gone = false;    // closed for receivers: drain, then closed
    bool receivers_gone = false;  // closed for senders
    bool lock_busy = false;       // the lock stayed held: the fields under it were not read
};

inline std::string to_string(const ChannelState& s) {
    std::ostringstream out;
    out << "queued=" << s.queued << " receivers_waiting=" << s.receivers_waiting << " senders_waiting=" << s.senders_waiting
        << " receivers_pending=" << s.receivers_pending << " senders_pending=" << s.senders_pending
        << " sender_handles=" << s.sender_handles << " receiver_handles=" << s.receiver_handles
        << " senders_gone=" << s.senders_gone << " receivers_gone=" << s.receivers_gone;
    if (s.lock_busy) out << " LOCK HELD for 100 ms: wait lists and queue not read";
    return out.str();
}

}  // namespace wakerbench
