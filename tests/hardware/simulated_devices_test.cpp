#include <QTest>

#include <chrono>
#include <cmath>
#include <vector>

#include <waferscope/hardware/hardware_error.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/job.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/manual_executor.h>

#include "camera_recorder.h"
#include "sim_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using hardware::sim::SimulatedMachine;
using hardware::sim::SimulatorConfig;
using waferscope::testing::AllocationScope;
using waferscope::testing::FrameRecord;
using waferscope::testing::framesOf;
using waferscope::testing::ManualExecutor;
using waferscope::testing::ready;
using waferscope::testing::recordFrames;
using waferscope::testing::smallConfig;

namespace {

runtime::Job moveInto(hardware::Stage &stage, core::DieIndex die, std::optional<hardware::StageState> &arrived,
                      runtime::TimePoint &when)
{
    arrived = co_await stage.moveTo(die);
    when = runtime::Executor::current()->now();
}

template<typename T>
std::string errorOf(runtime::ValueTask<T> &&task)
{
    try {
        if constexpr (std::is_void_v<T>) {
            runtime::syncWait(std::move(task));
        } else {
            static_cast<void>(runtime::syncWait(std::move(task)));
        }
    } catch (const hardware::HardwareError &e) {
        return e.what();
    }
    return "(no error)";
}

double distance(core::PointMm a, core::PointMm b)
{
    return std::hypot(a.x - b.x, a.y - b.y);
}

} // namespace

