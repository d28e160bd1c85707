#pragma once

/// Job: a detached coroutine that an executor runs from start to end — a pipeline stage's loop,
/// a poller, a monitor. Write `Job stageLoop(...) { ... co_await ... }` and hand it to
/// ThreadExecutor::spawn(). A Job does nothing until spawned (lazy), then frees its own frame
/// when it ends.
/// Errors: an exception that escapes the body is handed to the executor's error handler and
/// counted (jobs_failed); it is never dropped quietly.
/// Allocates: its frame comes from the per-thread frame pool, like a ValueTask coroutine's.

#include <coroutine>
#include <exception>
#include <utility>

#include <waferscope/runtime/executor.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::runtime {

class JobHost;

class [[nodiscard]] Job
{
public:
    class promise_type : public detail::PooledFrame
    {
    public:
        Job get_return_object() noexcept
        {
            return Job{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        struct FinalAwaiter {
            [[nodiscard]] bool await_ready() const noexcept { return false; }
            void await_suspend(std::coroutine_handle<promise_type> handle) const noexcept;
            void await_resume() const noexcept {}
        };
        FinalAwaiter final_suspend() const noexcept { return {}; }
        void return_void() const noexcept {}
        void unhandled_exception() noexcept { m_error = std::current_exception(); }

    private:
        friend class Job;
        friend class JobHost;
        JobHost *m_host = nullptr;
        Continuation m_start;
        std::exception_ptr m_error;
    };

    Job(Job &&other) noexcept
        : m_handle(std::exchange(other.m_handle, {}))
    {
    }
    Job &operator=(Job &&) = delete;
    Job(const Job &) = delete;
    Job &operator=(const Job &) = delete;
    /// A Job that was never started is destroyed with its frame.
    ~Job()
    {
        if (m_handle) {
            m_handle.destroy();
        }
    }

private:
    friend class JobHost;
    explicit Job(std::coroutine_handle<promise_type> handle) noexcept
        : m_handle(handle)
    {
    }
    std::coroutine_handle<promise_type> m_handle;
};

/// What runs Jobs: an executor that tracks how many are alive and where their failures go.
class JobHost
{
public:
    /// Starts `job` on `executor`: it begins running there, not in this call.
    void start(Job job, Executor &executor)
    {
        auto &promise = std::exchange(job.m_handle, {}).promise();
        promise.m_host = this;
        promise.m_start.handle = std::coroutine_handle<Job::promise_type>::from_promise(promise);
        promise.m_start.executor = &executor;
        jobStarted();
        executor.post(promise.m_start);
    }

protected:
    JobHost() = default;
    JobHost(const JobHost &) = default;
    JobHost &operator=(const JobHost &) = default;
    virtual ~JobHost() = default;

    virtual void jobStarted() noexcept = 0;
    /// A job ended; `error` is what escaped its body, or null.
    virtual void jobFinished(std::exception_ptr error) noexcept = 0;

private:
    friend class Job::promise_type::FinalAwaiter;
};

inline void Job::promise_type::FinalAwaiter::await_suspend(std::coroutine_handle<promise_type> handle) const noexcept
{
    JobHost *host = handle.promise().m_host;
    std::exception_ptr error = std::move(handle.promise().m_error);
    handle.destroy();
    host->jobFinished(std::move(error));
}

} // namespace waferscope::runtime
