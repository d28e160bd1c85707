#include "machine_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace waferscope::hardware::sim::detail {

namespace {

using runtime::Clock;
using runtime::TimePoint;

constexpr double kTravelFollowingErrorUm = 2.0;
constexpr double kSettlingFollowingErrorUm = 0.8;
constexpr double kSettledFollowingErrorUm = 0.2;
// A real vacuum line breathes a little with the pump; this is the amplitude and period of it.
constexpr double kVacuumRippleKpa = 0.2;
constexpr double kVacuumRipplePeriodS = 1.7;

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

} // namespace

MachineModel::MachineModel(const SimulatorConfig &config)
    : m_config(config)
    , m_grid(config.wafer)
    , m_powerOn(now())
    , m_faults(std::make_shared<const FaultTimeline>(config.faults, m_powerOn))
    , m_move{{}, {}, m_powerOn, m_powerOn, m_powerOn}
    , m_setpointPercent(config.devices.illuminationPercent)
{
}

TimePoint MachineModel::now() noexcept
{
    const runtime::Executor *executor = runtime::Executor::current();
    return executor != nullptr ? executor->now() : Clock::now();
}

FaultSpec MachineModel::injectFault(FaultSpec fault, TimePoint now)
{
    const Clock::duration elapsed = std::max(now, m_powerOn) - m_powerOn;
    const Clock::duration period = m_config.timing.heartbeatPeriod;
    if (fault.kind == FaultKind::HeartbeatStop && fault.start == Clock::duration::zero() &&
        elapsed > Clock::duration::zero() && elapsed % period == Clock::duration::zero() &&
        fault.duration > Clock::duration(1)) {
        // The beat due at this very instant has been sent, and may have been polled: holding it
        // would take it back. Start just after it; the end stays. (On a real clock shared by
        // threads, a beat falling due between our reading `now` and publishing can still be held:
        // a window of microseconds against a heartbeat period.)
        fault.start = Clock::duration(1);
        fault.duration -= Clock::duration(1);
    }
    fault.start += elapsed;
    const std::lock_guard writer(m_injectMutex); // the timeline we extend stays the latest until we publish
    std::shared_ptr<const FaultTimeline> timeline = std::make_shared<const FaultTimeline>(faults()->with(fault));
    {
        const std::lock_guard lock(m_mutex);
        {
            const std::lock_guard pointerLock(m_faultsMutex);
            m_faults.swap(timeline);
        }
        clearSamples();
    }
    return fault; // the old timeline dies here, outside both locks, unless a reader still holds it
}

void MachineModel::clearSamples() noexcept
{
    m_stageSample.reset();
    m_illuminationSample.reset();
    m_vacuumSample.reset();
}

TimePoint MachineModel::sampleTime(TimePoint t, Clock::duration period) const noexcept
{
    if (t <= m_powerOn) {
        return m_powerOn;
    }
    return m_powerOn + (t - m_powerOn) / period * period;
}

core::PointMm MachineModel::positionAt(TimePoint t) const noexcept
{
    if (t >= m_move.arrival) {
        return m_move.to;
    }
    if (t <= m_move.start) {
        return m_move.from;
    }
    const double share = seconds(t - m_move.start) / seconds(m_move.arrival - m_move.start);
    return {m_move.from.x + share * (m_move.to.x - m_move.from.x), m_move.from.y + share * (m_move.to.y - m_move.from.y)};
}

TimePoint MachineModel::beginMove(core::DieIndex die, TimePoint start)
{
    const core::PointMm target = m_grid.dieCentre(die);
    const std::lock_guard lock(m_mutex);
    const core::PointMm from = positionAt(start);
    Clock::duration travel{};
    Clock::duration settle{};
    if (isPaced()) {
        const double distance = std::hypot(target.x - from.x, target.y - from.y);
        travel = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(distance / m_config.timing.stageSpeedMmPerS));
        settle = distance > 0.0 ? m_config.timing.settleTime : Clock::duration::zero();
    }
    m_move = {from, target, start, start + travel, start + travel + settle};
    m_stageSample.reset();
    return m_move.settled;
}

StageState MachineModel::stageState(TimePoint now)
{
    TimePoint t = sampleTime(now, m_config.timing.stageSamplePeriod);
    const std::lock_guard lock(m_mutex);
    if (m_move.start <= now) {
        t = std::max(t, m_move.start); // a command triggers a fresh sample
    }
    if (m_stageSample && m_stageSample->timestamp == t) {
        return *m_stageSample;
    }
    m_stageSample = stageAt(t);
    return *m_stageSample;
}

StageState MachineModel::stageStateAt(TimePoint t)
{
    const std::lock_guard lock(m_mutex);
    return stageAt(t);
}

