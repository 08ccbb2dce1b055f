#pragma once
// Seeded bugs, for proving that the model checker (stress/relacy) finds what it claims to find.
//
// Every Sync policy answers `static bool injects(Fault)`. StdSync's answer is a constexpr false,
// so each `if (Sync::injects(Fault::...))` in the implementations is dead code the compiler
// removes from every real build; only the checker's RelacySync arms one fault at a time. Each
// fault is a one-line departure at the place where the real mistake would be made, of a kind that
// channel and synchronisation libraries have had to fix:
namespace wakerbench {

enum class Fault : unsigned char {
    none,
    // A waiter checks the condition under the lock, releases it, and links itself in a second
    // critical section without checking again: a notify in between finds nobody to wake (the
    // lost wake-up that condition variables exist to prevent). In the event count: a commit that
    // ignores the epoch.
    link_without_recheck,
    // A waiter that was handed a wake-up and is then cancelled (a dropped future, a timed-out
    // thread) removes itself but does not pass the wake-up on: the item it was woken for strands
    // the next waiter. tokio's Notify and the event-listener crate forward the notification of a
    // dropped waiter for this reason.
    cancel_without_pass_on,
    // A cancelled waiter unlinks its node without taking the lock that guards the list.
    unlink_outside_lock,
    // A wake-all that goes round again takes waiters that linked after it started: woken waiters
    // that re-link are woken again and again, and the notifier never finishes.
    wake_all_ignores_mark,
    // The event count's notifier checks for announced waiters with an acquire load instead of a
    // seq_cst one: the Dekker handshake breaks and a notify can miss a waiter that is about to sleep.
    eventcount_weak_order,
    // Receivers take the close as the end of the data, like a sentinel that overtakes items in
    // the queue: items sent before the close but not yet claimed are never delivered.
    close_overtakes_data,
    // A slab's take trusts a queued ticket whose slot is occupied, without checking that the slot
    // still belongs to that ticket's link: a cancelled waiter's key, reused by a later link, wakes
    // the newcomer ahead of older waiters. Nothing is lost, so only a wake-order check sees it
    // (the generation/ABA check every slab-with-free-list needs, as in the slab crate's keys).
    reused_key_out_of_turn,
    // A wake that fills its batch goes round again only for the receivers' batch: a close that
    // releases more senders than a batch holds leaves the rest asleep until something else
    // happens on the channel.
    wake_round_forgets_senders,
    // The lock-free receiver's end-of-data test reads the item count before the closed flag: an
    // item published and the channel closed between the two reads is taken for the end, and is
    // never delivered.
    drained_reads_count_first,
    // A waiter destroyed while linked (a dropped future, a thread leaving by exception) forgets to
    // withdraw: the list keeps pointing into the dead frame. The library aborts on it
    // (PinnedSlot); the model checker must report it as a failed execution, not die with it.
    drop_without_withdraw,
    // The thread parker's unpark issues its futex notify before it stores kNotified: a thread that
    // checked the state just before, and sleeps just after the notify, sleeps through the store.
    unpark_notifies_first,
    // The deadline parker's timeout disarms with a plain store instead of a compare-exchange: a
    // wake that landed between the timeout and the store is wiped out, and the waiter, told it
    // timed out although its waker was taken, parks for a wake that has already come and gone.
    timeout_overwrites_wake,
    // The deadline parker's unpark makes the wake syscall only when it finds kEmpty, not kParked
    // (the two states swapped): a thread asleep in the kernel is never woken.
    unpark_misreads_parked,
    // A wake that finds its task running returns without marking it notified, so the task
    // suspends, idle, with the wake-up it was sent lost (the executor's "woken while running").
    wake_while_running_dropped,
    // A task that suspends marks itself idle with a plain store instead of a compare-exchange
    // from the state it read: a wake that arrived meanwhile (kNotified) is wiped out.
    suspend_overwrites_wake,
    // A task that suspends hands its frames over with a relaxed compare-exchange instead of a
    // release: the executor thread that runs it next may read its suspension point unordered.
    frames_handed_over_relaxed,
};

// The last enumerator, for code that lists every fault (wb_stress --fault's valid names).
constexpr Fault kLastFault = Fault::frames_handed_over_relaxed;

// Where a fault is planted: in a channel (its core, wait list or event count), in the parkers that
// blocked threads sleep on, or in the task runtime. wb_stress arms only channel faults: it runs the
// parkers and the runtime as shipped, and wb_modelcheck's `parkers` and `runtime` checks find the
// others.
enum class FaultSite { channel, parker, runtime };

// Every enumerator is listed (no default), so -Wswitch makes a new fault choose its site.
constexpr FaultSite fault_site(Fault f) noexcept {
    switch (f) {
        case Fault::unpark_notifies_first:
        case Fault::timeout_overwrites_wake:
        case Fault::unpark_misreads_parked: return FaultSite::parker;
        case Fault::wake_while_running_dropped:
        case Fault::suspend_overwrites_wake:
        case Fault::frames_handed_over_relaxed: return FaultSite::runtime;
        case Fault::none:
        case Fault::link_without_recheck:
        case Fault::cancel_without_pass_on:
        case Fault::unlink_outside_lock:
        case Fault::wake_all_ignores_mark:
        case Fault::eventcount_weak_order:
        case Fault::close_overtakes_data:
        case Fault::reused_key_out_of_turn:
        case Fault::wake_round_forgets_senders:
        case Fault::drained_reads_count_first:
        case Fault::drop_without_withdraw: return FaultSite::channel;
    }
    return FaultSite::channel;
}

constexpr const char* fault_name(Fault f) noexcept {
    switch (f) {
        case Fault::none: return "none";
        case Fault::link_without_recheck: return "link_without_recheck";
        case Fault::cancel_without_pass_on: return "cancel_without_pass_on";
        case Fault::unlink_outside_lock: return "unlink_outside_lock";
        case Fault::wake_all_ignores_mark: return "wake_all_ignores_mark";
        case Fault::eventcount_weak_order: return "eventcount_weak_order";
        case Fault::close_overtakes_data: return "close_overtakes_data";
        case Fault::reused_key_out_of_turn: return "reused_key_out_of_turn";
        case Fault::wake_round_forgets_senders: return "wake_round_forgets_senders";
        case Fault::drained_reads_count_first: return "drained_reads_count_first";
        case Fault::drop_without_withdraw: return "drop_without_withdraw";
        case Fault::unpark_notifies_first: return "unpark_notifies_first";
        case Fault::timeout_overwrites_wake: return "timeout_overwrites_wake";
        case Fault::unpark_misreads_parked: return "unpark_misreads_parked";
        case Fault::wake_while_running_dropped: return "wake_while_running_dropped";
        case Fault::suspend_overwrites_wake: return "suspend_overwrites_wake";
        case Fault::frames_handed_over_relaxed: return "frames_handed_over_relaxed";
    }
    return "?";
}

}  // namespace wakerbench
