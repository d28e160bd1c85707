#pragma once

// A service's tick period, checked once at construction.

#include <stdexcept>
#include <string>

#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines::detail {

/// Throws std::invalid_argument naming `service` when `period` is not positive: a ticker needs one.
inline runtime::Clock::duration checkedPeriod(runtime::Clock::duration period, const char *service)
{
    if (period <= runtime::Clock::duration::zero()) {
        throw std::invalid_argument(std::string(service) + ": the period must be positive");
    }
    return period;
}

} // namespace waferscope::pipelines::detail
