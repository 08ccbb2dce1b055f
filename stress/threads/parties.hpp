#pragma once
// The producers and consumers of a stress run: on a thread through a Sender / Receiver (blocking,
// deadline or polling calls), or as a task through an AsyncSender / AsyncReceiver. The loops are
// the same for all; what differs is one operation, and the books (books.hpp) record everything.

#include <chrono>
#include <cstddef>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "books.hpp"
#include "context.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/runtime/task.hpp"

namespace wakerbench::stress {

// ---- one operation on a thread -----------------------------------------------------------------

// Sends items through tx as the party's API does it; returns how many went in (fewer only if the
// channel closed, with the rest left in items).
template <class Channel, class T>
std::size_t send_on_thread(Sender<Channel>& tx, std::vector<T>& items, const PartyPlan& plan) {
    if (plan.api == Api::blocking && items.size() > 1) return tx.send_batch(std::span<T>(items));
    const auto timeout = std::chrono::microseconds(plan.timeout_us);
    for (std::size_t k = 0; k < items.size(); ++k) {
        for (;;) {  // a full channel hands the item back: offer it again
            auto r = plan.api == Api::blocking ? tx.send(std::move(items[k]))
                     : plan.api == Api::deadline ? tx.send_for(std::move(items[k]), timeout)
                                                 : tx.try_send(std::move(items[k]));
            if (r.sent()) break;
            items[k] = std::move(r).value();
            if (r.closed()) return k;
            if (plan.api == Api::polling) std::this_thread::yield();
        }
    }
    return items.size();
}

// Receives up to max items through rx and delivers them; false once the channel is closed and
// drained. Deadline and polling parties also come back empty-handed when told to leave.
template <class Channel, class T>
bool receive_on_thread(Receiver<Channel>& rx, ConsumerBook<T>& book, std::size_t max) {
    const PartyPlan& plan = book.plan();
    if (plan.api == Api::blocking) {
        if (max == 1) {
            auto item = rx.recv();
            if (!item) return false;
            book.deliver(*item);
            return true;
        }
        if (rx.recv_batch(book.out(), max) == 0) return false;
        book.deliver_out();
        return true;
    }
    for (;;) {
        if (plan.api == Api::polling && max > 1 && rx.try_recv_batch(book.out(), max) > 0) {
            book.deliver_out();
            return true;
        }
        auto r = plan.api == Api::deadline ? rx.recv_for(std::chrono::microseconds(plan.timeout_us)) : rx.try_recv();
        if (r.received()) {
            book.deliver(*r);
            return true;
        }
        if (r.closed()) return false;  // (try_recv_batch cannot tell empty from closed; try_recv can)
        if (book.should_leave()) return true;
        if (plan.api == Api::polling) std::this_thread::yield();
    }
}

// ---- the parties -------------------------------------------------------------------------------

template <class Channel, class T = typename Channel::value_type>
void produce_on_thread(Sender<Channel> tx, PartyExit exit, RunContext& ctx, std::size_t index) {
    ProducerBook<T> book(ctx, index);
    while (book.more()) {
        std::vector<T>& items = book.create();
        if (!book.finish(send_on_thread(tx, items, book.plan()))) break;
    }
    exit.completed();
}

template <class Channel, class T = typename Channel::value_type>
void consume_on_thread(Receiver<Channel> rx, PartyExit exit, RunContext& ctx, std::size_t index) {
    ConsumerBook<T> book(ctx, index);
    while (!book.should_leave()) {
        const bool open = receive_on_thread(rx, book, book.begin());
        book.end();
        if (!open) {
            exit.saw_closed();
            break;
        }
    }
    exit.completed();
}

// Coroutine parties: the handles and the PartyExit are parameters, so they live in the frame and
// go with it when the monitor cancels the task, wherever it is suspended.
template <class Channel, class T = typename Channel::value_type>
rt::Task<void> produce_in_task(AsyncSender<Channel> tx, PartyExit exit, RunContext& ctx, std::size_t index) {
    ProducerBook<T> book(ctx, index);
    while (book.more()) {
        std::vector<T>& items = book.create();
        std::size_t sent = 0;
        if (items.size() == 1) {
            auto r = co_await tx.send(std::move(items[0]));
            if (r.sent()) sent = 1;
            else items[0] = std::move(r).value();
        } else {
            sent = co_await tx.send_batch(std::span<T>(items));
        }
        if (!book.finish(sent)) break;
    }
    exit.completed();
}

template <class Channel, class T = typename Channel::value_type>
rt::Task<void> consume_in_task(AsyncReceiver<Channel> rx, PartyExit exit, RunContext& ctx, std::size_t index) {
    ConsumerBook<T> book(ctx, index);
    while (!book.should_leave()) {
        const std::size_t max = book.begin();
        bool open = true;
        if (max == 1) {
            auto item = co_await rx.recv();
            if (item) book.deliver(*item);
            else open = false;
        } else {
            open = co_await rx.recv_batch(book.out(), max) > 0;
            book.deliver_out();
        }
        book.end();
        if (!open) {
            exit.saw_closed();
            break;
        }
    }
    exit.completed();
}

}  // namespace wakerbench::stress
