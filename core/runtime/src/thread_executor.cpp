#include <waferscope/runtime/thread_executor.h>

#include <cstdio>
#include <string>

#include <waferscope/runtime/errors.h>

namespace waferscope::runtime {

namespace {

inline void cpuRelax() noexcept
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

void printJobError(std::string_view executor, std::exception_ptr error)
{
    try {
        std::rethrow_exception(std::move(error));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "executor '%.*s': job failed: %s\n", static_cast<int>(executor.size()),
                     executor.data(), e.what());
    } catch (...) {
        std::fprintf(stderr, "executor '%.*s': job failed with a non-standard exception\n",
                     static_cast<int>(executor.size()), executor.data());
    }
}

} // namespace

ThreadExecutor::ThreadExecutor(std::string name, StatsRegistry *stats, ErrorHandler onJobError)
    : m_name(std::move(name))
    , m_onJobError(onJobError ? std::move(onJobError) : ErrorHandler{printJobError})
    , m_registration(registerStats(stats, "executor", m_name, *this))
    , m_thread([this] { run(); })
{
}

ThreadExecutor::~ThreadExecutor()
{
    stop();
    // A poster on another thread may still be inside post() (about to notify) after the work it
    // posted has run: wait for it to leave before the members go away.
    while (m_postsInFlight.load(std::memory_order_acquire) != 0) {
        cpuRelax();
    }
}

void ThreadExecutor::post(Continuation &continuation) noexcept
{
    // Counted in flight until the last touch of this executor: what we post may run, finish and
    // let its owner destroy the executor before this call returns (see ~ThreadExecutor).
    m_postsInFlight.fetch_add(1, std::memory_order_relaxed);
    struct InFlight {
        std::atomic<int> &count;
        ~InFlight() { count.fetch_sub(1, std::memory_order_release); }
    } inFlight{m_postsInFlight};
    m_posted.add();
    // seq_cst push, then seq_cst check of m_finished (the exiting thread stores m_finished, then
    // takes the queue): either the exiting thread sees this node, or we see m_finished.
    m_queue.push(continuation);
    if (m_finished.load(std::memory_order_seq_cst)) {
        for (Continuation *node = m_queue.takeAll(); node != nullptr;) {
            Continuation *next = node->next;
            m_latePosts.add();
            node->handle.resume();
            node = next;
        }
        return;
    }
    // Pairs with the parking thread's seq_cst store of m_parked then load of the queue.
    if (m_parked.load(std::memory_order_seq_cst)) {
        { const std::lock_guard lock(m_parkMutex); }
        m_parkCondition.notify_one();
    }
}

void ThreadExecutor::addTimer(TimerNode &timer)
{
    if (!isRunningOnThisThread()) {
        throw MisuseError("timer added to executor '" + m_name + "' from another thread");
    }
    if (m_stopRequested.load(std::memory_order_acquire)) {
        timer.cancelled = true;
        post(timer.continuation);
        return;
    }
    const std::lock_guard lock(m_timerMutex);
    m_timers.insert(timer);
}

void ThreadExecutor::cancelTimer(TimerNode &timer) noexcept
{
    bool removed = false;
    {
        const std::lock_guard lock(m_timerMutex);
        removed = m_timers.remove(timer);
    }
    // Posted after the timer lock is released: post() may take the park mutex, which the run loop
    // holds while it reads the timers.
    if (removed) {
        timer.stopped = true;
        post(timer.continuation);
    }
}

void ThreadExecutor::stop()
{
    if (!m_thread.joinable()) {
        return;
    }
    if (isRunningOnThisThread()) {
        std::fprintf(stderr, "executor '%s': stop() called from its own thread\n", m_name.c_str());
        std::abort();
    }
    m_stopRequested.store(true, std::memory_order_seq_cst);
    {
        const std::lock_guard lock(m_parkMutex);
    }
    m_parkCondition.notify_one();
    m_thread.join();
}

std::uint64_t ThreadExecutor::drainQueue()
{
    std::uint64_t ran = 0;
    for (Continuation *node = m_queue.takeAll(); node != nullptr;) {
        Continuation *next = node->next; // read before resuming: the node lives in the frame
        node->handle.resume();
        node = next;
        ++ran;
    }
    m_resumed.add(ran);
    return ran;
}

