#pragma once

/// ManualExecutor: an executor driven by the test on the test's own thread, with a fake clock.
/// Nothing runs until the test calls runReady() or advance(), so tests are deterministic and
/// never sleep. Threads: post() from any thread; everything else on the test thread.

#include <string>

#include <waferscope/runtime/detail/run_queue.h>
#include <waferscope/runtime/detail/timer_list.h>
#include <waferscope/runtime/executor.h>
#include <waferscope/runtime/job.h>

namespace waferscope::testing {

class ManualExecutor final : public runtime::Executor, public runtime::JobHost
{
public:
    explicit ManualExecutor(std::string name = "manual");
    ~ManualExecutor() override;

    void post(runtime::Continuation &continuation) noexcept override;
    void addTimer(runtime::TimerNode &timer) override;
    void cancelTimer(runtime::TimerNode &timer) noexcept override;
    [[nodiscard]] runtime::TimePoint now() const noexcept override { return m_now; }
    [[nodiscard]] std::string_view name() const noexcept override { return m_name; }

    void spawn(runtime::Job job) { start(std::move(job), *this); }

    /// Runs everything posted so far, and what that posts, until the queue is empty. Returns how
    /// many continuations ran.
    int runReady();
    /// Moves the fake clock forward, firing due timers in deadline order, then runs what is ready.
    void advance(runtime::Clock::duration by);
    /// Resumes every pending timer with `cancelled` set, as an executor shutdown does.
    void cancelTimers();

    [[nodiscard]] std::size_t pendingTimers() const noexcept { return m_timers.size(); }
    [[nodiscard]] int liveJobs() const noexcept { return m_liveJobs; }
    [[nodiscard]] int failedJobs() const noexcept { return m_failedJobs; }

private:
    void jobStarted() noexcept override { ++m_liveJobs; }
    void jobFinished(std::exception_ptr error) noexcept override;

    std::string m_name;
    runtime::detail::RunQueue m_queue;
    runtime::detail::TimerList m_timers;
    runtime::TimePoint m_now{};
    int m_liveJobs = 0;
    int m_failedJobs = 0;
    CurrentScope m_scope;
};

} // namespace waferscope::testing
