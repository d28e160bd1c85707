#pragma once

// Do not include directly: include <waferscope/runtime/thread_executor.h> instead.

/// Many-producer, one-consumer queue of Continuations, intrusive through Continuation::next.
/// Producers push onto a lock-free stack (one CAS); the consumer takes the whole stack with one
/// exchange and reverses it, so it runs posts in FIFO order per producer. Taking everything at once
/// means the consumer never pops a single node, so there is no ABA problem.
/// Allocates: nothing.

#include <atomic>

#include <waferscope/runtime/executor.h>

namespace waferscope::runtime::detail {

class RunQueue
{
public:
    /// Returns true when the queue was empty before this push.
    bool push(Continuation &node) noexcept
    {
        Continuation *head = m_head.load(std::memory_order_relaxed);
        do {
            node.next = head;
            // seq_cst rather than release: besides publishing the node to the consumer, the push
            // takes part in the executor's parking handshake (push, then read "parked"; against
            // store "parked", then read the queue), which needs a single total order.
        } while (!m_head.compare_exchange_weak(head, &node, std::memory_order_seq_cst, std::memory_order_relaxed));
        return head == nullptr;
    }

    /// seq_cst for the parking handshake described at push().
    [[nodiscard]] bool empty() const noexcept { return m_head.load(std::memory_order_seq_cst) == nullptr; }

    /// Takes every queued node, oldest first, as a linked list through next.
    Continuation *takeAll() noexcept
    {
        Continuation *node = m_head.exchange(nullptr, std::memory_order_acquire);
        Continuation *reversed = nullptr;
        while (node != nullptr) {
            Continuation *next = node->next;
            node->next = reversed;
            reversed = node;
            node = next;
        }
        return reversed;
    }

private:
    std::atomic<Continuation *> m_head{nullptr};
};

} // namespace waferscope::runtime::detail
