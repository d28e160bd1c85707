#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/hardware/sim/fault_spec_error.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/thread_executor.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/manual_executor.h>
#include <waferscope/testing/watchdog.h>

#include "camera_recorder.h"
#include "sim_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using hardware::sim::FaultSpec;
using hardware::sim::FaultSpecError;
using hardware::sim::SimulatedMachine;
using hardware::sim::SimulatorConfig;
using Status = hardware::AcquiredFrame::Status;
using waferscope::testing::AllocationScope;
using waferscope::testing::FrameRecord;
using waferscope::testing::framesOf;
using waferscope::testing::ManualExecutor;
using waferscope::testing::ready;
using waferscope::testing::recordFrames;
using waferscope::testing::smallConfig;

namespace {

constexpr std::size_t kFrameBytes = std::size_t{256} * 256;

SimulatorConfig configWith(std::initializer_list<const char *> faults,
                           SimulatorConfig::Pacing pacing = SimulatorConfig::Pacing::Realtime)
{
    SimulatorConfig config = smallConfig();
    config.timing.pacing = pacing;
    for (const char *fault : faults) {
        config.faults.push_back(FaultSpec::parse(fault));
    }
    return config;
}

/// A machine on a test's fake clock, powered on at the executor's time.
class FakeTimeMachine
{
public:
    explicit FakeTimeMachine(SimulatorConfig config)
        : m_machine(std::move(config))
    {
    }

    SimulatedMachine &operator*() { return m_machine; }
    SimulatedMachine *operator->() { return &m_machine; }
    ManualExecutor &executor() { return m_executor; }

    /// Moves the fake clock to `sincePowerOn`, running whatever comes due on the way.
    void advanceTo(runtime::Clock::duration sincePowerOn)
    {
        m_executor.advance(m_machine.powerOnTime() + sincePowerOn - m_executor.now());
    }
    [[nodiscard]] runtime::Clock::duration sincePowerOn(runtime::TimePoint t) const
    {
        return t - m_machine.powerOnTime();
    }

private:
    ManualExecutor m_executor; // first: the machine powers on at its fake time
    SimulatedMachine m_machine;
};

void pollAll(hardware::Machine &machine)
{
    static_cast<void>(ready(machine.stage().state()));
    static_cast<void>(ready(machine.illumination().state()));
    static_cast<void>(ready(machine.vacuumChuck().state()));
    static_cast<void>(ready(machine.controller().heartbeat()));
    static_cast<void>(ready(machine.controller().state()));
    static_cast<void>(ready(machine.camera().state()));
}

/// Scans the whole wafer on `executor`'s thread, at least once and then until `done`; counts the frames.
runtime::ValueTask<std::size_t> scanUntil(runtime::ThreadExecutor &executor, SimulatedMachine &machine,
                                          runtime::FramePool &pool, const std::atomic<bool> &done)
{
    co_await runtime::schedule(executor);
    std::size_t frames = 0;
    do {
        machine.camera().start(
            hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W01"), machine.dieGrid()), pool);
        for (;;) {
            hardware::AcquiredFrame frame = co_await machine.camera().acquire();
            if (frame.status == Status::EndOfScan) {
                break;
            }
            frames += frame.hasFrame() ? 1 : 0;
        }
        // Relaxed: the flag only ends the loop; the count travels back through the task.
    } while (!done.load(std::memory_order_relaxed));
    co_return frames;
}

} // namespace

class FaultInjectionTest : public QObject
{
    Q_OBJECT

private slots:
    void anInjectedVacuumDropShowsFromNowForItsDurationAndEndsOnTime()
    {
        FakeTimeMachine machine(smallConfig());
        machine.advanceTo(3s);
        QVERIFY(ready(machine->vacuumChuck().state()).isWaferClamped); // cached for this sample period
        const FaultSpec placed = machine->injectFault(FaultSpec::parse("vacuum-drop:start=0s,duration=2s,kpa=20"));
        QVERIFY(placed.start == 3s);
        QVERIFY(placed.duration == 2s);
        const hardware::VacuumState dropped = ready(machine->vacuumChuck().state());
        QCOMPARE(dropped.pressureKpa, 20.0);
        QVERIFY(!dropped.isWaferClamped);
        machine.advanceTo(5s - 1ns);
        QCOMPARE(ready(machine->vacuumChuck().state()).pressureKpa, 20.0);
        machine.advanceTo(5s);
        const hardware::VacuumState restored = ready(machine->vacuumChuck().state());
        QVERIFY(restored.pressureKpa > 79.0);
        QVERIFY(restored.isWaferClamped);
    }

    void anInjectedFaultsStartCountsFromNowNotFromPowerOn()
    {
        FakeTimeMachine machine(smallConfig());
        machine.advanceTo(3s);
        const FaultSpec placed = machine->injectFault(FaultSpec::parse("encoder-error:start=1s,duration=1s"));
        QVERIFY(placed.start == 4s);
        machine.advanceTo(4s - 1ns);
        QVERIFY(ready(machine->stage().state()).isEncoderHealthy);
        machine.advanceTo(4s);
        QVERIFY(!ready(machine->stage().state()).isEncoderHealthy);
        machine.advanceTo(5s - 1ns);
        QVERIFY(!ready(machine->stage().state()).isEncoderHealthy);
        machine.advanceTo(5s);
        QVERIFY(ready(machine->stage().state()).isEncoderHealthy);
    }

