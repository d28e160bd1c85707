#pragma once

// Do not include directly: include <waferscope/runtime/thread_executor.h> instead.

/// Timers of one executor, kept in deadline order in an intrusive singly linked list: insertion is
/// O(n) in pending timers, which stay few (a handful of pollers and monitors per executor), and
/// nothing is allocated. Threads: the owning executor's thread only.

#include <waferscope/runtime/executor.h>

namespace waferscope::runtime::detail {

class TimerList
{
public:
    void insert(TimerNode &timer) noexcept
    {
        TimerNode **link = &m_head;
        while (*link != nullptr && (*link)->deadline <= timer.deadline) {
            link = &(*link)->next;
        }
        timer.next = *link;
        *link = &timer;
    }

    [[nodiscard]] bool empty() const noexcept { return m_head == nullptr; }
    /// Precondition: !empty().
    [[nodiscard]] TimePoint nextDeadline() const noexcept { return m_head->deadline; }

    /// Removes and returns the earliest timer if it is due at `now`, else nullptr.
    TimerNode *popDue(TimePoint now) noexcept
    {
        if (m_head == nullptr || m_head->deadline > now) {
            return nullptr;
        }
        TimerNode *timer = m_head;
        m_head = timer->next;
        timer->next = nullptr;
        return timer;
    }

    /// Removes `timer` if it is in the list; returns whether it was.
    bool remove(TimerNode &timer) noexcept
    {
        for (TimerNode **link = &m_head; *link != nullptr; link = &(*link)->next) {
            if (*link == &timer) {
                *link = timer.next;
                timer.next = nullptr;
                return true;
            }
        }
        return false;
    }

    /// Removes and returns the earliest timer, due or not; nullptr when empty.
    TimerNode *popAny() noexcept
    {
        TimerNode *timer = m_head;
        if (timer != nullptr) {
            m_head = timer->next;
            timer->next = nullptr;
        }
        return timer;
    }

    [[nodiscard]] std::size_t size() const noexcept
    {
        std::size_t n = 0;
        for (const TimerNode *t = m_head; t != nullptr; t = t->next) {
            ++n;
        }
        return n;
    }

private:
    TimerNode *m_head = nullptr;
};

} // namespace waferscope::runtime::detail
