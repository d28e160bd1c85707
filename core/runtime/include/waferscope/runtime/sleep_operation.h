#pragma once

/// Timed waits on the current executor: `co_await sleepFor(10ms)`, `co_await sleepUntil(t)`.
/// Threads: must be awaited by a coroutine running on an executor with timers (a ThreadExecutor,
/// or a test's ManualExecutor); it resumes there.
/// Cancellation: when the executor shuts down, a pending sleep resumes at once and throws
/// OperationCancelled.
/// Allocates: nothing; the timer node lives in the awaiter.

#include <chrono>
#include <coroutine>

#include <waferscope/runtime/executor.h>

namespace waferscope::runtime {

namespace detail {
[[noreturn]] void throwSleepCancelled(const Executor *executor);
[[noreturn]] void throwNoExecutor(const char *operation);
} // namespace detail

class [[nodiscard]] SleepOperation
{
public:
    explicit SleepOperation(TimePoint deadline) noexcept
    {
        m_timer.deadline = deadline;
    }
    [[nodiscard]] bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> handle)
    {
        m_executor = Executor::current();
        if (m_executor == nullptr) {
            detail::throwNoExecutor("sleep");
        }
        if (m_timer.deadline <= m_executor->now()) {
            return false;
        }
        m_timer.continuation.handle = handle;
        m_timer.continuation.executor = m_executor;
        m_executor->addTimer(m_timer);
        return true;
    }
    void await_resume() const
    {
        if (m_timer.cancelled) {
            detail::throwSleepCancelled(m_executor);
        }
    }

private:
    TimerNode m_timer;
    Executor *m_executor = nullptr;
};

[[nodiscard]] inline SleepOperation sleepUntil(TimePoint deadline) noexcept
{
    return SleepOperation{deadline};
}

/// Sleeps for `duration` from now on the current executor's clock.
[[nodiscard]] inline SleepOperation sleepFor(Clock::duration duration)
{
    Executor *executor = Executor::current();
    if (executor == nullptr) {
        detail::throwNoExecutor("sleepFor");
    }
    return SleepOperation{executor->now() + duration};
}

} // namespace waferscope::runtime
