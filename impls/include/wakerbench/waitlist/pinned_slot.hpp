#pragma once
// What every wait list's per-waiter node shares: it is pinned (the list may hold its address or
// key while it is linked), and destroying it while linked is a bug that would leave the list
// pointing at a dead waiter, so it aborts with a message instead.


namespace wakerbench::detail {

template <class Sync>
class PinnedSlot {
public:
    PinnedSlot() = default;
    PinnedSlot(const PinnedSlot&) = delete;
    PinnedSlot& operator=(const PinnedSlot&) = delete;
    ~PinnedSlot() {
        if (linked_.read()) Sync::fatal("wait list: a waiter was destroyed while still linked (it must unlink first)");
    }

protected:
    // Linked, and the outcome (withdrawn, or taken by a notify) not yet observed by unlink().
    // Guarded by the channel mutex.
    typename Sync::template cell<bool> linked_{false};
};

// Called from a wait list's destructor.
template <class Sync>
void die_if_waiters_remain(bool remain) noexcept {
    if (remain) Sync::fatal("wait list: destroyed while waiters are still linked (they would dangle)");
}

}  // namespace wakerbench::detail
