#pragma once

/// ValueTask<T>: the result of an operation that usually completes at once (the analogue of
/// .NET's ValueTask<T>). It either carries the result (or error) inline — nothing was allocated —
/// or points at a ValueTaskSource<T> with a 64-bit token: a pooled operation object, or the
/// promise of a coroutine that returns ValueTask<T> (whose frame comes from CoroutineAllocator).
///
/// Await once. A ValueTask is move-only, [[nodiscard]], and only an rvalue can be awaited:
/// `co_await task;` does not compile, `co_await std::move(task)` empties `task`, and clang-tidy's
/// bugprone-use-after-move flags a second `co_await std::move(task)`. If one slips through anyway,
/// awaiting an emptied ValueTask, or one whose source has moved on to another operation (a stale
/// token), throws MisuseError — in every build type — and never returns a stale result.
/// To await a result twice, share it or compose it, convert it with asTask() (runtime_qt).
///
/// States: Empty (awaited, moved from, or default-constructed) | Value | Error | Pending(source, token).
/// Threads: a ValueTask is a value; the awaiting coroutine resumes on the executor it was running
/// on when it suspended (Executor::current()), or inline on the completing thread when it had none.
/// Allocates: nothing to carry an inline result; nothing to await a pooled source; a coroutine
/// returning ValueTask<T> draws its frame from the per-thread frame pool.
/// Dropped: a coroutine whose ValueTask is dropped unawaited runs to its end and frees itself; if
/// it ends with an exception, that is counted (RuntimeStats, dropped_task_failures) and written to
/// stderr, never lost quietly.

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include <waferscope/runtime/detail/coroutine_allocator.h>
#include <waferscope/runtime/detail/misuse.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/executor.h>
#include <waferscope/runtime/runtime_stats.h>
#include <waferscope/runtime/value_task_source.h>

namespace waferscope::runtime {

template<typename T = void>
class ValueTask;

namespace detail {

struct Empty {};
struct VoidResult {};

template<typename T>
using StoredResult = std::conditional_t<std::is_void_v<T>, VoidResult, T>;

template<typename T>
struct Pending {
    ValueTaskSource<T> *source;
    Token token;
};

/// Per-thread token counter for coroutine promises: a promise's token only has to differ from
/// the tokens earlier promises in the same frame memory were given.
[[nodiscard]] Token nextCoroutineToken() noexcept;

/// Frames of ValueTask and Job coroutines come from the recycling allocator.
struct PooledFrame {
    static void *operator new(std::size_t bytes) { return CoroutineAllocator::allocate(bytes); }
    static void operator delete(void *block, std::size_t bytes) noexcept
    {
        CoroutineAllocator::deallocate(block, bytes);
    }
};

template<typename T>
class ValueTaskPromise;

template<typename T>
class ValueTaskAwaiter
{
public:
    using State = std::variant<Empty, StoredResult<T>, std::exception_ptr, Pending<T>>;

    explicit ValueTaskAwaiter(State &&state) noexcept
        : m_state(std::move(state))
    {
    }

    [[nodiscard]] bool await_ready() const
    {
        if (const auto *pending = std::get_if<Pending<T>>(&m_state)) {
            return pending->source->status(pending->token) != SourceStatus::Pending;
        }
        return true;
    }

    [[nodiscard]] bool await_suspend(std::coroutine_handle<> handle)
    {
        auto &pending = std::get<Pending<T>>(m_state);
        m_continuation.handle = handle;
        m_continuation.executor = Executor::current();
        return pending.source->suspendUntilCompleted(m_continuation, pending.token);
    }

    T await_resume()
    {
        switch (m_state.index()) {
        case 0:
            throwAwaitedTwice();
        case 1:
            if constexpr (std::is_void_v<T>) {
                return;
            } else {
                return std::move(std::get<1>(m_state));
            }
        case 2:
            std::rethrow_exception(std::get<2>(m_state));
        default: {
            const Pending<T> pending = std::get<3>(m_state);
            m_state.template emplace<0>();
            return pending.source->result(pending.token);
        }
        }
    }

private:
    State m_state;
    Continuation m_continuation;
};

} // namespace detail

template<typename T>
class [[nodiscard]] ValueTask
{
public:
    using promise_type = detail::ValueTaskPromise<T>;
    using value_type = T;

