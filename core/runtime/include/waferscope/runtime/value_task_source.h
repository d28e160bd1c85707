#pragma once

/// ValueTaskSource<T>: what a pending ValueTask<T> points at (the analogue of .NET's
/// IValueTaskSource<T>). Implemented by pooled operation objects (channel reads and writes, frame
/// rents), built on SourceCore<T>, and by the promise of a coroutine that returns ValueTask<T>.
///
/// Every call carries the 64-bit token the ValueTask was created with. A source serves one
/// operation per token; once its result has been taken it may be reset for another operation,
/// which bumps its version, so a late call with the old token fails with MisuseError instead of
/// reading another operation's result.

#include <cstdint>

#include <waferscope/runtime/executor.h>

namespace waferscope::runtime {

using Token = std::uint64_t;

enum class SourceStatus : std::uint8_t { Pending, Succeeded, Faulted };

template<typename T>
class ValueTaskSource
{
public:
    /// Whether the operation `token` has completed. Throws MisuseError on a stale token.
    [[nodiscard]] virtual SourceStatus status(Token token) const = 0;

    /// Registers `continuation` to be resumed when operation `token` completes. Returns false
    /// when it has completed already (the caller then must not suspend). Throws on a stale token.
    [[nodiscard]] virtual bool suspendUntilCompleted(Continuation &continuation, Token token) = 0;

    /// Takes the result of the completed operation `token` (or rethrows its error). After this
    /// the source may be recycled: the token is spent. Throws MisuseError on a stale token.
    virtual T result(Token token) = 0;

    /// The ValueTask for `token` was destroyed without being awaited: release the source once
    /// the operation completes. Never throws.
    virtual void abandon(Token token) noexcept = 0;

protected:
    ValueTaskSource() = default;
    ValueTaskSource(const ValueTaskSource &) = default;
    ValueTaskSource &operator=(const ValueTaskSource &) = default;
    virtual ~ValueTaskSource() = default;
};

} // namespace waferscope::runtime
