#pragma once

/// ThreadExecutor: one thread that runs coroutines — the home of a pipeline stage or service.
/// States: running → stopping (stop(): pending sleeps resume with OperationCancelled, queued work
/// still runs) → stopped (the thread has joined). The destructor stops it. A job suspended on
/// something outside the executor (a read without a stop token, a rent()) keeps it stopping; every
/// kStuckReportInterval it says so on stderr, naming itself and how many jobs are left.
/// Threads: post() and spawn() from any thread; timers only from coroutines running on it. Work
/// runs on the executor's thread, in post order per poster. A post that arrives after the thread
/// has ended resumes inline on the poster's thread and is counted (late_posts).
/// Waking: an idle executor spins briefly (kSpinIterations polls of its queue) before it parks on a
/// condition variable, so a hand-off from a busy producer costs a cache miss, not a futex wake-up.
/// Allocates: nothing per post, per timer or per tick; spawn() allocates nothing once the frame
/// pool is warm.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/detail/run_queue.h>
#include <waferscope/runtime/detail/timer_list.h>
#include <waferscope/runtime/executor.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::runtime {

class ThreadExecutor final : public Executor, public JobHost, private StatsProvider
{
public:
    static constexpr int kSpinIterations = 2000;
    /// How long stop() waits for suspended jobs before it reports them on stderr (and again after
    /// each further interval).
    static constexpr std::chrono::milliseconds kStuckReportInterval{2000};

    using ErrorHandler = std::function<void(std::string_view executor, std::exception_ptr error)>;

    /// Starts the thread. `onJobError` receives what escapes a Job's body (default: stderr).
    explicit ThreadExecutor(std::string name, StatsRegistry *stats = nullptr, ErrorHandler onJobError = {});
    ~ThreadExecutor() override;

    void post(Continuation &continuation) noexcept override;
    void addTimer(TimerNode &timer) override;
    void cancelTimer(TimerNode &timer) noexcept override;
    [[nodiscard]] std::string_view name() const noexcept override { return m_name; }

    /// Runs `job` on this executor.
    void spawn(Job job) { start(std::move(job), *this); }

    /// Cancels pending sleeps, runs what is queued until no job is left, and joins the thread.
    /// Idempotent. Precondition: not called from the executor's own thread.
    void stop();

    [[nodiscard]] std::int64_t liveJobs() const noexcept { return m_liveJobs.load(std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t failedJobs() const noexcept { return m_failedJobs.value(); }
    [[nodiscard]] bool isRunningOnThisThread() const noexcept { return Executor::current() == this; }

private:
    void run();
    void collect(MetricSink &sink) const override;
    void jobStarted() noexcept override;
    void jobFinished(std::exception_ptr error) noexcept override;
    /// Precondition: on the executor thread. Runs every queued continuation; returns how many.
    std::uint64_t drainQueue();
    void fireDueTimers();
    void cancelTimers();

    std::string m_name;
    ErrorHandler m_onJobError;
    detail::RunQueue m_queue;
    std::mutex m_timerMutex;                 // guards m_timers: cancelTimer() comes from any thread
    detail::TimerList m_timers;              // inserted and fired on the executor thread only
    std::mutex m_parkMutex;
    std::condition_variable m_parkCondition;
    std::atomic<bool> m_parked{false};
    std::atomic<bool> m_stopRequested{false};
    std::atomic<std::int64_t> m_liveJobs{0};
    Counter m_posted;
    Counter m_resumed;
    Counter m_parks;
    Counter m_timersFired;
    Counter m_failedJobs;
    Counter m_latePosts;
    std::atomic<bool> m_finished{false};
    std::atomic<int> m_postsInFlight{0};
    StatsRegistration m_registration;
    std::thread m_thread;
};

} // namespace waferscope::runtime
