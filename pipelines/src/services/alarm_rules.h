#pragma once

/// AlarmRules: the alarm monitor's rule set as one evaluation — which condition each alarm has at a
/// tick, from the readings of that tick and the limits. It remembers between ticks what the rules
/// need: since when the vacuum has been low, and the recent history of each pipeline total.
/// Threads: one owner, the monitor's executor. Allocates: nothing after construction.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/pipelines/services/alarm_monitor_options.h>
#include <waferscope/pipelines/services/device_snapshot.h>
#include <waferscope/pipelines/services/heartbeat_status.h>

#include "services/counter_window.h"

namespace waferscope::pipelines::detail {

/// The rules, in the order of AlarmMonitor::definitions().
enum class AlarmRule : std::uint8_t {
    HeartbeatLost,
    VacuumLow,
    FollowingError,
    EncoderFault,
    IlluminationOutOfBand,
    CameraDisconnected,
    FramesLost,
    FramePoolExhausted,
    StagingBacklog,
    DiskSpaceLow,
    StoreFailing,
    DatabaseReplaced,
};
inline constexpr std::size_t kAlarmRuleCount = 12;

struct AlarmReadings {
    DeviceSnapshot device;
    HeartbeatStatus heartbeat;
    std::uint64_t framesLost = 0;
    std::uint64_t poolExhausted = 0;
    std::uint64_t cropsDropped = 0;
    bool isDiskSpaceLow = false;
    bool isStoreFailing = false;
    std::uint64_t databasesReplaced = 0;
};

class AlarmRules
{
public:
    explicit AlarmRules(const AlarmMonitorOptions &options);

    void setLimits(const core::Recipe::Alarms &limits) noexcept { m_limits = limits; }

    /// Which conditions are active at `now`, indexed by AlarmRule.
    /// Precondition: `now` is not earlier than at the previous call.
    [[nodiscard]] std::array<bool, kAlarmRuleCount> evaluate(const AlarmReadings &readings, runtime::TimePoint now);

private:
    core::Recipe::Alarms m_limits;
    std::optional<runtime::TimePoint> m_vacuumLowSince;
    CounterWindow m_framesLost;
    CounterWindow m_poolExhausted;
    CounterWindow m_cropsDropped;
    runtime::Clock::duration m_databaseReplacedWindow;
    std::uint64_t m_databasesReplacedSeen = 0; ///< from 0, so a replacement before the first tick counts
    runtime::TimePoint m_databaseReplacedUntil{};
    std::uint64_t m_poolExhaustedThreshold;
    std::uint64_t m_cropsDroppedThreshold;
};

} // namespace waferscope::pipelines::detail
