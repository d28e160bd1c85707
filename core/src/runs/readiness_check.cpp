#include <waferscope/core/runs/readiness_check.h>

#include "recipes/recipe_rules.h"

namespace waferscope::core {

std::vector<std::string> ReadinessCheck::failures(const Recipe::Alarms &limits, const Readings &readings)
{
    using detail::formatNumber;
    std::vector<std::string> failed;
    // Written as "not at or above" so a NaN reading, which compares false both ways, fails the check.
    if (!(readings.vacuumKpa >= limits.vacuum.minimumKpa)) {
        failed.push_back("vacuum " + formatNumber(readings.vacuumKpa) + " kPa is below the " +
                         formatNumber(limits.vacuum.minimumKpa) + " kPa minimum");
    }
    if (readings.heartbeatAge > limits.heartbeatTimeout) {
        failed.push_back("last heartbeat " + std::to_string(readings.heartbeatAge.count()) + " ms ago, beyond the " +
                         std::to_string(limits.heartbeatTimeout.count()) + " ms timeout");
    }
    if (!(readings.illuminationPercent >= limits.illumination.minPercent &&
          readings.illuminationPercent <= limits.illumination.maxPercent)) {
        failed.push_back("illumination " + formatNumber(readings.illuminationPercent) + " % is outside " +
                         formatNumber(limits.illumination.minPercent) + "…" +
                         formatNumber(limits.illumination.maxPercent) + " %");
    }
    return failed;
}

std::string ReadinessCheck::reason(const Recipe::Alarms &limits, const Readings &readings)
{
    std::string text;
    for (const std::string &failure : failures(limits, readings)) {
        text += (text.empty() ? "" : "; ") + failure;
    }
    return text;
}

} // namespace waferscope::core