    void anInjectedFaultMergesWithTheConfiguredOnes()
    {
        FakeTimeMachine machine(configWith({"vacuum-drop:start=10s,duration=5s,kpa=40"}));
        machine.advanceTo(12s);
        machine->injectFault(FaultSpec::parse("vacuum-drop:start=0s,duration=1s,kpa=20"));
        QCOMPARE(ready(machine->vacuumChuck().state()).pressureKpa, 20.0); // the most severe wins
        machine.advanceTo(13s);
        QCOMPARE(ready(machine->vacuumChuck().state()).pressureKpa, 40.0); // the configured one goes on
        machine.advanceTo(15s);
        QVERIFY(ready(machine->vacuumChuck().state()).isWaferClamped);
        QCOMPARE(machine->config().faults.size(), std::size_t{1}); // the config keeps only its own
    }

    void anInjectedOutageOverlappingAConfiguredOneExtendsIt()
    {
        FakeTimeMachine machine(configWith({"camera-disconnect:start=10s,duration=5s"}));
        machine.advanceTo(14s);
        machine->injectFault(FaultSpec::parse("camera-disconnect:start=0s,duration=3s"));
        machine.advanceTo(15s);
        QVERIFY(!ready(machine->camera().state()).isConnected);
        machine.advanceTo(17s - 1ns);
        QVERIFY(!ready(machine->camera().state()).isConnected);
        machine.advanceTo(17s);
        QVERIFY(ready(machine->camera().state()).isConnected);
    }

    void anInvalidFaultThrowsAndLeavesTheTimelineUnchanged()
    {
        FakeTimeMachine machine(smallConfig());
        machine.advanceTo(1s);
        FaultSpec fault = FaultSpec::parse("vacuum-drop:start=0s,duration=5s");
        fault.kpa = 200.0;
        try {
            machine->injectFault(fault);
            QFAIL("accepted a vacuum above atmospheric pressure");
        } catch (const FaultSpecError &e) {
            QCOMPARE(e.key(), std::string("kpa"));
        }
        fault.kpa = 20.0;
        fault.duration = 0s;
        QVERIFY_THROWS_EXCEPTION(FaultSpecError, machine->injectFault(fault));
        QVERIFY(ready(machine->vacuumChuck().state()).isWaferClamped);
    }

    void aHeartbeatStopInjectedAsABeatFallsDueNeverTakesThatBeatBack()
    {
        FakeTimeMachine machine(smallConfig());
        machine.advanceTo(10s);
        QCOMPARE(ready(machine->controller().heartbeat()).sequence, std::uint64_t{100});
        const FaultSpec placed = machine->injectFault(FaultSpec::parse("heartbeat-stop:start=0s,duration=5s"));
        QVERIFY(placed.start == 10s + 1ns);
        QVERIFY(placed.end() == 15s);
        QCOMPARE(ready(machine->controller().heartbeat()).sequence, std::uint64_t{100});
        machine.advanceTo(15s - 1ns);
        QCOMPARE(ready(machine->controller().heartbeat()).sequence, std::uint64_t{100});
        machine.advanceTo(15s);
        QCOMPARE(ready(machine->controller().heartbeat()).sequence, std::uint64_t{101});
    }

    void aHeartbeatStopInjectedBetweenBeatsIsPlacedAsGiven()
    {
        FakeTimeMachine machine(smallConfig());
        machine.advanceTo(10050ms);
        const FaultSpec placed = machine->injectFault(FaultSpec::parse("heartbeat-stop:start=0s,duration=1s"));
        QVERIFY(placed.start == 10050ms);
        QVERIFY(placed.duration == 1s);
    }

