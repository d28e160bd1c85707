#include <QTest>

#include <chrono>
#include <vector>

#include <waferscope/hardware/hardware_error.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/hardware/sim/wafer_renderer.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/manual_executor.h>

#include "camera_recorder.h"
#include "sim_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using hardware::AcquiredFrame;
using hardware::ScanPlan;
using hardware::TriggerMode;
using hardware::sim::SimulatedMachine;
using hardware::sim::SimulatorConfig;
using runtime::FramePool;
using runtime::FramePoolOptions;
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

ScanPlan firstDies(const SimulatedMachine &machine, std::size_t count, std::uint64_t run = 1,
                   std::string_view wafer = "W01")
{
    ScanPlan plan = ScanPlan::fullWafer(core::RunId(run), core::WaferId(wafer), machine.dieGrid());
    plan.dies.resize(std::min(count, plan.dies.size()));
    return plan;
}

SimulatorConfig unpacedConfig()
{
    SimulatorConfig config = smallConfig();
    config.timing.pacing = SimulatorConfig::Pacing::Unpaced;
    return config;
}

template<typename T>
std::string errorOf(runtime::ValueTask<T> &&task)
{
    try {
        static_cast<void>(runtime::syncWait(std::move(task)));
    } catch (const hardware::HardwareError &e) {
        return e.what();
    }
    return "(no error)";
}