    /// An empty task; awaiting it throws MisuseError.
    ValueTask() noexcept = default;

    /// A task that completed synchronously with `value`: nothing is allocated.
    template<typename U = T>
        requires(!std::is_void_v<T> && std::is_constructible_v<T, U &&> &&
                 !std::is_same_v<std::remove_cvref_t<U>, ValueTask>)
    static ValueTask fromResult(U &&value)
    {
        ValueTask task;
        task.m_state.template emplace<1>(std::forward<U>(value));
        return task;
    }

    /// A task that completed synchronously (ValueTask<void>).
    static ValueTask completed() noexcept
        requires std::is_void_v<T>
    {
        ValueTask task;
        task.m_state.template emplace<1>();
        return task;
    }

    /// A task that completed synchronously with an error.
    static ValueTask fromException(std::exception_ptr error) noexcept
    {
        ValueTask task;
        task.m_state.template emplace<2>(std::move(error));
        return task;
    }

    /// A task for operation `token` of `source`; for implementers of ValueTaskSource.
    static ValueTask fromSource(ValueTaskSource<T> &source, Token token) noexcept
    {
        ValueTask task;
        task.m_state.template emplace<3>(detail::Pending<T>{&source, token});
        return task;
    }

    ValueTask(ValueTask &&other) noexcept
        : m_state(std::exchange(other.m_state, {}))
    {
    }

    ValueTask &operator=(ValueTask &&other) noexcept
    {
        if (this != &other) {
            release();
            m_state = std::exchange(other.m_state, {});
        }
        return *this;
    }

    ValueTask(const ValueTask &) = delete;
    ValueTask &operator=(const ValueTask &) = delete;

    ~ValueTask() { release(); }

    /// True when the result is there and is not an error; does not consume the task.
    [[nodiscard]] bool isCompletedSuccessfully() const
    {
        switch (m_state.index()) {
        case 1:
            return true;
        case 3: {
            const auto &pending = std::get<3>(m_state);
            return pending.source->status(pending.token) == SourceStatus::Succeeded;
        }
        default:
            return false;
        }
    }

    /// True when the result (or error) is there; does not consume the task.
    [[nodiscard]] bool isCompleted() const
    {
        switch (m_state.index()) {
        case 1:
        case 2:
            return true;
        case 3: {
            const auto &pending = std::get<3>(m_state);
            return pending.source->status(pending.token) != SourceStatus::Pending;
        }
        default:
            return false;
        }
    }

    /// True for a task that was awaited or moved from.
    [[nodiscard]] bool isEmpty() const noexcept { return m_state.index() == 0; }

    /// Awaiting consumes the task: only an rvalue can be awaited.
    friend detail::ValueTaskAwaiter<T> operator co_await(ValueTask &&task) noexcept
    {
        detail::ValueTaskAwaiter<T> awaiter{std::move(task.m_state)};
        task.m_state.template emplace<0>(); // emptied: a second await throws MisuseError
        return awaiter;
    }
    friend void operator co_await(ValueTask &task) = delete;
    friend void operator co_await(const ValueTask &task) = delete;

private:
    void release() noexcept
    {
        if (auto *pending = std::get_if<3>(&m_state)) {
            pending->source->abandon(pending->token);
        }
        m_state.template emplace<0>();
    }

    typename detail::ValueTaskAwaiter<T>::State m_state;
};

namespace detail {

class ValueTaskPromiseBase : public PooledFrame
{
public:
    std::suspend_never initial_suspend() const noexcept { return {}; }

protected:
    enum class State : std::uint8_t {
        Running,   // body running or suspended, nobody awaiting
        Awaited,   // body suspended, m_continuation registered
        Completed, // body finished, frame suspended at final_suspend until the result is taken
        Abandoned, // body running, the ValueTask was dropped: the frame frees itself at the end
    };

