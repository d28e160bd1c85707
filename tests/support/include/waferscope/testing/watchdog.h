#pragma once

/// Watchdog: fails the test process loudly (with the test's name) if a scope takes longer than its
/// limit, so a lost wake-up shows as a clear failure instead of a CI time-out.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace waferscope::testing {

class Watchdog
{
public:
    explicit Watchdog(std::string what, std::chrono::milliseconds limit = std::chrono::seconds(30));
    ~Watchdog();
    Watchdog(const Watchdog &) = delete;
    Watchdog &operator=(const Watchdog &) = delete;

private:
    std::string m_what;
    std::mutex m_mutex;
    std::condition_variable m_condition;
    bool m_done = false;
    std::thread m_thread;
};

} // namespace waferscope::testing
