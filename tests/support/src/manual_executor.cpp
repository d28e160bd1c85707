#include <waferscope/testing/manual_executor.h>

#include <cstdio>

namespace waferscope::testing {

ManualExecutor::ManualExecutor(std::string name)
    : m_name(std::move(name))
    , m_now(runtime::TimePoint{} + std::chrono::hours(1))
    , m_scope(this)
{
}

ManualExecutor::~ManualExecutor()
{
    cancelTimers();
    runReady();
}

void ManualExecutor::post(runtime::Continuation &continuation) noexcept
{
    m_queue.push(continuation);
}

void ManualExecutor::addTimer(runtime::TimerNode &timer)
{
    m_timers.insert(timer);
}

void ManualExecutor::cancelTimer(runtime::TimerNode &timer) noexcept
{
    if (m_timers.remove(timer)) {
        timer.stopped = true;
        post(timer.continuation);
    }
}

int ManualExecutor::runReady()
{
    int ran = 0;
    while (runtime::Continuation *node = m_queue.takeAll()) {
        while (node != nullptr) {
            runtime::Continuation *next = node->next;
            node->handle.resume();
            node = next;
            ++ran;
        }
    }
    return ran;
}

void ManualExecutor::advance(runtime::Clock::duration by)
{
    const runtime::TimePoint target = m_now + by;
    runReady();
    while (!m_timers.empty() && m_timers.nextDeadline() <= target) {
        m_now = std::max(m_now, m_timers.nextDeadline());
        runtime::TimerNode *timer = m_timers.popDue(m_now);
        timer->continuation.handle.resume();
        runReady();
    }
    m_now = target;
    runReady();
}

void ManualExecutor::cancelTimers()
{
    while (runtime::TimerNode *timer = m_timers.popAny()) {
        timer->cancelled = true;
        timer->continuation.handle.resume();
    }
    runReady();
}

void ManualExecutor::jobFinished(std::exception_ptr error) noexcept
{
    --m_liveJobs;
    if (error) {
        ++m_failedJobs;
        try {
            std::rethrow_exception(error);
        } catch (const std::exception &e) {
            std::fprintf(stderr, "ManualExecutor '%s': job failed: %s\n", m_name.c_str(), e.what());
        } catch (...) {
            std::fprintf(stderr, "ManualExecutor '%s': job failed\n", m_name.c_str());
        }
    }
}

} // namespace waferscope::testing
