#pragma once

/// RunRecord: one inspection run as the store keeps it — its id, lot, recipe (name, the one-line
/// summary and the JSON it was loaded from), state, when it started and, once it is final, when and
/// why it ended.
/// Open: a run that has not ended has no end time and an empty end reason.
/// Threads: a value. Allocates: its strings.

#include <chrono>
#include <optional>
#include <string>

#include <waferscope/core/run_id.h>
#include <waferscope/core/runs/run_state.h>

namespace waferscope::core {

struct RunRecord {
    using Time = std::chrono::system_clock::time_point;

    RunId id;
    std::string lotId;
    std::string recipeName;
    std::string recipeSummary; ///< Recipe::summary()
    std::string recipeJson;    ///< the recipe as loaded; may be empty
    RunState state = RunState::Checking;
    Time startedAt;
    std::optional<Time> endedAt;
    std::string endReason;

    friend bool operator==(const RunRecord &, const RunRecord &) = default;
};

} // namespace waferscope::core
