#include <QTest>

#include <chrono>
#include <vector>

#include <waferscope/core/validation_error.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/hardware/sim/wafer_renderer.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/thread_executor.h>
#include <waferscope/testing/manual_executor.h>
#include <waferscope/testing/watchdog.h>

#include "camera_recorder.h"
#include "sim_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using hardware::sim::FaultSpec;
using hardware::sim::SimulatedMachine;
using hardware::sim::SimulatorConfig;
using Status = hardware::AcquiredFrame::Status;
using waferscope::testing::FrameRecord;
using waferscope::testing::framesOf;
using waferscope::testing::ManualExecutor;
using waferscope::testing::ready;
using waferscope::testing::recordFrames;
using waferscope::testing::smallConfig;

namespace {

struct Delivered {
    std::uint64_t sequence;
    runtime::TimePoint timestamp;
    runtime::TimePoint deliveredAt;
};

/// Acquires a whole scan on `executor`'s thread, as an acquisition stage would; `ended` is why it ended.
runtime::ValueTask<std::vector<Delivered>> acquireOn(runtime::ThreadExecutor &executor, hardware::Camera &camera,
                                                     Status *ended = nullptr)
{
    co_await runtime::schedule(executor);
    std::vector<Delivered> delivered;
    for (;;) {
        hardware::AcquiredFrame frame = co_await camera.acquire();
        if (!frame.hasFrame()) {
            if (ended != nullptr) {
                *ended = frame.status;
            }
            break;
        }
        delivered.push_back({frame.metadata.sequence, frame.metadata.timestamp, runtime::Clock::now()});
    }
    co_return delivered;
}

SimulatorConfig fastRealtimeConfig()
{
    SimulatorConfig config = smallConfig();
    config.timing.framesPerSecond = 500.0;
    config.timing.exposure = 100us;
    config.timing.stageSpeedMmPerS = 10000.0; // a 10 mm step takes 1 ms: less than a frame period
    config.timing.settleTime = 0ms;
    return config;
}

} // namespace

class SimulatedMachineTest : public QObject
{
    Q_OBJECT

private slots:
    void isTheSimulatorAndHandsOutItsDevices()
    {
        SimulatedMachine machine(smallConfig());
        hardware::Machine &asMachine = machine;
        QCOMPARE(asMachine.name(), std::string_view("simulator"));
        QCOMPARE(asMachine.dieGrid().dieCount(), std::size_t{212});
        QCOMPARE(asMachine.camera().format(), smallConfig().imageFormat());
        QCOMPARE(&asMachine.stage(), &machine.stage());
        QCOMPARE(machine.config().image.width, 256);
    }

    void constructionNamesEveryWrongFieldOfTheConfiguration()
    {
        SimulatorConfig config = smallConfig();
        config.image.pixelSizeUm = 0.0;
        config.faults.push_back(FaultSpec::parse("vacuum-drop:start=1s,duration=1s"));
        config.faults.back().duration = 0s;
        try {
            const SimulatedMachine machine(config);
        } catch (const core::ValidationError &e) {
            QVERIFY(!e.problemWith("image.pixel_size_um").empty());
            QCOMPARE(e.problemWith("faults[0]"), std::string_view("duration: must be longer than zero"));
            return;
        }
        QFAIL("accepted a wrong configuration");
    }

    void powersOnAtTheCurrentExecutorsClock()
    {
        ManualExecutor executor;
        executor.advance(5s);
        const SimulatedMachine machine(smallConfig());
        QVERIFY(machine.powerOnTime() == executor.now());
    }

    void theFaultTimelineCountsFromPowerOn()
    {
        ManualExecutor executor;
        executor.advance(1h); // an hour before power-on must not count toward the fault's start
        SimulatorConfig config = smallConfig();
        config.faults.push_back(FaultSpec::parse("encoder-error:start=10s,duration=1s"));
        SimulatedMachine machine(config);
        executor.advance(9s);
        QVERIFY(ready(machine.stage().state()).isEncoderHealthy);
        executor.advance(1s);
        QVERIFY(!ready(machine.stage().state()).isEncoderHealthy);
    }

