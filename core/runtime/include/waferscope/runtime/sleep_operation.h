#pragma once

/// Timed waits on the current executor: `co_await sleepFor(10ms)`, `co_await sleepUntil(t)`.
/// Threads: must be awaited by a coroutine running on an executor with timers (a ThreadExecutor,
/// or a test's ManualExecutor); it resumes there.
/// Cancellation: when the executor shuts down, a pending sleep resumes at once and throws
/// OperationCancelled; so does a sleep whose stop token is triggered (a token already stopped
/// fails without suspending).
/// Allocates: nothing; the timer node and the stop callback live in the awaiter.

#include <chrono>
#include <coroutine>
#include <optional>
#include <stop_token>
#include <utility>

#include <waferscope/runtime/executor.h>

namespace waferscope::runtime {

namespace detail {
[[noreturn]] void throwSleepCancelled(const Executor *executor);
[[noreturn]] void throwSleepStopped(const Executor *executor);
[[noreturn]] void throwNoExecutor(const char *operation);
} // namespace detail

class [[nodiscard]] SleepOperation
{
public:
    explicit SleepOperation(TimePoint deadline, std::stop_token stop = {}) noexcept
        : m_stop(std::move(stop))
    {
        m_timer.deadline = deadline;
    }
    SleepOperation(const SleepOperation &) = delete;
    SleepOperation &operator=(const SleepOperation &) = delete;

    /// For an operation that is re-armed before each await (Ticker). Precondition: not suspended.
    void setDeadline(TimePoint deadline) noexcept
    {
        m_timer.deadline = deadline;
        m_timer.cancelled = false;
        m_timer.stopped = false;
    }

    [[nodiscard]] bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> handle)
    {
        m_executor = Executor::current();
        if (m_executor == nullptr) {
            detail::throwNoExecutor("sleep");
        }
        if (m_stop.stop_requested()) {
            m_timer.stopped = true;
            return false;
        }
        if (m_timer.deadline <= m_executor->now()) {
            return false;
        }
        m_timer.continuation.handle = handle;
        m_timer.continuation.executor = m_executor;
        m_executor->addTimer(m_timer);
        if (m_stop.stop_possible()) {
            // Runs at once when a stop was requested meanwhile: the timer is removed and posted.
            m_stopCallback.emplace(m_stop, Cancel{this});
        }
        return true;
    }
    void await_resume()
    {
        m_stopCallback.reset(); // waits for a cancellation running on another thread
        if (m_timer.cancelled) {
            detail::throwSleepCancelled(m_executor);
        }
        if (m_timer.stopped) {
            detail::throwSleepStopped(m_executor);
        }
    }

private:
    struct Cancel {
        SleepOperation *operation;
        void operator()() const noexcept { operation->m_executor->cancelTimer(operation->m_timer); }
    };

    TimerNode m_timer;
    Executor *m_executor = nullptr;
    std::stop_token m_stop;
    std::optional<std::stop_callback<Cancel>> m_stopCallback;
};

[[nodiscard]] inline SleepOperation sleepUntil(TimePoint deadline, std::stop_token stop = {}) noexcept
{
    return SleepOperation{deadline, std::move(stop)};
}

/// Sleeps for `duration` from now on the current executor's clock; `stop` ends it early.
[[nodiscard]] inline SleepOperation sleepFor(Clock::duration duration, std::stop_token stop = {})
{
    Executor *executor = Executor::current();
    if (executor == nullptr) {
        detail::throwNoExecutor("sleepFor");
    }
    return SleepOperation{executor->now() + duration, std::move(stop)};
}

} // namespace waferscope::runtime