void ThreadExecutor::fireDueTimers()
{
    const TimePoint now = Clock::now();
    for (;;) {
        TimerNode *timer = nullptr;
        {
            const std::lock_guard lock(m_timerMutex);
            timer = m_timers.popDue(now);
        }
        if (timer == nullptr) {
            break;
        }
        m_timersFired.add();
        timer->continuation.handle.resume();
    }
}

void ThreadExecutor::cancelTimers()
{
    for (;;) {
        TimerNode *timer = nullptr;
        {
            const std::lock_guard lock(m_timerMutex);
            timer = m_timers.popAny();
        }
        if (timer == nullptr) {
            break;
        }
        timer->cancelled = true;
        timer->continuation.handle.resume();
    }
}

void ThreadExecutor::run()
{
    const CurrentScope scope(this);
    for (;;) {
        drainQueue();
        fireDueTimers();
        if (m_stopRequested.load(std::memory_order_acquire)) {
            cancelTimers();
            drainQueue();
            if (m_liveJobs.load(std::memory_order_acquire) == 0 && m_queue.empty()) {
                break;
            }
        }
        if (!m_queue.empty()) {
            continue;
        }
        bool woke = false;
        for (int i = 0; i < kSpinIterations; ++i) {
            if (!m_queue.empty()) {
                woke = true;
                break;
            }
            cpuRelax();
        }
        if (woke) {
            continue;
        }
        // Timers are added only on this thread; cancelTimer() may remove one meanwhile, and then
        // posts, which wakes the park below.
        bool noTimers = true;
        TimePoint nextDeadline{};
        {
            const std::lock_guard timerLock(m_timerMutex);
            noTimers = m_timers.empty();
            if (!noTimers) {
                nextDeadline = m_timers.nextDeadline();
            }
        }
        std::unique_lock lock(m_parkMutex);
        m_parked.store(true, std::memory_order_seq_cst);
        const auto ready = [this] {
            return !m_queue.empty() || m_stopRequested.load(std::memory_order_seq_cst);
        };
        if (m_stopRequested.load(std::memory_order_seq_cst)) {
            if (m_liveJobs.load(std::memory_order_acquire) == 0 || !noTimers) {
                // The stop arrived after the check above: go round, cancel the timers (a sleeping
                // job would otherwise wait here for a wake-up that never comes) and finish.
                m_parked.store(false, std::memory_order_relaxed);
                continue;
            }
            // Stopping with jobs still suspended on something outside this executor: wait for
            // their wake-ups without spinning. Only this thread ends jobs, so the count cannot
            // reach zero while it waits here. A wait with no stop token may never end: say so,
            // again every kStuckReportInterval, rather than hang without a word.
            while (!m_parkCondition.wait_for(lock, kStuckReportInterval, [this] { return !m_queue.empty(); })) {
                std::fprintf(stderr,
                             "executor '%s' is stopping but %lld job(s) are still suspended on something outside "
                             "it (a channel read or write, a FramePool rent, an event) that nothing will complete "
                             "unless it took a stop token; stop() and the destructor wait for them\n",
                             m_name.c_str(), static_cast<long long>(m_liveJobs.load(std::memory_order_relaxed)));
            }
        } else if (noTimers) {
            m_parkCondition.wait(lock, ready);
        } else {
            m_parkCondition.wait_until(lock, nextDeadline, ready);
        }
        m_parked.store(false, std::memory_order_relaxed);
        m_parks.add();
    }
    m_finished.store(true, std::memory_order_seq_cst);
    drainQueue();
}

void ThreadExecutor::jobStarted() noexcept
{
    m_liveJobs.fetch_add(1, std::memory_order_relaxed);
}

void ThreadExecutor::jobFinished(std::exception_ptr error) noexcept
{
    if (error) {
        m_failedJobs.add();
        m_onJobError(m_name, std::move(error));
    }
    // release: whatever the job did is visible to the thread that sees the count reach zero.
    m_liveJobs.fetch_sub(1, std::memory_order_release);
}

void ThreadExecutor::collect(MetricSink &sink) const
{
    sink.add("posted", m_posted.value());
    sink.add("resumed", m_resumed.value());
    sink.add("parks", m_parks.value());
    sink.add("timers_fired", m_timersFired.value());
    sink.add("jobs_live", m_liveJobs.load(std::memory_order_relaxed));
    sink.add("jobs_failed", m_failedJobs.value());
    sink.add("late_posts", m_latePosts.value());
}

} // namespace waferscope::runtime