    void aFaultInjectedDuringAScanShowsFromTheNextFrameOn()
    {
        FakeTimeMachine machine(smallConfig());
        runtime::FramePool pool("frames", runtime::FramePoolOptions{4, kFrameBytes});
        std::vector<FrameRecord> records;
        machine->camera().start(
            hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W01"), machine->dieGrid()), pool);
        machine.executor().spawn(recordFrames(machine->camera(), records, 10000));
        machine.advanceTo(1s);
        machine->injectFault(FaultSpec::parse("illumination-degrade:start=0s,duration=1s,factor=0.6"));
        machine.advanceTo(10s);
        QCOMPARE(records.back().status, Status::EndOfScan);
        // Split the frames: before the injection, the one under way when it came (its slot, in the
        // fault's window, was fixed before it), the rest of the window, and after the window.
        const auto frames = framesOf(records);
        double before = 0.0;
        double underWay = 0.0;
        double inside = 0.0;
        std::size_t beforeCount = 0;
        std::size_t insideCount = 0;
        bool isUnderWaySeen = false;
        for (const FrameRecord &f : frames) {
            const auto t = machine.sincePowerOn(f.metadata.timestamp);
            if (machine.sincePowerOn(f.deliveredAt) <= 1s) {
                before += f.mean;
                ++beforeCount;
            } else if (!isUnderWaySeen) {
                isUnderWaySeen = true;
                QVERIFY(t > 1s && t < 2s);
                underWay = f.mean;
            } else if (t < 2s) {
                inside += f.mean;
                ++insideCount;
            }
        }
        const double baseline = before / static_cast<double>(beforeCount);
        QVERIFY2(std::abs(underWay / baseline - 1.0) < 0.03, qPrintable(QString::number(underWay / baseline)));
        QVERIFY(insideCount > 40);
        const double ratio = inside / static_cast<double>(insideCount) / baseline;
        QVERIFY2(std::abs(ratio - 0.6) < 0.03, qPrintable(QString::number(ratio)));
    }

    void pollsAllocateNothingAfterAnInjection()
    {
        FakeTimeMachine machine(smallConfig());
        for (const char *fault :
             {"vacuum-drop:start=0s,duration=1s", "heartbeat-stop:start=0s,duration=1s",
              "encoder-error:start=1s,duration=1s", "following-error:start=0s,duration=2s",
              "illumination-degrade:start=0s,duration=2s", "camera-disconnect:start=2s,duration=1s"}) {
            machine->injectFault(FaultSpec::parse(fault));
        }
        pollAll(*machine); // warm syncWait's coroutine frame pool
        const AllocationScope scope;
        for (int i = 0; i < 1000; ++i) { // 3 s: through every injected window and out of it
            pollAll(*machine);
            machine.executor().advance(3ms);
        }
        QCOMPARE(scope.thread(), std::uint64_t{0});
    }

    void framesAllocateNothingAfterAnInjection()
    {
        FakeTimeMachine machine(configWith({}, SimulatorConfig::Pacing::Unpaced));
        runtime::FramePool pool("frames", runtime::FramePoolOptions{2, kFrameBytes});
        machine->camera().start(
            hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W01"), machine->dieGrid()), pool);
        for (int i = 0; i < 10; ++i) { // warm the coroutine frame pool
            static_cast<void>(runtime::syncWait(machine->camera().acquire()));
        }
        machine->injectFault(FaultSpec::parse("frame-loss:start=0s,duration=1h,fraction=0.5"));
        machine->injectFault(FaultSpec::parse("illumination-degrade:start=0s,duration=1h,factor=0.6"));
        const AllocationScope scope;
        for (int i = 0; i < 50; ++i) {
            QVERIFY(runtime::syncWait(machine->camera().acquire()).hasFrame());
        }
        QCOMPARE(scope.thread(), std::uint64_t{0});
    }

    void injectingFromAnotherThreadWhilePollsAndAScanRunIsSafe()
    {
        const waferscope::testing::Watchdog watchdog("fault injection across threads");
        // The steady clock, as on the real console: the threads share no executor.
        SimulatedMachine machine(
            configWith({"vacuum-drop:start=0s,duration=1h,kpa=60"}, SimulatorConfig::Pacing::Unpaced));
        runtime::FramePool pool("frames", runtime::FramePoolOptions{2, kFrameBytes});
        runtime::ThreadExecutor acquisition("acquisition");
        std::atomic<bool> done{false};
        runtime::ValueTask<std::size_t> scans = scanUntil(acquisition, machine, pool, done);
        std::atomic<int> polls{0};
        std::thread poller([&] {
            // Relaxed: a flag and a counter; join() orders everything the test reads afterwards.
            do {
                pollAll(machine);
                polls.fetch_add(1, std::memory_order_relaxed);
            } while (!done.load(std::memory_order_relaxed));
        });
        constexpr const char *kFaults[] = {
            "vacuum-drop:start=0s,duration=1ms,kpa=20",        "heartbeat-stop:start=0s,duration=1ms",
            "encoder-error:start=0s,duration=1ms",             "following-error:start=0s,duration=1ms",
            "illumination-degrade:start=0s,duration=1ms",      "frame-loss:start=0s,duration=1ms,fraction=0.5",
            "frame-jitter:start=0s,duration=1ms,max=100us",    "camera-disconnect:start=0s,duration=100us",
        };
        runtime::Clock::duration lastStart{};
        for (int i = 0; i < 400; ++i) {
            const FaultSpec placed = machine.injectFault(FaultSpec::parse(kFaults[i % std::size(kFaults)]));
            QVERIFY(placed.start >= lastStart); // counted from a clock that only goes forward
            lastStart = placed.start;
        }
        done.store(true, std::memory_order_relaxed);
        poller.join();
        const std::size_t frames = runtime::syncWait(std::move(scans));
        acquisition.stop();
        QVERIFY(polls.load(std::memory_order_relaxed) > 0);
        QVERIFY(frames > 0);
        machine.injectFault(FaultSpec::parse("camera-disconnect:start=0s,duration=1h"));
        QVERIFY(!ready(machine.camera().state()).isConnected); // every injection kept: the last one shows at once
    }
};

QTEST_GUILESS_MAIN(FaultInjectionTest)
#include "fault_injection_test.moc"
