#pragma once

/// ReadinessCheck: whether the machine may scan the next wafer — the checks a run makes while it is
/// Checking, against the recipe's alarm limits.
/// Rules: the vacuum is at or above alarms.vacuum.minimumKpa; the last heartbeat is no older than
/// alarms.heartbeatTimeout; the lamp readback lies within alarms.illumination, bounds included.
/// Result: failures() lists every failed check as a sentence naming the reading and the limit, and
/// is empty when all pass; reason() joins them with "; " for RunStateMachine::checksFailed.
/// The vacuum delay does not apply: it filters dips while scanning, and a wafer about to be scanned
/// must be clamped now.
/// Threads: stateless; any thread may call it. Allocates: the sentences.

#include <chrono>
#include <string>
#include <vector>

#include <waferscope/core/recipes/recipe.h>

namespace waferscope::core {

class ReadinessCheck
{
public:
    struct Readings {
        double vacuumKpa = 0.0;
        std::chrono::milliseconds heartbeatAge{0}; ///< time since the last heartbeat arrived
        double illuminationPercent = 0.0;          ///< lamp readback
    };

    [[nodiscard]] static std::vector<std::string> failures(const Recipe::Alarms &limits, const Readings &readings);
    /// failures() joined with "; ", or empty when every check passes.
    [[nodiscard]] static std::string reason(const Recipe::Alarms &limits, const Readings &readings);
};

} // namespace waferscope::core
