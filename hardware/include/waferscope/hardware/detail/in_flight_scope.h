#pragma once

/// InFlightScope: private to the camera implementations. Marks an acquire in flight for as long as
/// the scope lives and clears the flag however the acquire ends, a thrown cancellation included, so
/// that stop() and the destructor can tell whether an acquire still touches the camera.
/// Threads: the flag is read on other threads (release on clear). Allocates: nothing.

#include <atomic>

namespace waferscope::hardware::detail {

class InFlightScope
{
public:
    explicit InFlightScope(std::atomic<bool> &flag) noexcept
        : m_flag(flag)
    {
    }
    ~InFlightScope() { m_flag.store(false, std::memory_order_release); }
    InFlightScope(const InFlightScope &) = delete;
    InFlightScope &operator=(const InFlightScope &) = delete;
    InFlightScope(InFlightScope &&) = delete;
    InFlightScope &operator=(InFlightScope &&) = delete;

private:
    std::atomic<bool> &m_flag;
};

} // namespace waferscope::hardware::detail
