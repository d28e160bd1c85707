#pragma once

/// Executor: where a suspended coroutine resumes.
/// Threads: post() may be called from any thread; what is posted runs on the executor's own thread
/// (or threads, for executors that are not single-threaded), in FIFO order per poster.
/// Allocates: nothing per post; a Continuation is an intrusive node that lives in the awaiter,
/// which lives in the suspended coroutine's frame.
/// Timers: executors that own a clock accept TimerNodes from their own thread (see sleep_operation.h).
/// Lifetime: an executor must outlive every coroutine that resumes on it. A continuation posted to
/// a destroyed executor is caught before the post (a canary the destructor clears, which freed
/// memory does not keep): the process aborts with a message instead of resuming into freed memory.

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <string_view>

namespace waferscope::runtime {

class Executor;

namespace detail {
[[noreturn]] void abortPostToDestroyedExecutor(const void *executor) noexcept;
} // namespace detail

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

/// One suspended coroutine waiting to be resumed, and where. Lives inside the awaiter.
struct Continuation {
    std::coroutine_handle<> handle;
    /// Where the coroutine resumes; nullptr means inline, on whichever thread completes the wait.
    Executor *executor = nullptr;
    /// Run-queue link, owned by the executor while the node is posted.
    Continuation *next = nullptr;

    /// Resumes the coroutine on its executor (posted) or inline when it has none.
    void resume() noexcept;
};

/// A timed wait: the executor resumes `continuation` once `deadline` has passed, or early with
/// `cancelled` set when it shuts down, or with `stopped` set when cancelTimer() ends it.
struct TimerNode {
    TimePoint deadline{};
    Continuation continuation;
    TimerNode *next = nullptr;
    bool cancelled = false;
    bool stopped = false;
};

class Executor
{
public:
    Executor() = default;
    Executor(const Executor &) = delete;
    Executor &operator=(const Executor &) = delete;
    virtual ~Executor() { m_canary.store(kDestroyed, std::memory_order_relaxed); }

    /// Aborts with a message when this executor has been destroyed (see Lifetime above).
    void checkAlive() const noexcept
    {
        if (m_canary.load(std::memory_order_relaxed) != kAlive) {
            detail::abortPostToDestroyedExecutor(this);
        }
    }

    /// Queues `continuation` to be resumed on this executor. Thread-safe, never allocates.
    virtual void post(Continuation &continuation) noexcept = 0;

    /// The executor's clock; a manual executor in tests returns its fake time.
    [[nodiscard]] virtual TimePoint now() const noexcept { return Clock::now(); }

    /// Registers a timer. Precondition: called on this executor's thread (by a sleep or tick
    /// awaiter of a coroutine running here). Executors without timers throw MisuseError.
    virtual void addTimer(TimerNode &timer);

    /// Ends `timer` early, from any thread: when it is still pending it is removed, marked
    /// `stopped` and its continuation posted; when it has fired (or is firing) nothing happens.
    /// Precondition: `timer` was added to this executor and its awaiter has not resumed yet.
    virtual void cancelTimer(TimerNode &timer) noexcept;

    [[nodiscard]] virtual std::string_view name() const noexcept = 0;

    /// The executor running the calling thread's current work, or nullptr on a plain thread.
    [[nodiscard]] static Executor *current() noexcept;

protected:
    /// Marks the calling thread as running `executor` until the scope ends.
    class CurrentScope
    {
    public:
        explicit CurrentScope(Executor *executor) noexcept;
        ~CurrentScope();
        CurrentScope(const CurrentScope &) = delete;
        CurrentScope &operator=(const CurrentScope &) = delete;

    private:
        Executor *m_previous;
    };

private:
    static constexpr std::uint64_t kAlive = 0x5afe'e8ec'a11e'0001;
    static constexpr std::uint64_t kDestroyed = 0xdead'e8ec'0000'0000;
    // Relaxed atomic, so the destructor's store is not removed as a dead store.
    std::atomic<std::uint64_t> m_canary{kAlive};
};

inline void Continuation::resume() noexcept
{
    if (executor != nullptr) {
        executor->checkAlive();
        executor->post(*this);
    } else {
        handle.resume();
    }
}

/// Awaitable that moves the awaiting coroutine onto `executor`: `co_await schedule(executor);`.
/// Always suspends, even when already on that executor, so it also serves as a yield.
class [[nodiscard]] ScheduleOperation
{
public:
    explicit ScheduleOperation(Executor &executor) noexcept
        : m_executor(executor)
    {
    }
    [[nodiscard]] bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) noexcept
    {
        m_continuation.handle = handle;
        m_continuation.executor = &m_executor;
        m_executor.post(m_continuation);
    }
    void await_resume() const noexcept {}

private:
    Executor &m_executor;
    Continuation m_continuation;
};

[[nodiscard]] inline ScheduleOperation schedule(Executor &executor) noexcept
{
    return ScheduleOperation{executor};
}

} // namespace waferscope::runtime
