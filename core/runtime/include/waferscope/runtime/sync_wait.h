#pragma once

/// syncWait(task): blocks a plain thread until a ValueTask completes and returns its result.
/// For tests, benchmarks and the edges of the program (main, a shutdown path) — never on an
/// executor's thread (it would block the executor that must complete the task) and never on the
/// UI thread (use asTask() there).
/// Waiting: spins briefly, then parks on a condition variable. The completing side sets the flag
/// and notifies under the mutex, and the waiter takes the mutex before it returns, so the waiter
/// never frees the frame while the completing side is still inside it.
/// Allocates: the waiting coroutine's frame, from the per-thread frame pool.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <waferscope/runtime/value_task.h>

namespace waferscope::runtime {

namespace detail {

class SyncWaitTask
{
public:
    struct promise_type : PooledFrame {
        std::mutex mutex;
        std::condition_variable condition;
        std::atomic<bool> done{false};
        SyncWaitTask get_return_object() noexcept
        {
            return SyncWaitTask{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_never initial_suspend() const noexcept { return {}; }
        struct FinalAwaiter {
            [[nodiscard]] bool await_ready() const noexcept { return false; }
            void await_suspend(std::coroutine_handle<promise_type> handle) const noexcept
            {
                auto &promise = handle.promise();
                const std::lock_guard lock(promise.mutex);
                // release: the result written by the body is visible to a spinning waiter.
                promise.done.store(true, std::memory_order_release);
                promise.condition.notify_one();
            }
            void await_resume() const noexcept {}
        };
        FinalAwaiter final_suspend() const noexcept { return {}; }
        void return_void() const noexcept {}
        void unhandled_exception() const noexcept { std::terminate(); }
    };

    explicit SyncWaitTask(std::coroutine_handle<promise_type> handle) noexcept
        : m_handle(handle)
    {
    }
    SyncWaitTask(SyncWaitTask &&other) noexcept
        : m_handle(std::exchange(other.m_handle, {}))
    {
    }
    SyncWaitTask(const SyncWaitTask &) = delete;
    SyncWaitTask &operator=(const SyncWaitTask &) = delete;
    SyncWaitTask &operator=(SyncWaitTask &&) = delete;
    ~SyncWaitTask()
    {
        if (m_handle) {
            m_handle.destroy();
        }
    }

    void wait() const noexcept
    {
        auto &promise = m_handle.promise();
        for (int i = 0; i < 4000 && !promise.done.load(std::memory_order_acquire); ++i) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
        std::unique_lock lock(promise.mutex);
        promise.condition.wait(lock, [&promise] { return promise.done.load(std::memory_order_acquire); });
    }

private:
    std::coroutine_handle<promise_type> m_handle;
};

template<typename T>
SyncWaitTask awaitInto(ValueTask<T> task, std::optional<StoredResult<T>> &value, std::exception_ptr &error)
{
    try {
        if constexpr (std::is_void_v<T>) {
            co_await std::move(task);
            value.emplace();
        } else {
            value.emplace(co_await std::move(task));
        }
    } catch (...) {
        error = std::current_exception();
    }
}

} // namespace detail

template<typename T>
T syncWait(ValueTask<T> &&task)
{
    std::optional<detail::StoredResult<T>> value;
    std::exception_ptr error;
    {
        const detail::SyncWaitTask waiter = detail::awaitInto(std::move(task), value, error);
        waiter.wait();
    }
    if (error) {
        std::rethrow_exception(error);
    }
    if constexpr (!std::is_void_v<T>) {
        return std::move(*value);
    }
}

} // namespace waferscope::runtime
