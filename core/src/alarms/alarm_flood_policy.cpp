#include <waferscope/core/alarms/alarm_flood_policy.h>

#include <string>
#include <vector>

#include <waferscope/core/validation_error.h>

namespace waferscope::core {

void AlarmFloodPolicy::validate() const
{
    std::vector<ValidationError::Issue> issues;
    if (threshold == 0) {
        issues.push_back({"threshold", "is 0, so a flood could never end"});
    }
    if (window.count() <= 0) {
        issues.push_back({"window", std::to_string(window.count()) + " ms is not positive"});
    }
    if (!issues.empty()) {
        throw ValidationError("alarm flood policy", std::move(issues));
    }
}

} // namespace waferscope::core
