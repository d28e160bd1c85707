#include "simulated_camera.h"

#include <algorithm>
#include <exception>

#include <waferscope/hardware/hardware_error.h>
#include <waferscope/hardware/detail/in_flight_scope.h>
#include <waferscope/runtime/sleep_operation.h>

#include "random.h"

namespace waferscope::hardware::sim::detail {

namespace {

using runtime::TimePoint;
using hardware::detail::InFlightScope;
using runtime::ValueTask;
using Status = AcquiredFrame::Status;

constexpr std::uint64_t kLossStream = 0x6c6f737373747265ULL;
constexpr std::uint64_t kJitterStream = 0x6a69747465727374ULL;

template<typename T>
ValueTask<T> refuse(const std::string &problem)
{
    return ValueTask<T>::fromException(std::make_exception_ptr(HardwareError("camera", problem)));
}

} // namespace

/// Waits for one software trigger (or stop()). Resumes on the awaiting coroutine's executor.
class [[nodiscard]] SimulatedCamera::TriggerOperation
{
public:
    explicit TriggerOperation(SimulatedCamera &camera) noexcept
        : m_camera(camera)
    {
    }
    [[nodiscard]] bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> handle)
    {
        m_continuation.handle = handle;
        m_continuation.executor = runtime::Executor::current();
        const std::lock_guard lock(m_camera.m_triggerMutex);
        if (m_camera.m_pendingTriggers > 0) {
            --m_camera.m_pendingTriggers;
            return false;
        }
        if (m_camera.m_isStopRequested.load(std::memory_order_acquire)) {
            return false;
        }
        m_camera.m_triggerWaiter = &m_continuation;
        return true;
    }
    void await_resume() const noexcept {}

private:
    SimulatedCamera &m_camera;
    runtime::Continuation m_continuation;
};

SimulatedCamera::SimulatedCamera(MachineModel &model)
    : m_model(model)
    , m_renderer(model.config())
{
}

void SimulatedCamera::start(ScanPlan plan, runtime::FramePool &pool, TriggerMode mode)
{
    if (m_isInFlight.load(std::memory_order_acquire)) {
        throw HardwareError("camera", "start() while an acquire() is in flight; await it first");
    }
    if (m_isAcquiring.load(std::memory_order_acquire)) {
        throw HardwareError("camera", "start() during a scan; stop() it or acquire() to its end first");
    }
    for (const core::DieIndex die : plan.dies) {
        if (!m_model.grid().contains(die)) {
            throw HardwareError("camera", "the scan plan's die " + core::toText(die) +
                                              " is not on the machine's die grid");
        }
    }
    if (pool.frameBytes() < format().frameBytes()) {
        throw HardwareError("camera", "frame pool '" + pool.name() + "' has frames of " +
                                          std::to_string(pool.frameBytes()) + " bytes; a " +
                                          std::to_string(format().width) + " x " + std::to_string(format().height) +
                                          " Mono8 image needs " + std::to_string(format().frameBytes()));
    }
    m_renderer.loadWafer(plan.waferId);
    m_plan = std::move(plan);
    m_pool = &pool;
    m_mode = mode;
    m_next = 0;
    m_scanStart = MachineModel::now();
    m_lastSlot.reset();
    m_reportedOutage.reset();
    m_ended.reset();
    m_isStarted = true;
    {
        const std::lock_guard lock(m_triggerMutex);
        m_pendingTriggers = 0;
    }
    m_isStopRequested.store(false, std::memory_order_release);
    m_isAcquiring.store(true, std::memory_order_release);
    m_model.setScanning(true);
}

void SimulatedCamera::stop()
{
    m_isStopRequested.store(true, std::memory_order_release);
    m_isAcquiring.store(false, std::memory_order_release);
    m_model.setScanning(false);
    runtime::Continuation *waiter = nullptr;
    {
        const std::lock_guard lock(m_triggerMutex);
        waiter = std::exchange(m_triggerWaiter, nullptr);
    }
    if (waiter != nullptr) {
        waiter->resume();
    }
}

void SimulatedCamera::trigger()
{
    runtime::Continuation *waiter = nullptr;
    {
        const std::lock_guard lock(m_triggerMutex);
        waiter = std::exchange(m_triggerWaiter, nullptr);
        if (waiter == nullptr) {
            ++m_pendingTriggers;
        }
    }
    if (waiter != nullptr) {
        waiter->resume();
    }
}

ValueTask<AcquiredFrame> SimulatedCamera::acquire()
{
    if (!m_isStarted) {
        return refuse<AcquiredFrame>("acquire() before start()");
    }
    if (m_isInFlight.exchange(true, std::memory_order_acq_rel)) {
        return refuse<AcquiredFrame>("acquire() while another acquire() is in flight; await it first");
    }
    return acquireNext();
}

ValueTask<CameraState> SimulatedCamera::state()
{
    const TimePoint now = MachineModel::now();
    return ValueTask<CameraState>::fromResult(CameraState{
        m_model.isCameraConnected(now),
        m_isAcquiring.load(std::memory_order_acquire),
        m_framesDelivered.load(std::memory_order_relaxed),
        m_nextSequence.load(std::memory_order_relaxed),
        now,
    });
}

