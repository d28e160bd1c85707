#include <waferscope/core/users/login_throttle.h>

#include <algorithm>

namespace waferscope::core {

LoginThrottle::LoginThrottle(Options options)
    : m_options(options)
{
}

LoginThrottle::Clock::duration LoginThrottle::lockedFor(std::string_view user, Clock::time_point now) const
{
    const auto it = m_entries.find(user);
    if (it == m_entries.end() || it->second.lockedUntil <= now) {
        return Clock::duration::zero();
    }
    return it->second.lockedUntil - now;
}

LoginThrottle::Clock::duration LoginThrottle::failed(std::string_view user, Clock::time_point now)
{
    auto it = m_entries.find(user);
    if (it == m_entries.end()) {
        it = m_entries.emplace(std::string(user), Entry{}).first;
    }
    Entry &entry = it->second;
    ++entry.failures;
    const int beyond = entry.failures - m_options.freeTries;
    if (beyond < 0) {
        return Clock::duration::zero();
    }
    // firstDelay × 2^beyond, without overflowing the shift: capped long before it could.
    std::chrono::seconds delay = m_options.firstDelay;
    for (int i = 0; i < beyond && delay < m_options.maxDelay; ++i) {
        delay *= 2;
    }
    delay = std::min(delay, m_options.maxDelay);
    entry.lockedUntil = now + delay;
    return delay;
}

void LoginThrottle::succeeded(std::string_view user)
{
    if (const auto it = m_entries.find(user); it != m_entries.end()) {
        m_entries.erase(it);
    }
}

int LoginThrottle::failures(std::string_view user) const
{
    const auto it = m_entries.find(user);
    return it == m_entries.end() ? 0 : it->second.failures;
}

} // namespace waferscope::core
