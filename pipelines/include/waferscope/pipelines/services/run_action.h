#pragma once

/// RunAction: what a run must do because an alarm with a fault class activated during it — the
/// recipe's action for that class (pause or abort) — with the run, the class, the alarm's tag and
/// when it activated, so the engine can say why.
/// Threads: a value. Allocates: its tag.

#include <string>

#include <waferscope/core/recipes/fault_action.h>
#include <waferscope/core/recipes/fault_class.h>
#include <waferscope/core/run_id.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines {

struct RunAction {
    core::RunId runId;
    core::FaultClass faultClass = core::FaultClass::Vacuum;
    core::FaultAction action = core::FaultAction::Pause;
    std::string tag;
    runtime::TimePoint at{};

    friend bool operator==(const RunAction &, const RunAction &) = default;
};

} // namespace waferscope::pipelines
