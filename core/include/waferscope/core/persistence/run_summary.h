#pragma once

/// RunSummary: one line of the run history — a run and how many wafers and defects the store
/// holds for it.
/// Threads: a value. Allocates: its strings.

#include <cstdint>

#include <waferscope/core/persistence/run_record.h>

namespace waferscope::core {

struct RunSummary {
    RunRecord run;
    std::int64_t waferCount = 0;  ///< wafers begun
    std::int64_t defectCount = 0; ///< defects stored

    friend bool operator==(const RunSummary &, const RunSummary &) = default;
};

} // namespace waferscope::core