class SimulatedDevicesTest : public QObject
{
    Q_OBJECT

private slots:
    void everyPollCompletesSynchronously()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        QVERIFY(machine.stage().state().isCompleted());
        QVERIFY(machine.illumination().state().isCompleted());
        QVERIFY(machine.vacuumChuck().state().isCompleted());
        QVERIFY(machine.controller().heartbeat().isCompleted());
        QVERIFY(machine.controller().state().isCompleted());
        QVERIFY(machine.camera().state().isCompleted());
    }

    void pollingAllocatesNothing()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        const auto pollAll = [&] {
            static_cast<void>(ready(machine.stage().state()));
            static_cast<void>(ready(machine.illumination().state()));
            static_cast<void>(ready(machine.vacuumChuck().state()));
            static_cast<void>(ready(machine.controller().heartbeat()));
            static_cast<void>(ready(machine.controller().state()));
            static_cast<void>(ready(machine.camera().state()));
        };
        pollAll(); // warm syncWait's coroutine frame pool
        const AllocationScope scope;
        for (int i = 0; i < 1000; ++i) {
            pollAll();
            executor.advance(3ms); // fresh samples as well as cached ones
        }
        QCOMPARE(scope.thread(), std::uint64_t{0});
    }

    void pollsWithinOneSamplePeriodAreAnsweredFromTheCachedSample()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        executor.advance(10ms);
        const hardware::VacuumState a = ready(machine.vacuumChuck().state());
        executor.advance(9ms);
        const hardware::VacuumState b = ready(machine.vacuumChuck().state());
        QVERIFY(a.timestamp == b.timestamp);
        QCOMPARE(a.pressureKpa, b.pressureKpa);
        executor.advance(1ms);
        const hardware::VacuumState c = ready(machine.vacuumChuck().state());
        QVERIFY(c.timestamp == a.timestamp + 10ms);
        QVERIFY(ready(machine.stage().state()).timestamp == executor.now()); // the stage samples every 1 ms
    }

    void aMoveTakesTheTravelAtStageSpeedPlusSettling()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        const core::DieIndex die = machine.dieGrid().scanOrder()[0];
        const core::PointMm target = machine.dieGrid().dieCentre(die);
        std::optional<hardware::StageState> arrived;
        runtime::TimePoint when{};
        const runtime::TimePoint start = executor.now();
        executor.spawn(moveInto(machine.stage(), die, arrived, when));
        executor.advance(2s);
        QVERIFY(arrived.has_value());
        const auto expected = std::chrono::duration_cast<runtime::Clock::duration>(
                                  std::chrono::duration<double>(distance(target, {}) / 1000.0)) + 2ms;
        QVERIFY(when - start == expected);
        QCOMPARE(arrived->position, target);
        QCOMPARE(arrived->target, target);
        QVERIFY(!arrived->isMoving);
        QVERIFY(arrived->followingErrorUm < 1.0);
    }

    void theReadbackMovesAlongTheWayDuringAMove()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        const core::DieIndex die = machine.dieGrid().scanOrder()[0];
        const core::PointMm target = machine.dieGrid().dieCentre(die);
        std::optional<hardware::StageState> arrived;
        runtime::TimePoint when{};
        executor.spawn(moveInto(machine.stage(), die, arrived, when));
        executor.advance(30ms);
        const hardware::StageState moving = ready(machine.stage().state());
        QVERIFY(moving.isMoving);
        QCOMPARE(moving.target, target);
        QVERIFY(std::abs(distance(moving.position, {}) - 30.0) < 1e-6); // 1000 mm/s for 30 ms
        QVERIFY(moving.followingErrorUm > 1.0);
        executor.advance(2s);
        QVERIFY(!ready(machine.stage().state()).isMoving);
    }

    void anUnpacedMoveArrivesAtOnce()
    {
        ManualExecutor executor;
        SimulatorConfig config = smallConfig();
        config.timing.pacing = SimulatorConfig::Pacing::Unpaced;
        SimulatedMachine machine(config);
        const core::DieIndex die = machine.dieGrid().scanOrder()[5];
        const hardware::StageState state = ready(machine.stage().moveTo(die));
        QCOMPARE(state.position, machine.dieGrid().dieCentre(die));
    }

    void theStageRefusesADieOffTheGridAndAMoveDuringAScan()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        QCOMPARE(errorOf(machine.stage().moveTo({0, 0})), std::string("stage: die (0,0) is not on the machine's die grid"));
        runtime::FramePool pool("frames", runtime::FramePoolOptions{2, std::size_t{256} * 256});
        machine.camera().start(hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W"), machine.dieGrid()),
                               pool);
        QCOMPARE(errorOf(machine.stage().moveTo(machine.dieGrid().scanOrder()[0])),
                 std::string("stage: a scan owns the stage; stop the camera first"));
        machine.camera().stop();
    }

    void theStageFollowsTheScan()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        runtime::FramePool pool("frames", runtime::FramePoolOptions{4, std::size_t{256} * 256});
        const hardware::ScanPlan plan =
            hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W"), machine.dieGrid());
        machine.camera().start(plan, pool);
        std::vector<FrameRecord> records;
        executor.spawn(recordFrames(machine.camera(), records, 5));
        executor.advance(2s);
        QCOMPARE(records.size(), std::size_t{5});
        const hardware::StageState fifth = ready(machine.stage().state());
        QCOMPARE(fifth.target, machine.dieGrid().dieCentre(plan.dies[4]));
        QCOMPARE(fifth.position, machine.dieGrid().dieCentre(plan.dies[4]));
        // The next acquire() sends the stage on to the sixth die at once.
        executor.spawn(recordFrames(machine.camera(), records, 6));
        executor.runReady();
        QCOMPARE(ready(machine.stage().state()).target, machine.dieGrid().dieCentre(plan.dies[5]));
        executor.advance(1s);
        QCOMPARE(records.size(), std::size_t{6});
        machine.camera().stop();
    }

    void setIntensityChangesTheSetpointAndTheReadback()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        const hardware::IlluminationState initial = ready(machine.illumination().state());
        QCOMPARE(initial.setpointPercent, 80.0);
        QCOMPARE(initial.readbackPercent, 80.0);
        runtime::syncWait(machine.illumination().setIntensity(40.0));
        const hardware::IlluminationState changed = ready(machine.illumination().state());
        QCOMPARE(changed.setpointPercent, 40.0);
        QCOMPARE(changed.readbackPercent, 40.0);
    }

    void anIntensityOutsideZeroToHundredIsAHardwareError()
    {
        SimulatedMachine machine(smallConfig());
        QVERIFY(errorOf(machine.illumination().setIntensity(120.0)).starts_with("illumination: intensity 120"));
        QVERIFY(errorOf(machine.illumination().setIntensity(-1.0)).find("outside 0…100 %") != std::string::npos);
        QCOMPARE(ready(machine.illumination().state()).setpointPercent, 80.0);
    }

    void aDimmerLampMakesDimmerFrames()
    {
        ManualExecutor executor;
        SimulatorConfig config = smallConfig();
        config.timing.pacing = SimulatorConfig::Pacing::Unpaced;
        SimulatedMachine machine(config);
        runtime::FramePool pool("frames", runtime::FramePoolOptions{2, std::size_t{256} * 256});
        hardware::ScanPlan plan = hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W"), machine.dieGrid());
        plan.dies = {plan.dies[7], plan.dies[7]};
        machine.camera().start(plan, pool);
        const double full = waferscope::testing::meanOf(ready(machine.camera().acquire()).lease.bytes());
        runtime::syncWait(machine.illumination().setIntensity(40.0));
        const double half = waferscope::testing::meanOf(ready(machine.camera().acquire()).lease.bytes());
        QVERIFY(std::abs(half / full - 0.5) < 0.02);
    }

    void lampHoursGrowWithMachineTime()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        QCOMPARE(ready(machine.illumination().state()).lampHours, 1200.0);
        executor.advance(std::chrono::hours(2));
        QVERIFY(std::abs(ready(machine.illumination().state()).lampHours - 1202.0) < 1e-9);
    }

    void theChuckPowersOnClampedAtItsNominalPressure()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        for (int i = 0; i < 50; ++i) {
            const hardware::VacuumState state = ready(machine.vacuumChuck().state());
            QVERIFY(state.isVacuumOn);
            QVERIFY(state.isWaferClamped);
            QVERIFY(std::abs(state.pressureKpa - 80.0) <= 0.2);
            executor.advance(70ms);
        }
    }

    void releaseDropsThePressureAndUnclampsAndClampRestoresIt()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        runtime::syncWait(machine.vacuumChuck().release());
        const hardware::VacuumState off = ready(machine.vacuumChuck().state());
        QVERIFY(!off.isVacuumOn);
        QVERIFY(!off.isWaferClamped);
        QCOMPARE(off.pressureKpa, 0.0);
        runtime::syncWait(machine.vacuumChuck().clamp());
        const hardware::VacuumState on = ready(machine.vacuumChuck().state());
        QVERIFY(on.isVacuumOn);
        QVERIFY(on.isWaferClamped);
    }

    void theHeartbeatBeatsOncePerPeriod()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        QCOMPARE(ready(machine.controller().heartbeat()).sequence, std::uint64_t{0});
        executor.advance(99ms);
        QCOMPARE(ready(machine.controller().heartbeat()).sequence, std::uint64_t{0});
        executor.advance(1ms);
        QCOMPARE(ready(machine.controller().heartbeat()).sequence, std::uint64_t{1});
        executor.advance(1s + 50ms);
        const hardware::Heartbeat beat = ready(machine.controller().heartbeat());
        QCOMPARE(beat.sequence, std::uint64_t{11});
        QVERIFY(beat.timestamp == machine.powerOnTime() + 1100ms);
    }

    void theMachineIsScanningWhileTheCameraAcquiresAPlan()
    {
        ManualExecutor executor;
        SimulatorConfig config = smallConfig();
        config.timing.pacing = SimulatorConfig::Pacing::Unpaced;
        SimulatedMachine machine(config);
        runtime::FramePool pool("frames", runtime::FramePoolOptions{2, std::size_t{256} * 256});
        QCOMPARE(ready(machine.controller().state()), hardware::MachineState::Idle);
        hardware::ScanPlan plan = hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W"), machine.dieGrid());
        plan.dies.resize(2);
        machine.camera().start(plan, pool);
        QCOMPARE(ready(machine.controller().state()), hardware::MachineState::Scanning);
        static_cast<void>(ready(machine.camera().acquire()));
        static_cast<void>(ready(machine.camera().acquire()));
        QCOMPARE(ready(machine.controller().state()), hardware::MachineState::Scanning);
        QCOMPARE(ready(machine.camera().acquire()).status, hardware::AcquiredFrame::Status::EndOfScan);
        QCOMPARE(ready(machine.controller().state()), hardware::MachineState::Idle);
    }
};

QTEST_GUILESS_MAIN(SimulatedDevicesTest)
#include "simulated_devices_test.moc"
