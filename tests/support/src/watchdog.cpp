#include <waferscope/testing/watchdog.h>

#include <cstdio>
#include <cstdlib>

namespace waferscope::testing {

Watchdog::Watchdog(std::string what, std::chrono::milliseconds limit)
    : m_what(std::move(what))
    , m_thread([this, limit] {
        std::unique_lock lock(m_mutex);
        if (!m_condition.wait_for(lock, limit, [this] { return m_done; })) {
            std::fprintf(stderr, "WATCHDOG: '%s' did not finish within %lld ms (lost wake-up or deadlock)\n",
                         m_what.c_str(), static_cast<long long>(limit.count()));
            std::fflush(stderr);
            std::abort();
        }
    })
{
}

Watchdog::~Watchdog()
{
    {
        const std::lock_guard lock(m_mutex);
        m_done = true;
    }
    m_condition.notify_one();
    m_thread.join();
}

} // namespace waferscope::testing