AcquiredFrame SimulatedCamera::finish(Status status)
{
    if (!m_ended) {
        m_ended = status;
        m_isAcquiring.store(false, std::memory_order_release);
        m_model.setScanning(false);
    }
    AcquiredFrame frame;
    frame.status = *m_ended;
    return frame;
}

FrameMetadata SimulatedCamera::metadata(std::uint64_t sequence, core::DieIndex die, TimePoint slot) const
{
    return FrameMetadata{sequence,       slot,           m_model.config().timing.exposure, format(),
                         m_plan.runId,   m_plan.waferId, die};
}

double SimulatedCamera::chance(std::uint64_t sequence, std::uint64_t stream) const noexcept
{
    SplitMix64 random(mixSeed(m_model.config().seed ^ stream, sequence));
    return random.uniform();
}

ValueTask<AcquiredFrame> SimulatedCamera::acquireNext()
{
    const InFlightScope inFlight(m_isInFlight);
    const bool isPaced = m_model.isPaced();
    const auto period = m_model.config().framePeriod();
    const auto exposure = m_model.config().timing.exposure;

    for (;;) {
        if (m_ended) {
            co_return finish(*m_ended);
        }
        if (m_isStopRequested.load(std::memory_order_acquire)) {
            co_return finish(Status::Stopped);
        }
        if (m_next >= m_plan.dies.size()) {
            co_return finish(Status::EndOfScan);
        }

        TimePoint now = MachineModel::now();
        if (!isPaced) {
            // Unpaced there are no slot times to let pass: wait for the camera to come back.
            const auto outage = m_model.faults()->windowAt(FaultKind::CameraDisconnect, now);
            if (outage && m_reportedOutage == outage->start) {
                co_await runtime::sleepUntil(outage->end);
                continue;
            }
        }

        const core::DieIndex die = m_plan.dies[m_next];
        TimePoint slot = now;
        if (isPaced) {
            const TimePoint moveStart = m_lastSlot ? *m_lastSlot + exposure : m_scanStart;
            const TimePoint settled = m_model.beginMove(die, moveStart);
            slot = m_lastSlot ? std::max(settled, *m_lastSlot + period) : settled;
        } else {
            static_cast<void>(m_model.beginMove(die, now));
        }
        if (m_mode == TriggerMode::Software) {
            co_await TriggerOperation(*this);
            if (m_isStopRequested.load(std::memory_order_acquire)) {
                continue;
            }
            slot = std::max(slot, MachineModel::now());
        }

        const std::uint64_t sequence = m_nextSequence.fetch_add(1, std::memory_order_relaxed);
        m_next += 1;
        m_lastSlot = slot;

        // One timeline for the whole frame, taken once its slot is fixed: whether it is lost, how
        // late it comes and how bright it is all read the same faults, whatever is injected meanwhile.
        const std::shared_ptr<const FaultTimeline> faults = m_model.faults();
        if (const auto outage = faults->windowAt(FaultKind::CameraDisconnect, slot)) {
            if (slot > MachineModel::now()) {
                co_await runtime::sleepUntil(slot);
            }
            if (m_reportedOutage != outage->start) {
                m_reportedOutage = outage->start;
                AcquiredFrame lost;
                lost.status = Status::Disconnected;
                lost.metadata = metadata(sequence, die, slot);
                co_return lost;
            }
            continue;
        }
        if (const FaultSpec *loss = faults->mostSevereAt(FaultKind::FrameLoss, slot);
            loss != nullptr && chance(sequence, kLossStream) < loss->fraction) {
            if (slot > MachineModel::now()) {
                co_await runtime::sleepUntil(slot);
            }
            continue;
        }
        TimePoint delivery = slot;
        if (const FaultSpec *jitter = faults->mostSevereAt(FaultKind::FrameJitter, slot)) {
            // Late by (0, max]: never on time while the fault lasts.
            const double share = 1.0 - chance(sequence, kJitterStream);
            delivery += std::chrono::duration_cast<runtime::Clock::duration>(jitter->maxDelay * share);
        }
        if (delivery > MachineModel::now()) {
            co_await runtime::sleepUntil(delivery);
        }
        if (m_isStopRequested.load(std::memory_order_acquire)) {
            continue;
        }

        runtime::FrameLease lease;
        if (isPaced) {
            std::optional<runtime::FrameLease> rented = m_pool->tryRent();
            if (!rented) {
                continue; // no free buffer when the frame came: lost, and counted by the pool
            }
            lease = std::move(*rented);
        } else {
            lease = co_await m_pool->rent();
        }
        m_renderer.render(die, lease.bytes(), m_model.illuminationFactor(*faults, slot));
        m_framesDelivered.fetch_add(1, std::memory_order_relaxed);
        AcquiredFrame frame;
        frame.status = Status::Frame;
        frame.lease = std::move(lease);
        frame.metadata = metadata(sequence, die, slot);
        co_return frame;
    }
}

} // namespace waferscope::hardware::sim::detail
