#include "services/alarm_rules.h"

#include <algorithm>

namespace waferscope::pipelines::detail {

namespace {

constexpr std::size_t at(AlarmRule rule) noexcept
{
    return static_cast<std::size_t>(rule);
}

} // namespace

AlarmRules::AlarmRules(const AlarmMonitorOptions &options)
    : m_limits(options.limits)
    , m_framesLost(options.framesLostWindow)
    , m_poolExhausted(options.poolExhaustedWindow)
    , m_cropsDropped(options.cropsDroppedWindow)
    , m_databaseReplacedWindow(options.databaseReplacedWindow)
    , m_poolExhaustedThreshold(std::max<std::uint64_t>(options.poolExhaustedThreshold, 1))
    , m_cropsDroppedThreshold(std::max<std::uint64_t>(options.cropsDroppedThreshold, 1))
{
}

std::array<bool, kAlarmRuleCount> AlarmRules::evaluate(const AlarmReadings &readings, runtime::TimePoint now)
{
    std::array<bool, kAlarmRuleCount> active{};
    const DeviceSnapshot &device = readings.device;
    if (device.hasData()) {
        const bool isVacuumBelow = device.vacuum.isVacuumOn && device.vacuum.pressureKpa < m_limits.vacuum.minimumKpa;
        if (!isVacuumBelow) {
            m_vacuumLowSince.reset();
        } else if (!m_vacuumLowSince) {
            m_vacuumLowSince = device.polledAt;
        }
        active[at(AlarmRule::VacuumLow)] = m_vacuumLowSince && now - *m_vacuumLowSince >= m_limits.vacuum.delay;
        active[at(AlarmRule::FollowingError)] = device.stage.followingErrorUm > m_limits.stageFollowingErrorUm;
        active[at(AlarmRule::EncoderFault)] = !device.stage.isEncoderHealthy;
        const double readback = device.illumination.readbackPercent;
        active[at(AlarmRule::IlluminationOutOfBand)] =
            readback < m_limits.illumination.minPercent || readback > m_limits.illumination.maxPercent;
        active[at(AlarmRule::CameraDisconnected)] = !device.camera.isConnected;
    }
    active[at(AlarmRule::HeartbeatLost)] = !readings.heartbeat.isAlive;

    m_framesLost.observe(now, readings.framesLost);
    m_poolExhausted.observe(now, readings.poolExhausted);
    m_cropsDropped.observe(now, readings.cropsDropped);
    active[at(AlarmRule::FramesLost)] =
        m_framesLost.increase() >= static_cast<std::uint64_t>(std::max(m_limits.framesLostThreshold, 1));
    active[at(AlarmRule::FramePoolExhausted)] = m_poolExhausted.increase() >= m_poolExhaustedThreshold;
    active[at(AlarmRule::StagingBacklog)] = m_cropsDropped.increase() >= m_cropsDroppedThreshold;
    active[at(AlarmRule::DiskSpaceLow)] = readings.isDiskSpaceLow;
    active[at(AlarmRule::StoreFailing)] = readings.isStoreFailing;
    if (readings.databasesReplaced > m_databasesReplacedSeen) {
        m_databasesReplacedSeen = readings.databasesReplaced;
        m_databaseReplacedUntil = now + m_databaseReplacedWindow;
    }
    active[at(AlarmRule::DatabaseReplaced)] = m_databasesReplacedSeen > 0 && now < m_databaseReplacedUntil;
    return active;
}

} // namespace waferscope::pipelines::detail
