#pragma once

/// SourceCore<T>: the reusable heart of a pooled completion source (the analogue of .NET's
/// ManualResetValueTaskSourceCore<T>). An owner embeds one, hands out ValueTasks carrying
/// version(), completes it once, lets the awaiter take the result, then reset()s it for the next
/// operation.
///
/// States (m_state): Pending → Waiting (a continuation is registered) → Completed, or
///                   Pending → Completed (completed before anyone waited), or
///                   Pending → Abandoned (its ValueTask was dropped unawaited) → Completed.
/// Recycling an abandoned operation falls to whichever of abandon() and the completion comes
/// second: abandon() returns true, or trySet* returns Completion::Abandoned. A completer must not
/// touch the core after trySet* returns Completed: the awaiter may already have recycled it.
/// A completer names the operation it completes by its token (version() when it was started).
/// Completion is claimed first (m_claim, which holds the version with the claim bit), so two
/// racing completers (a writer and a stop-token callback, say) resolve to exactly one winner, and a
/// completer of an operation the core has moved on from is refused: a late or duplicate completion
/// never becomes the next operation's result. setResult()/setException() throw MisuseError for
/// either; trySet* returns Completion::Refused.
/// reset() while an awaiter is suspended would strand it: it throws MisuseError and changes nothing.
/// Threads: one awaiter and any number of would-be completers may race; reset() and result()
/// are the owner's and the awaiter's, never concurrent with anything else.
/// Resumes: the continuation is posted to the awaiter's executor (Continuation::resume);
/// setResumeInline(true) resumes it on the completing thread instead, for callers that ask.
/// Allocates: nothing; the continuation node lives in the awaiter.

#include <atomic>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include <waferscope/runtime/detail/misuse.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/value_task_source.h>

namespace waferscope::runtime {

/// What a completion attempt did.
enum class Completion : std::uint8_t {
    Refused,   ///< another completer got there first; nothing changed
    Completed, ///< the result is stored and the awaiter (if any) released
    Abandoned, ///< the result is stored but nobody will take it: the completer disposes and recycles
};

template<typename T>
class SourceCore
{
    struct Unit {};
    using Stored = std::conditional_t<std::is_void_v<T>, Unit, T>;

public:
    SourceCore() = default;
    SourceCore(const SourceCore &) = delete;
    SourceCore &operator=(const SourceCore &) = delete;
    ~SourceCore() = default;

    /// Starts a new operation: bumps the version and clears the result. Throws MisuseError, and
    /// changes nothing, while an awaiter is suspended on the current operation (it would never
    /// resume); the previous result must have been taken or abandoned.
    void reset()
    {
        if (m_state.load(std::memory_order_acquire) == State::Waiting) {
            detail::throwResetWhileAwaited(version());
        }
        const Token next = m_version.load(std::memory_order_relaxed) + 1;
        m_version.store(next, std::memory_order_relaxed);
        m_value.reset();
        m_error = nullptr;
        m_continuation = nullptr;
        m_claim.store(unclaimed(next), std::memory_order_relaxed);
        m_state.store(State::Pending, std::memory_order_relaxed);
    }

    [[nodiscard]] Token version() const noexcept { return m_version.load(std::memory_order_relaxed); }

    /// Resume the continuation on the completing thread instead of posting it.
    void setResumeInline(bool resumeInline) noexcept { m_resumeInline = resumeInline; }

    /// Completes operation `token` with a value built from `args`; Refused when it was completed
    /// already or the core has moved on to another operation.
    template<typename... Args>
    Completion trySetResult(Token token, Args &&...args)
    {
        if (!claim(token)) {
            return Completion::Refused;
        }
        m_value.emplace(std::forward<Args>(args)...);
        return publish();
    }

    Completion trySetException(Token token, std::exception_ptr error) noexcept
    {
        if (!claim(token)) {
            return Completion::Refused;
        }
        m_error = std::move(error);
        return publish();
    }

    /// Completes operation `token`. A second completion, or one for an operation the core has moved
    /// on from, throws MisuseError and changes nothing.
    template<typename... Args>
    void setResult(Token token, Args &&...args)
    {
        if (trySetResult(token, std::forward<Args>(args)...) == Completion::Refused) {
            throwRefused(token);
        }
    }

    void setException(Token token, std::exception_ptr error)
    {
        if (trySetException(token, std::move(error)) == Completion::Refused) {
            throwRefused(token);
        }
    }

