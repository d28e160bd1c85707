#pragma once

/// Countdown: a join for a known number of completions ("when all"); with a count of 1 it is a
/// one-shot event. Each part calls signal() once when it is done, from any thread; one awaiter
/// co_awaits wait(), which completes when the last signal has arrived — at once, without
/// suspending, if it already has — or fails with OperationCancelled when its stop token is
/// triggered first.
///
///     Countdown done("stager-and-writer", 2);
///     stager.onFinished([&done] { done.signal(); });
///     writer.onFlushed([&done] { done.signal(); });
///     co_await done.wait(stop);
///
/// Misuse is loud, never quiet: a signal beyond the count (a part that signalled twice) and a
/// second wait() throw MisuseError and change nothing; destroying a countdown while a wait it
/// returned is neither awaited nor dropped aborts with the countdown's name (the awaiter would
/// resume into, or read, freed memory).
/// Threads: signal() from any thread; wait() and the result on the awaiter's side. The awaiter
/// resumes on its own executor (the continuation is posted there).
/// Allocates: nothing after construction, on every path, the cancelled one included (its error is
/// made once, at construction).

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <stop_token>
#include <string>

#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/source_core.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::runtime {

class Countdown final : private ValueTaskSource<void>
{
public:
    /// A join of `count` parts (1 or more; 0 is refused with std::invalid_argument naming it).
    Countdown(std::string name, std::uint32_t count)
        : m_name(std::move(name))
        , m_remaining(count)
        , m_count(count)
    {
        if (count == 0) {
            throw std::invalid_argument("countdown '" + m_name + "' needs a count of at least 1");
        }
        m_token = m_core.version();
        m_cancelled = std::make_exception_ptr(OperationCancelled("wait for countdown '" + m_name + "' cancelled"));
    }

    Countdown(const Countdown &) = delete;
    Countdown &operator=(const Countdown &) = delete;

    ~Countdown() override
    {
        if (m_state.load(std::memory_order_acquire) == WaitState::Returned) {
            std::fprintf(stderr,
                         "countdown '%s' destroyed while a wait it returned is not yet awaited or dropped "
                         "(%u of %u signals missing)\n",
                         m_name.c_str(), remaining(), m_count);
            std::abort();
        }
        m_stopCallback.reset();
    }

    /// One part is done. The last one completes the wait. A signal beyond the count throws
    /// MisuseError naming the countdown.
    void signal()
    {
        std::uint32_t left = m_remaining.load(std::memory_order_relaxed);
        do {
            if (left == 0) {
                throw MisuseError("countdown '" + m_name + "' signalled more than its count of " +
                                  std::to_string(m_count) + ": a part signalled twice");
            }
        } while (!m_remaining.compare_exchange_weak(left, left - 1, std::memory_order_acq_rel,
                                                    std::memory_order_relaxed));
        if (left == 1) {
            static_cast<void>(m_core.trySetResult(m_token)); // refused only if a stop won first
        }
    }

    /// Waits for every signal; once per countdown (a second call throws MisuseError).
    [[nodiscard]] ValueTask<void> wait(std::stop_token stop = {})
    {
        WaitState expected = WaitState::NotStarted;
        if (!m_state.compare_exchange_strong(expected, WaitState::Returned, std::memory_order_acq_rel)) {
            throw MisuseError("countdown '" + m_name + "' waited on twice: it is a one-shot join");
        }
        if (!m_core.isCompleted()) {
            if (stop.stop_requested()) {
                static_cast<void>(m_core.trySetException(m_token, m_cancelled));
            } else if (stop.stop_possible()) {
                // Runs at once, on this thread, if a stop was requested meanwhile.
                m_stopCallback.emplace(std::move(stop), Cancel{this});
            }
        }
        return ValueTask<void>::fromSource(*this, m_token);
    }

    /// Signals still missing.
    [[nodiscard]] std::uint32_t remaining() const noexcept { return m_remaining.load(std::memory_order_acquire); }

    /// Whether every part has signalled.
    [[nodiscard]] bool isSet() const noexcept { return remaining() == 0; }

    [[nodiscard]] const std::string &name() const noexcept { return m_name; }

private:
    enum class WaitState : std::uint8_t { NotStarted, Returned, Done };

    struct Cancel {
        Countdown *self;
        void operator()() const noexcept
        {
            static_cast<void>(self->m_core.trySetException(self->m_token, self->m_cancelled));
        }
    };

    [[nodiscard]] SourceStatus status(Token token) const override { return m_core.status(token); }

    [[nodiscard]] bool suspendUntilCompleted(Continuation &continuation, Token token) override
    {
        return m_core.suspendUntilCompleted(continuation, token);
    }

    void result(Token token) override
    {
        m_state.store(WaitState::Done, std::memory_order_release);
        m_core.result(token);
    }

    void abandon(Token /*token*/) noexcept override
    {
        // Nothing to recycle: a countdown serves one operation. A completion after this is kept
        // and never read.
        m_state.store(WaitState::Done, std::memory_order_release);
        static_cast<void>(m_core.abandon());
    }

    std::string m_name;
    std::atomic<std::uint32_t> m_remaining;
    std::uint32_t m_count;
    std::atomic<WaitState> m_state{WaitState::NotStarted};
    SourceCore<void> m_core;
    Token m_token = 0;
    std::exception_ptr m_cancelled;
    std::optional<std::stop_callback<Cancel>> m_stopCallback;
};

} // namespace waferscope::runtime