bool contains(const std::string &text, std::string_view part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class SimulatedCameraTest : public QObject
{
    Q_OBJECT

private slots:
    void realtimeFramesComeAtTheFrameRateOnceTheStageHasSettled()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        FramePool pool("frames", FramePoolOptions{4, kFrameBytes});
        const ScanPlan plan = firstDies(machine, 30);
        machine.camera().start(plan, pool);
        std::vector<FrameRecord> records;
        executor.spawn(recordFrames(machine.camera(), records, 100));

        // The first frame waits for the stage to travel from the load position to the first die.
        const core::PointMm first = machine.dieGrid().dieCentre(plan.dies[0]);
        const auto travel = std::chrono::duration_cast<runtime::Clock::duration>(
            std::chrono::duration<double>(std::hypot(first.x, first.y) / 1000.0));
        const runtime::TimePoint firstSlot = machine.powerOnTime() + travel + 2ms;
        executor.advance(firstSlot - executor.now() - 1us);
        QVERIFY(records.empty());
        executor.advance(1us);
        QCOMPARE(records.size(), std::size_t{1});
        QVERIFY(records[0].metadata.timestamp == firstSlot);

        executor.advance(10s);
        QCOMPARE(records.size(), plan.dies.size() + 1);
        QCOMPARE(records.back().status, Status::EndOfScan);
        const auto frames = framesOf(records);
        for (std::size_t i = 1; i < frames.size(); ++i) {
            const auto gap = frames[i].metadata.timestamp - frames[i - 1].metadata.timestamp;
            QVERIFY(gap >= 20ms); // 50 frames per second
            if (frames[i].metadata.die.row == frames[i - 1].metadata.die.row) {
                QVERIFY(gap == 20ms); // a 10 mm step takes 10 ms and settles in 2: the frame rate rules
            }
            QVERIFY(frames[i].deliveredAt == frames[i].metadata.timestamp);
        }
    }

    void metadataIsStampedFromTheScanPlan()
    {
        ManualExecutor executor;
        SimulatorConfig config = smallConfig();
        config.timing.exposure = 300us;
        SimulatedMachine machine(config);
        FramePool pool("frames", FramePoolOptions{4, kFrameBytes});
        const ScanPlan plan = firstDies(machine, 12, 42, "LOT9-03");
        machine.camera().start(plan, pool);
        std::vector<FrameRecord> records;
        executor.spawn(recordFrames(machine.camera(), records, 100));
        executor.advance(5s);
        const auto frames = framesOf(records);
        QCOMPARE(frames.size(), plan.dies.size());
        for (std::size_t i = 0; i < frames.size(); ++i) {
            const hardware::FrameMetadata &m = frames[i].metadata;
            QCOMPARE(m.sequence, std::uint64_t{i});
            QCOMPARE(m.runId, core::RunId(42));
            QCOMPARE(m.waferId.text(), std::string_view("LOT9-03"));
            QCOMPARE(m.die, plan.dies[i]);
            QVERIFY(m.exposure == 300us);
            QCOMPARE(m.format, config.imageFormat());
        }
    }

    void aSecondScanCarriesItsOwnRunAndWaferAndSequenceNumbersGoOn()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        FramePool pool("frames", FramePoolOptions{4, kFrameBytes});
        std::vector<FrameRecord> first;
        machine.camera().start(firstDies(machine, 3, 1, "W01"), pool);
        executor.spawn(recordFrames(machine.camera(), first, 100));
        executor.advance(5s);
        std::vector<FrameRecord> second;
        machine.camera().start(firstDies(machine, 3, 2, "W02"), pool);
        executor.spawn(recordFrames(machine.camera(), second, 100));
        executor.advance(5s);
        const auto frames = framesOf(second);
        QCOMPARE(frames.size(), std::size_t{3});
        for (std::size_t i = 0; i < frames.size(); ++i) {
            QCOMPARE(frames[i].metadata.runId, core::RunId(2));
            QCOMPARE(frames[i].metadata.waferId.text(), std::string_view("W02"));
            QCOMPARE(frames[i].metadata.sequence, std::uint64_t{3 + i});
        }
    }

    void twoMachinesScanningAtOnceEachStampTheirOwnPlan()
    {
        ManualExecutor executor;
        SimulatedMachine left(smallConfig());
        SimulatedMachine right(smallConfig());
        FramePool leftPool("left", FramePoolOptions{4, kFrameBytes});
        FramePool rightPool("right", FramePoolOptions{4, kFrameBytes});
        left.camera().start(firstDies(left, 20, 10, "LEFT"), leftPool);
        right.camera().start(firstDies(right, 20, 20, "RIGHT"), rightPool);
        std::vector<FrameRecord> a;
        std::vector<FrameRecord> b;
        executor.spawn(recordFrames(left.camera(), a, 100));
        executor.spawn(recordFrames(right.camera(), b, 100));
        executor.advance(5s);
        QCOMPARE(framesOf(a).size(), std::size_t{20});
        QCOMPARE(framesOf(b).size(), std::size_t{20});
        for (const FrameRecord &r : framesOf(a)) {
            QCOMPARE(r.metadata.runId, core::RunId(10));
            QCOMPARE(r.metadata.waferId.text(), std::string_view("LEFT"));
        }
        for (const FrameRecord &r : framesOf(b)) {
            QCOMPARE(r.metadata.runId, core::RunId(20));
            QCOMPARE(r.metadata.waferId.text(), std::string_view("RIGHT"));
        }
    }

    void framesAreTheWafersRenderedDies()
    {
        ManualExecutor executor;
        SimulatorConfig config = smallConfig();
        config.defects.densityPerCm2 = 2.0;
        SimulatedMachine machine(config);
        FramePool pool("frames", FramePoolOptions{4, kFrameBytes});
        machine.camera().start(firstDies(machine, 25), pool);
        std::vector<FrameRecord> records;
        executor.spawn(recordFrames(machine.camera(), records, 100));
        executor.advance(5s);
        hardware::sim::WaferRenderer renderer(config);
        renderer.loadWafer(core::WaferId("W01"));
        std::vector<std::byte> expected(renderer.format().frameBytes());
        for (const FrameRecord &r : framesOf(records)) {
            renderer.render(r.metadata.die, expected);
            QCOMPARE(r.hash, waferscope::testing::hashBytes(expected));
        }
    }

    void framesAreLeasesFromThePipelinesPool()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        FramePool pool("frames", FramePoolOptions{3, kFrameBytes});
        machine.camera().start(firstDies(machine, 3), pool);
        std::vector<FrameRecord> records;
        std::vector<runtime::FrameLease> kept;
        executor.spawn(recordFrames(machine.camera(), records, 100, &kept));
        executor.advance(5s);
        QCOMPARE(kept.size(), std::size_t{3});
        QCOMPARE(pool.inUse(), std::size_t{3});
        for (const runtime::FrameLease &lease : kept) {
            QVERIFY(lease.isValid());
            QVERIFY(lease.index() < pool.capacity());
        }
        kept.clear();
        QCOMPARE(pool.inUse(), std::size_t{0});
    }

    void aRealtimeSlotThatFindsThePoolEmptyIsLostAsASequenceGap()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        FramePool pool("frames", FramePoolOptions{2, kFrameBytes});
        machine.camera().start(firstDies(machine, 6), pool);
        std::vector<FrameRecord> records;
        std::vector<runtime::FrameLease> kept;
        executor.spawn(recordFrames(machine.camera(), records, 100, &kept));
        executor.advance(5s);
        const auto frames = framesOf(records);
        QCOMPARE(frames.size(), std::size_t{2}); // the pool held two; the camera did not wait
        QCOMPARE(frames[0].metadata.sequence, std::uint64_t{0});
        QCOMPARE(frames[1].metadata.sequence, std::uint64_t{1});
        QCOMPARE(records.back().status, Status::EndOfScan);
        QCOMPARE(pool.tryRentFailures(), std::uint64_t{4});
        QCOMPARE(ready(machine.camera().state()).nextSequence, std::uint64_t{6});
    }

    void anUnpacedAcquireWaitsForAFreeFrame()
    {
        ManualExecutor executor;
        SimulatedMachine machine(unpacedConfig());
        FramePool pool("frames", FramePoolOptions{1, kFrameBytes});
        machine.camera().start(firstDies(machine, 5), pool);
        AcquiredFrame first = ready(machine.camera().acquire());
        QVERIFY(first.hasFrame());
        std::vector<FrameRecord> records;
        executor.spawn(recordFrames(machine.camera(), records, 1));
        executor.runReady();
        QVERIFY(records.empty()); // waiting for the one buffer
        first.lease.reset();
        executor.runReady();
        QCOMPARE(records.size(), std::size_t{1});
        QCOMPARE(records[0].status, Status::Frame);
        QCOMPARE(records[0].metadata.sequence, std::uint64_t{1});
    }

    void unpacedFramesComeAtOnceWithoutTheClockMoving()
    {
        ManualExecutor executor;
        SimulatedMachine machine(unpacedConfig());
        FramePool pool("frames", FramePoolOptions{2, kFrameBytes});
        machine.camera().start(ScanPlan::fullWafer(core::RunId(1), core::WaferId("W01"), machine.dieGrid()), pool);
        const runtime::TimePoint start = executor.now();
        for (std::size_t i = 0; i < machine.dieGrid().dieCount(); ++i) {
            runtime::ValueTask<AcquiredFrame> task = machine.camera().acquire();
            QVERIFY(task.isCompleted());
            const AcquiredFrame frame = runtime::syncWait(std::move(task));
            QVERIFY(frame.hasFrame());
            QVERIFY(frame.metadata.timestamp == start);
        }
        QCOMPARE(ready(machine.camera().acquire()).status, Status::EndOfScan);
    }

    void afterTheEndAcquireKeepsAnsweringEndOfScanAndTheCameraIsIdle()
    {
        ManualExecutor executor;
        SimulatedMachine machine(unpacedConfig());
        FramePool pool("frames", FramePoolOptions{2, kFrameBytes});
        machine.camera().start(firstDies(machine, 1), pool);
        QVERIFY(ready(machine.camera().state()).isAcquiring);
        QCOMPARE(ready(machine.camera().acquire()).status, Status::Frame);
        QCOMPARE(ready(machine.camera().acquire()).status, Status::EndOfScan);
        QCOMPARE(ready(machine.camera().acquire()).status, Status::EndOfScan);
        QVERIFY(!ready(machine.camera().state()).isAcquiring);
    }

    void stopEndsAcquisitionAtThePendingAcquiresNextFrameBoundary()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        FramePool pool("frames", FramePoolOptions{4, kFrameBytes});
        machine.camera().start(firstDies(machine, 100), pool);
        std::vector<FrameRecord> records;
        executor.spawn(recordFrames(machine.camera(), records, 1000));
        while (records.size() < 3) {
            executor.advance(1ms);
        }
        machine.camera().stop();
        QVERIFY(!ready(machine.camera().state()).isAcquiring);
        QCOMPARE(ready(machine.controller().state()), hardware::MachineState::Idle);
        executor.advance(20ms); // at most one frame period
        QCOMPARE(records.size(), std::size_t{4});
        QCOMPARE(records.back().status, Status::Stopped);
        QCOMPARE(ready(machine.camera().acquire()).status, Status::Stopped);
        machine.camera().stop(); // idempotent
    }

    void softwareTriggerReleasesOneFramePerTriggerAndKeepsEarlyOnes()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        FramePool pool("frames", FramePoolOptions{4, kFrameBytes});
        machine.camera().start(firstDies(machine, 10), pool, TriggerMode::Software);
        std::vector<FrameRecord> records;
        executor.spawn(recordFrames(machine.camera(), records, 1000));
        executor.advance(2s);
        QVERIFY(records.empty());
        machine.camera().trigger();
        executor.advance(1s);
        QCOMPARE(records.size(), std::size_t{1});
        machine.camera().trigger();
        machine.camera().trigger();
        executor.advance(1s);
        QCOMPARE(records.size(), std::size_t{3});
        executor.advance(1s);
        QCOMPARE(records.size(), std::size_t{3});
        QVERIFY(records[2].metadata.timestamp - records[1].metadata.timestamp >= 20ms);
        machine.camera().stop(); // ends the recorder's wait for a fourth trigger
        executor.runReady();
        QCOMPARE(records.back().status, Status::Stopped);
    }

    void stopEndsAWaitForATriggerAtOnce()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        FramePool pool("frames", FramePoolOptions{4, kFrameBytes});
        machine.camera().start(firstDies(machine, 10), pool, TriggerMode::Software);
        std::vector<FrameRecord> records;
        executor.spawn(recordFrames(machine.camera(), records, 1000));
        executor.advance(1s);
        QVERIFY(records.empty());
        machine.camera().stop();
        executor.runReady();
        QCOMPARE(records.size(), std::size_t{1});
        QCOMPARE(records[0].status, Status::Stopped);
    }

    void acquireBeforeStartIsAHardwareError()
    {
        SimulatedMachine machine(smallConfig());
        QVERIFY(contains(errorOf(machine.camera().acquire()), "camera: acquire() before start()"));
    }

    void aSecondAcquireWhileOneIsInFlightIsAHardwareError()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        FramePool pool("frames", FramePoolOptions{4, kFrameBytes});
        machine.camera().start(firstDies(machine, 10), pool);
        std::vector<FrameRecord> records;
        executor.spawn(recordFrames(machine.camera(), records, 1));
        executor.runReady(); // now sleeping until the first slot
        QVERIFY(contains(errorOf(machine.camera().acquire()), "while another acquire() is in flight"));
        QVERIFY_THROWS_EXCEPTION(hardware::HardwareError, machine.camera().start(firstDies(machine, 1), pool));
        executor.advance(1s);
        QCOMPARE(records.size(), std::size_t{1});
    }

    void startRefusesSmallFramesADieOffTheGridAndAScanInProgress()
    {
        ManualExecutor executor;
        SimulatedMachine machine(smallConfig());
        FramePool small("small", FramePoolOptions{2, kFrameBytes / 2});
        try {
            machine.camera().start(firstDies(machine, 1), small);
            QFAIL("accepted frames that are too small");
        } catch (const hardware::HardwareError &e) {
            QVERIFY(contains(e.what(), "frame pool 'small' has frames of 32768 bytes; a 256 x 256 Mono8 image needs 65536"));
        }
        FramePool pool("frames", FramePoolOptions{2, kFrameBytes});
        ScanPlan plan = firstDies(machine, 1);
        plan.dies.push_back({0, 0});
        try {
            machine.camera().start(plan, pool);
            QFAIL("accepted a die off the grid");
        } catch (const hardware::HardwareError &e) {
            QVERIFY(contains(e.what(), "die (0,0) is not on the machine's die grid"));
        }
        machine.camera().start(firstDies(machine, 1), pool);
        QVERIFY_THROWS_EXCEPTION(hardware::HardwareError, machine.camera().start(firstDies(machine, 1), pool));
    }

    void acquireAllocatesNothingInSteadyState()
    {
        ManualExecutor executor;
        SimulatedMachine machine(unpacedConfig());
        FramePool pool("frames", FramePoolOptions{2, kFrameBytes});
        ScanPlan plan = ScanPlan::fullWafer(core::RunId(1), core::WaferId("W01"), machine.dieGrid());
        machine.camera().start(plan, pool);
        for (int i = 0; i < 10; ++i) { // warm the coroutine frame pool
            static_cast<void>(runtime::syncWait(machine.camera().acquire()));
        }
        const AllocationScope scope;
        for (int i = 0; i < 100; ++i) {
            const AcquiredFrame frame = runtime::syncWait(machine.camera().acquire());
            QVERIFY(frame.hasFrame());
        }
        static_cast<void>(ready(machine.camera().state()));
        QCOMPARE(scope.thread(), std::uint64_t{0});
    }

    void stateCountsDeliveredFramesAndTheNextSequenceNumber()
    {
        ManualExecutor executor;
        SimulatedMachine machine(unpacedConfig());
        FramePool pool("frames", FramePoolOptions{2, kFrameBytes});
        const hardware::CameraState idle = ready(machine.camera().state());
        QVERIFY(idle.isConnected);
        QVERIFY(!idle.isAcquiring);
        QCOMPARE(idle.framesDelivered, std::uint64_t{0});
        machine.camera().start(firstDies(machine, 4), pool);
        for (int i = 0; i < 4; ++i) {
            static_cast<void>(ready(machine.camera().acquire()));
        }
        const hardware::CameraState state = ready(machine.camera().state());
        QCOMPARE(state.framesDelivered, std::uint64_t{4});
        QCOMPARE(state.nextSequence, std::uint64_t{4});
        QVERIFY(state.timestamp == executor.now());
    }
};

QTEST_GUILESS_MAIN(SimulatedCameraTest)
#include "simulated_camera_test.moc"
