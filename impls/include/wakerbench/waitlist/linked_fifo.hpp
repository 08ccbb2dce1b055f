#pragma once
// A doubly-linked FIFO of nodes that live elsewhere (inside the waiters): the head and tail here,
// each node's prev and next in its Links. What `intrusive` (one list per wait list) and
// `parking_lot` (one list per bucket, shared by many wait lists) share. Nothing allocates.
//
// Every call needs the lock that guards the list, held by the caller: the channel's mutex for
// `intrusive`, the bucket's for `parking_lot`. A node is in at most one list at a time.

namespace wakerbench::detail {

template <class Sync, class Node>
class LinkedFifo {
    template <class T>
    using cell = typename Sync::template cell<T>;

public:
    // Embedded in Node as a member named links_ (Node befriends LinkedFifo).
    struct Links {
        cell<Node*> prev{nullptr};
        cell<Node*> next{nullptr};
    };

    LinkedFifo() = default;
    LinkedFifo(const LinkedFifo&) = delete;
    LinkedFifo& operator=(const LinkedFifo&) = delete;

    [[nodiscard]] Node* front() const noexcept { return head_.read(); }
    [[nodiscard]] static Node* next(const Node& n) noexcept { return n.links_.next.read(); }

    // Precondition: n is in no list.
    void push_back(Node& n) noexcept {
        Node* old_tail = tail_.read();
        n.links_.prev.write() = old_tail;
        n.links_.next.write() = nullptr;
        (old_tail ? old_tail->links_.next.write() : head_.write()) = &n;
        tail_.write() = &n;
    }

    // Precondition: n is in this list. Afterwards it is in none.
    void erase(Node& n) noexcept {
        Node* prev = n.links_.prev.read();
        Node* next = n.links_.next.read();
#ifndef NDEBUG
        if ((prev ? prev->links_.next.read() : head_.read()) != &n || (next ? next->links_.prev.read() : tail_.read()) != &n)
            Sync::fatal("linked list: a node's neighbours do not point back at it (not in this list, or the list is corrupted)");
#endif
        (prev ? prev->links_.next.write() : head_.write()) = next;
        (next ? next->links_.prev.write() : tail_.write()) = prev;
        n.links_.prev.write() = nullptr;
        n.links_.next.write() = nullptr;
    }

    // Walks the list: each node's prev is the node before it, and the last node is the tail.
    // O(n), for the audit (audited.hpp); a break is fatal.
    void check_shape() const noexcept {
        const Node* before = nullptr;
        for (const Node* n = head_.read(); n != nullptr; before = n, n = n->links_.next.read())
            if (n->links_.prev.read() != before) Sync::fatal("linked list: a node's prev is not the node before it");
        if (tail_.read() != before) Sync::fatal("linked list: the tail is not the last node");
    }

private:
    cell<Node*> head_{nullptr};
    cell<Node*> tail_{nullptr};
};

}  // namespace wakerbench::detail