StageState MachineModel::stageAt(TimePoint t) const noexcept
{
    StageState state;
    state.position = positionAt(t);
    state.target = m_move.to;
    state.isMoving = t >= m_move.start && t < m_move.settled;
    if (state.isMoving) {
        state.followingErrorUm = t < m_move.arrival ? kTravelFollowingErrorUm : kSettlingFollowingErrorUm;
    } else {
        state.followingErrorUm = kSettledFollowingErrorUm;
    }
    const std::shared_ptr<const FaultTimeline> faults = this->faults();
    if (const FaultSpec *fault = faults->mostSevereAt(FaultKind::FollowingError, t)) {
        state.followingErrorUm = std::max(state.followingErrorUm, fault->followingErrorUm);
    }
    state.isEncoderHealthy = !faults->isActive(FaultKind::EncoderError, t);
    state.timestamp = t;
    return state;
}

void MachineModel::setIntensity(double percent)
{
    const std::lock_guard lock(m_mutex);
    m_setpointPercent = percent;
    m_illuminationSample.reset();
}

IlluminationState MachineModel::illuminationState(TimePoint now)
{
    const TimePoint t = sampleTime(now, m_config.timing.sensorSamplePeriod);
    const std::lock_guard lock(m_mutex);
    if (m_illuminationSample && m_illuminationSample->timestamp == t) {
        return *m_illuminationSample;
    }
    IlluminationState state;
    state.setpointPercent = m_setpointPercent;
    state.readbackPercent = m_setpointPercent;
    if (const FaultSpec *fault = faults()->mostSevereAt(FaultKind::IlluminationDegrade, t)) {
        state.readbackPercent *= fault->intensityFactor;
    }
    state.lampHours = m_config.devices.lampHours + seconds(t - m_powerOn) / 3600.0;
    state.timestamp = t;
    m_illuminationSample = state;
    return state;
}

double MachineModel::illuminationFactor(const FaultTimeline &faults, TimePoint t) const
{
    double readback = 0.0;
    {
        const std::lock_guard lock(m_mutex);
        readback = m_setpointPercent;
    }
    if (const FaultSpec *fault = faults.mostSevereAt(FaultKind::IlluminationDegrade, t)) {
        readback *= fault->intensityFactor;
    }
    return readback / m_config.devices.illuminationPercent;
}

void MachineModel::setVacuumOn(bool isOn)
{
    const std::lock_guard lock(m_mutex);
    m_isVacuumOn = isOn;
    m_vacuumSample.reset();
}

VacuumState MachineModel::vacuumState(TimePoint now)
{
    const TimePoint t = sampleTime(now, m_config.timing.sensorSamplePeriod);
    const std::lock_guard lock(m_mutex);
    if (m_vacuumSample && m_vacuumSample->timestamp == t) {
        return *m_vacuumSample;
    }
    VacuumState state;
    state.isVacuumOn = m_isVacuumOn;
    if (m_isVacuumOn) {
        const double phase = 2.0 * std::numbers::pi * seconds(t - m_powerOn) / kVacuumRipplePeriodS;
        state.pressureKpa = m_config.devices.vacuumKpa + kVacuumRippleKpa * std::sin(phase);
        if (const FaultSpec *fault = faults()->mostSevereAt(FaultKind::VacuumDrop, t)) {
            state.pressureKpa = std::min(state.pressureKpa, fault->kpa);
        }
    }
    state.isWaferClamped = m_isVacuumOn && state.pressureKpa >= m_config.devices.clampThresholdKpa;
    state.timestamp = t;
    m_vacuumSample = state;
    return state;
}

Heartbeat MachineModel::heartbeat(TimePoint now) const noexcept
{
    // Beat k (k ≥ 1) is sent at power-on + k·period unless a heartbeat-stop window holds it; the
    // sequence counts the beats sent. Computed in closed form, so a late poll costs no loop over beats.
    const Clock::duration period = m_config.timing.heartbeatPeriod;
    if (now < m_powerOn + period) {
        return {0, m_powerOn};
    }
    const auto beatAt = [&](std::int64_t k) { return m_powerOn + period * k; };
    const auto firstBeatFrom = [&](TimePoint t) { // the first k with beatAt(k) >= t
        const auto since = t - m_powerOn;
        return static_cast<std::int64_t>((since + period - Clock::duration(1)) / period);
    };
    const std::int64_t latest = (now - m_powerOn) / period;
    std::int64_t held = 0;
    std::int64_t lastSent = latest;
    const std::shared_ptr<const FaultTimeline> faults = this->faults(); // `windows` points into it
    const auto windows = faults->windows(FaultKind::HeartbeatStop);
    for (const FaultTimeline::Window &window : windows) {
        const std::int64_t first = std::max<std::int64_t>(1, firstBeatFrom(std::max(window.start, m_powerOn)));
        const std::int64_t last = std::min(latest, firstBeatFrom(window.end) - 1);
        if (first <= last) {
            held += last - first + 1;
        }
    }
    // The latest beat sent is the latest one no window held: walk back through the windows, latest
    // first, since stepping out of one can land in the one before it.
    for (auto it = windows.rbegin(); it != windows.rend(); ++it) {
        if (lastSent >= 1 && beatAt(lastSent) >= it->start && beatAt(lastSent) < it->end) {
            lastSent = firstBeatFrom(it->start) - 1;
        }
    }
    return {static_cast<std::uint64_t>(latest - held), lastSent >= 1 ? beatAt(lastSent) : m_powerOn};
}

} // namespace waferscope::hardware::sim::detail
