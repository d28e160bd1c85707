#pragma once

/// RunSummary: one line of the run history — a run, how many wafers and defects the store holds for
/// it, and who started it (from the audit: the runs table does not keep the user).
/// Threads: a value. Allocates: its strings.

#include <cstdint>
#include <string>

#include <waferscope/core/persistence/run_record.h>

namespace waferscope::core {

struct RunSummary {
    RunRecord run;
    std::int64_t waferCount = 0;  ///< wafers begun
    std::int64_t defectCount = 0; ///< defects stored
    std::string startedBy;        ///< the user who started it; "" when the audit does not say

    friend bool operator==(const RunSummary &, const RunSummary &) = default;
};

} // namespace waferscope::core
