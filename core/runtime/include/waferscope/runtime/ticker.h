#pragma once

/// Ticker: a periodic, drift-free tick on the current executor, for pollers and monitors:
///   Ticker ticker(5ms);  for (;;) { const auto ticks = co_await ticker.next(); ... }
/// next() resumes at the next multiple of the period after the ticker's start and returns how many
/// periods have passed since the previous tick: 1 normally, more when the loop fell behind (the
/// missed ticks are counted in missedTicks(), not replayed).
/// Threads: one coroutine awaits it, on an executor with timers. Cancellation: as SleepOperation;
/// next(stop) ends the wait with OperationCancelled when `stop` is triggered.
/// Allocates: nothing.

#include <cstdint>

#include <waferscope/runtime/sleep_operation.h>

namespace waferscope::runtime {

class Ticker
{
public:
    explicit Ticker(Clock::duration period) noexcept
        : m_period(period)
    {
    }

    class [[nodiscard]] TickOperation
    {
    public:
        TickOperation(Ticker &ticker, std::stop_token stop) noexcept
            : m_ticker(ticker)
            , m_sleep(TimePoint{}, std::move(stop))
        {
        }
        [[nodiscard]] bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> handle)
        {
            Executor *executor = Executor::current();
            if (executor == nullptr) {
                detail::throwNoExecutor("Ticker::next");
            }
            m_ticker.startIfNeeded(executor->now());
            m_sleep.setDeadline(m_ticker.m_next);
            return m_sleep.await_suspend(handle);
        }
        std::uint64_t await_resume()
        {
            m_sleep.await_resume();
            return m_ticker.advance(Executor::current()->now());
        }

    private:
        Ticker &m_ticker;
        SleepOperation m_sleep;
    };

    [[nodiscard]] TickOperation next(std::stop_token stop = {}) noexcept { return TickOperation{*this, std::move(stop)}; }

    [[nodiscard]] Clock::duration period() const noexcept { return m_period; }
    [[nodiscard]] std::uint64_t ticks() const noexcept { return m_ticks; }
    [[nodiscard]] std::uint64_t missedTicks() const noexcept { return m_missed; }

private:
    void startIfNeeded(TimePoint now) noexcept
    {
        if (!m_started) {
            m_started = true;
            m_next = now + m_period;
        }
    }

    /// Precondition: now >= m_next. Moves m_next past now and returns the periods elapsed.
    std::uint64_t advance(TimePoint now) noexcept
    {
        const auto elapsed = static_cast<std::uint64_t>((now - m_next) / m_period) + 1;
        m_next += m_period * static_cast<Clock::rep>(elapsed);
        m_ticks += 1;
        m_missed += elapsed - 1;
        return elapsed;
    }

    Clock::duration m_period;
    TimePoint m_next{};
    bool m_started = false;
    std::uint64_t m_ticks = 0;
    std::uint64_t m_missed = 0;
};

} // namespace waferscope::runtime
