#pragma once

/// DefectListener: where the detection stage hands each frame's new defects besides the store — the
/// UI's marshal, or a headless counter. Called on the detection executor; it must not block for
/// long (a UI marshal applies back-pressure instead of dropping: defect records are never dropped).
/// Threads: the detection executor. Allocates: as the implementation says.

#include <span>

#include <waferscope/core/persistence/defect_record.h>

namespace waferscope::pipelines {

class DefectListener
{
public:
    virtual void defectsFound(std::span<const core::DefectRecord> defects) = 0;

protected:
    DefectListener() = default;
    DefectListener(const DefectListener &) = default;
    DefectListener &operator=(const DefectListener &) = default;
    virtual ~DefectListener() = default;
};

} // namespace waferscope::pipelines