    [[nodiscard]] SourceStatus status(Token token) const
    {
        validate(token);
        if (m_state.load(std::memory_order_acquire) != State::Completed) {
            return SourceStatus::Pending;
        }
        return m_error ? SourceStatus::Faulted : SourceStatus::Succeeded;
    }

    [[nodiscard]] bool suspendUntilCompleted(Continuation &continuation, Token token)
    {
        validate(token);
        m_continuation = &continuation;
        auto expected = State::Pending;
        // acq_rel: release publishes m_continuation to the completer, acquire (on failure: the
        // state is Completed) makes the completer's result visible to us.
        return m_state.compare_exchange_strong(expected, State::Waiting, std::memory_order_acq_rel,
                                               std::memory_order_acquire);
    }

    /// Takes the result. Precondition for a value: status(token) is not Pending.
    T result(Token token)
    {
        validate(token);
        if (m_state.load(std::memory_order_acquire) != State::Completed) {
            detail::throwNotCompleted(token);
        }
        // Spend the token before handing out the result, so a second result() call with the same
        // token fails even if the owner has not reset the core yet.
        m_version.store(token + 1, std::memory_order_relaxed);
        if (m_error) {
            std::rethrow_exception(std::exchange(m_error, nullptr));
        }
        if constexpr (!std::is_void_v<T>) {
            T value = std::move(*m_value);
            m_value.reset();
            return value;
        }
    }

    /// Whether the current operation has completed; for owners deciding when to recycle.
    [[nodiscard]] bool isCompleted() const noexcept
    {
        return m_state.load(std::memory_order_acquire) == State::Completed;
    }

    /// Marks the current operation abandoned. Returns true if it has completed already, so the
    /// caller must recycle it now; otherwise the completer will (trySet* returns Abandoned).
    bool abandon() noexcept
    {
        auto expected = State::Pending;
        // acquire on failure: the completed result is visible to the caller that disposes of it.
        return !m_state.compare_exchange_strong(expected, State::Abandoned, std::memory_order_acq_rel,
                                                std::memory_order_acquire);
    }

    /// Disposes of a result nobody will take. Precondition: completed and abandoned.
    void discardResult() noexcept
    {
        m_value.reset();
        m_error = nullptr;
    }

private:
    enum class State : std::uint8_t {
        Pending,   // not completed, nobody waiting
        Waiting,   // not completed, m_continuation registered
        Completed, // result or error stored
        Abandoned, // not completed, and nobody will ever take the result
    };

    void validate(Token token) const
    {
        const Token current = m_version.load(std::memory_order_relaxed);
        if (token != current) {
            detail::throwStaleToken(token, current);
        }
    }

    static constexpr Token unclaimed(Token version) noexcept { return version << 1; }
    static constexpr Token claimed(Token version) noexcept { return (version << 1) | 1; }

    /// Claims operation `token` for one completer: fails when another claimed it first or the core
    /// has been reset since (m_claim then names a later version).
    bool claim(Token token) noexcept
    {
        Token expected = unclaimed(token);
        // acquire pairs with reset()'s publication through the owner's hand-off; the claim only
        // arbitrates between racing completers.
        return m_claim.compare_exchange_strong(expected, claimed(token), std::memory_order_acquire,
                                               std::memory_order_relaxed);
    }

    [[noreturn]] void throwRefused(Token token) const
    {
        const Token claimedVersion = m_claim.load(std::memory_order_relaxed) >> 1;
        if (claimedVersion == token) {
            detail::throwCompletedTwice(token);
        }
        detail::throwStaleCompletion(token, claimedVersion);
    }

    Completion publish() noexcept
    {
        const bool resumeInline = m_resumeInline; // read before the awaiter can recycle the core
        // acq_rel: release publishes the stored result to the awaiter; acquire makes the
        // awaiter's m_continuation visible when it registered first.
        const State previous = m_state.exchange(State::Completed, std::memory_order_acq_rel);
        if (previous == State::Abandoned) {
            return Completion::Abandoned;
        }
        if (previous == State::Waiting) {
            // The awaiter stays suspended until this resume, so its node is still valid here.
            Continuation *continuation = m_continuation;
            if (resumeInline) {
                continuation->handle.resume();
            } else {
                continuation->resume();
            }
        }
        return Completion::Completed;
    }

    std::atomic<Token> m_version{1};
    std::atomic<State> m_state{State::Pending};
    std::atomic<Token> m_claim{unclaimed(1)}; // version << 1 | claimed
    bool m_resumeInline = false;
    Continuation *m_continuation = nullptr;
    std::optional<Stored> m_value;
    std::exception_ptr m_error;
};

} // namespace waferscope::runtime
