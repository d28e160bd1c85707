#pragma once

/// DefectBatchResult: what one InspectionStore::insertDefects() call did — how many defects it
/// stored and how many it skipped because the very same defect was already stored (a retried batch).
/// Sum: storedCount + duplicateCount is the number of defects given.
/// Threads: a value. Allocates: nothing.

#include <cstddef>

namespace waferscope::core {

struct DefectBatchResult {
    std::size_t storedCount = 0;
    std::size_t duplicateCount = 0;

    friend bool operator==(const DefectBatchResult &, const DefectBatchResult &) = default;
};

} // namespace waferscope::core