    std::atomic<State> m_state{State::Running};
    Continuation *m_continuation = nullptr;
    Token m_token = nextCoroutineToken();
};

/// Where a ValueTask coroutine's result waits to be taken: return_value for T, return_void for void.
template<typename T>
class PromiseResult
{
public:
    void unhandled_exception() noexcept { m_result.template emplace<2>(std::current_exception()); }

    template<typename U>
        requires std::is_convertible_v<U &&, T>
    void return_value(U &&value)
    {
        m_result.template emplace<1>(std::forward<U>(value));
    }

protected:
    std::variant<Empty, T, std::exception_ptr> m_result;
};

template<>
class PromiseResult<void>
{
public:
    void unhandled_exception() noexcept { m_result.emplace<2>(std::current_exception()); }
    void return_void() noexcept { m_result.emplace<1>(); }

protected:
    std::variant<Empty, VoidResult, std::exception_ptr> m_result;
};

template<typename T>
class ValueTaskPromise final : public ValueTaskPromiseBase, public PromiseResult<T>, public ValueTaskSource<T>
{
    using PromiseResult<T>::m_result;

public:
    ValueTask<T> get_return_object() noexcept { return ValueTask<T>::fromSource(*this, m_token); }

    struct FinalAwaiter {
        ValueTaskPromise &promise;
        [[nodiscard]] bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<>) const noexcept
        {
            // acq_rel: release publishes the result to the awaiter, acquire sees its continuation.
            const State previous = promise.m_state.exchange(State::Completed, std::memory_order_acq_rel);
            if (previous == State::Abandoned) {
                promise.reportDroppedFailure();
                promise.handle().destroy();
                return std::noop_coroutine();
            }
            if (previous != State::Awaited) {
                return std::noop_coroutine();
            }
            Continuation *continuation = promise.m_continuation;
            if (continuation->executor == nullptr || continuation->executor == Executor::current()) {
                return continuation->handle; // symmetric transfer: same thread, no stack growth
            }
            continuation->resume(); // posted, after checking the executor is still alive
            return std::noop_coroutine();
        }
        void await_resume() const noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return FinalAwaiter{*this}; }

    [[nodiscard]] SourceStatus status(Token token) const override
    {
        validate(token);
        if (m_state.load(std::memory_order_acquire) != State::Completed) {
            return SourceStatus::Pending;
        }
        return m_result.index() == 2 ? SourceStatus::Faulted : SourceStatus::Succeeded;
    }

    [[nodiscard]] bool suspendUntilCompleted(Continuation &continuation, Token token) override
    {
        validate(token);
        m_continuation = &continuation;
        auto expected = State::Running;
        // acq_rel: release publishes m_continuation; acquire on failure sees the result.
        return m_state.compare_exchange_strong(expected, State::Awaited, std::memory_order_acq_rel,
                                               std::memory_order_acquire);
    }

    T result(Token token) override
    {
        validate(token);
        // The frame is destroyed before the result is handed out: the token dies with it.
        auto result = std::move(m_result);
        handle().destroy();
        if (result.index() == 2) {
            std::rethrow_exception(std::get<2>(result));
        }
        if constexpr (!std::is_void_v<T>) {
            return std::move(std::get<1>(result));
        }
    }

    void abandon(Token token) noexcept override
    {
        if (token != m_token) {
            return;
        }
        auto expected = State::Running;
        if (!m_state.compare_exchange_strong(expected, State::Abandoned, std::memory_order_acq_rel,
                                             std::memory_order_acquire)) {
            reportDroppedFailure();
            handle().destroy(); // already completed: nobody else will free the frame
        }
    }

private:
    /// Precondition: completed, and nobody will take the result.
    void reportDroppedFailure() noexcept
    {
        if (m_result.index() == 2) {
            RuntimeStats::reportDroppedTaskFailure(std::get<2>(m_result));
        }
    }

    std::coroutine_handle<ValueTaskPromise> handle() noexcept
    {
        return std::coroutine_handle<ValueTaskPromise>::from_promise(*this);
    }

    void validate(Token token) const
    {
        if (token != m_token) {
            detail::throwStaleToken(token, m_token);
        }
    }
};

} // namespace detail
} // namespace waferscope::runtime