    void itsTruthIsWhatItsCameraDraws()
    {
        ManualExecutor executor;
        SimulatorConfig config = smallConfig();
        config.defects.densityPerCm2 = 2.0;
        SimulatedMachine machine(config);
        const hardware::sim::WaferTruth truth = machine.truth(core::WaferId("W05"));
        QVERIFY(truth.defects().size() > 100);
        hardware::sim::WaferRenderer renderer(config);
        renderer.loadWafer(core::WaferId("W05"));
        QCOMPARE(renderer.truth().defects().size(), truth.defects().size());
        for (std::size_t i = 0; i < truth.defects().size(); ++i) {
            QCOMPARE(renderer.truth().defects()[i].die, truth.defects()[i].die);
            QCOMPARE(renderer.truth().defects()[i].pixels.x, truth.defects()[i].pixels.x);
        }
        runtime::FramePool pool("frames", runtime::FramePoolOptions{4, std::size_t{256} * 256});
        machine.camera().start(hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W05"), machine.dieGrid()),
                               pool);
        std::vector<FrameRecord> records;
        executor.spawn(recordFrames(machine.camera(), records, 1000));
        executor.advance(10s);
        std::vector<std::byte> expected(renderer.format().frameBytes());
        const auto frames = framesOf(records);
        QCOMPARE(frames.size(), machine.dieGrid().dieCount());
        for (const FrameRecord &f : frames) {
            renderer.render(f.metadata.die, expected);
            QCOMPARE(f.hash, waferscope::testing::hashBytes(expected));
        }
    }

    void runsWithoutAnExecutorOnTheSteadyClock()
    {
        SimulatorConfig config = smallConfig();
        config.timing.pacing = SimulatorConfig::Pacing::Unpaced;
        SimulatedMachine machine(config);
        runtime::FramePool pool("frames", runtime::FramePoolOptions{2, std::size_t{256} * 256});
        hardware::ScanPlan plan = hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W"), machine.dieGrid());
        plan.dies.resize(3);
        machine.camera().start(plan, pool);
        const runtime::TimePoint before = runtime::Clock::now();
        const hardware::AcquiredFrame frame = runtime::syncWait(machine.camera().acquire());
        QVERIFY(frame.hasFrame());
        QVERIFY(frame.metadata.timestamp >= before && frame.metadata.timestamp <= runtime::Clock::now());
    }

    void aRealtimeScanRunsOnAThreadExecutorAtItsFrameRate()
    {
        const waferscope::testing::Watchdog watchdog("realtime scan on a ThreadExecutor");
        SimulatedMachine machine(fastRealtimeConfig());
        runtime::FramePool pool("frames", runtime::FramePoolOptions{4, std::size_t{256} * 256});
        hardware::ScanPlan plan = hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W"), machine.dieGrid());
        plan.dies.resize(20);
        machine.camera().start(plan, pool);
        runtime::ThreadExecutor executor("acquisition");
        const std::vector<Delivered> delivered = runtime::syncWait(acquireOn(executor, machine.camera()));
        executor.stop();
        QCOMPARE(delivered.size(), std::size_t{20});
        for (std::size_t i = 0; i < delivered.size(); ++i) {
            QCOMPARE(delivered[i].sequence, std::uint64_t{i});
            QVERIFY(delivered[i].deliveredAt >= delivered[i].timestamp); // never before its slot
            if (i > 0) {
                QVERIFY(delivered[i].timestamp - delivered[i - 1].timestamp >= 2ms); // 500 frames per second
            }
        }
    }

    void softwareTriggersFromAnotherThreadReleaseTheFrames()
    {
        const waferscope::testing::Watchdog watchdog("software triggers across threads");
        SimulatedMachine machine(fastRealtimeConfig());
        runtime::FramePool pool("frames", runtime::FramePoolOptions{4, std::size_t{256} * 256});
        hardware::ScanPlan plan = hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W"), machine.dieGrid());
        plan.dies.resize(5);
        machine.camera().start(plan, pool, hardware::TriggerMode::Software);
        runtime::ThreadExecutor executor("acquisition");
        Status ended = Status::Frame;
        runtime::ValueTask<std::vector<Delivered>> scan = acquireOn(executor, machine.camera(), &ended);
        for (int i = 0; i < 5; ++i) {
            machine.camera().trigger(); // from this thread, while the executor's thread acquires
        }
        const std::vector<Delivered> delivered = runtime::syncWait(std::move(scan));
        executor.stop();
        QCOMPARE(delivered.size(), std::size_t{5});
        QCOMPARE(ended, Status::EndOfScan);
    }

    void stopFromAnotherThreadEndsAWaitingAcquire()
    {
        const waferscope::testing::Watchdog watchdog("stop across threads");
        SimulatedMachine machine(fastRealtimeConfig());
        runtime::FramePool pool("frames", runtime::FramePoolOptions{4, std::size_t{256} * 256});
        machine.camera().start(hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W"), machine.dieGrid()),
                               pool, hardware::TriggerMode::Software);
        runtime::ThreadExecutor executor("acquisition");
        Status ended = Status::Frame;
        runtime::ValueTask<std::vector<Delivered>> scan = acquireOn(executor, machine.camera(), &ended);
        machine.camera().stop();
        const std::vector<Delivered> delivered = runtime::syncWait(std::move(scan));
        executor.stop();
        QVERIFY(delivered.empty());
        QCOMPARE(ended, Status::Stopped);
    }
};

QTEST_GUILESS_MAIN(SimulatedMachineTest)
#include "simulated_machine_test.moc"
