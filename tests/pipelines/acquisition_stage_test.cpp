#include <QTest>

#include <chrono>

#include <waferscope/hardware/scan_plan.h>
#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/acquisition/acquisition_stage.h>
#include <waferscope/testing/manual_executor.h>

#include "../hardware/sim_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using hardware::AcquiredFrame;
using pipelines::AcquisitionStage;
using pipelines::FrameDropReason;
using pipelines::RunLedger;

namespace {

/// Takes every frame out of the channel as detection would, counting them, until the end marker.
runtime::Job drain(runtime::Channel<AcquiredFrame> &frames, RunLedger &ledger, std::vector<std::uint64_t> &sequences,
                   AcquiredFrame::Status &end)
{
    for (;;) {
        AcquiredFrame frame = co_await frames.read();
        if (!frame.hasFrame()) {
            end = frame.status;
            co_return;
        }
        sequences.push_back(frame.metadata.sequence);
        ledger.frameProcessed();
    }
}

struct Rig {
    explicit Rig(std::initializer_list<const char *> faults, hardware::sim::SimulatorConfig::Pacing pacing =
                                                                 hardware::sim::SimulatorConfig::Pacing::Realtime)
        : machine(configWith(faults, pacing))
    {
    }

    static hardware::sim::SimulatorConfig configWith(std::initializer_list<const char *> faults,
                                                     hardware::sim::SimulatorConfig::Pacing pacing)
    {
        auto config = testing::smallConfig();
        config.timing.pacing = pacing;
        for (const char *fault : faults) {
            config.faults.push_back(hardware::sim::FaultSpec::parse(fault));
        }
        return config;
    }

    hardware::ScanPlan plan() const
    {
        return hardware::ScanPlan::fullWafer(core::RunId(7), core::WaferId("W07"), machine.dieGrid());
    }

    testing::ManualExecutor executor; // first: the machine powers on at its fake time
    hardware::sim::SimulatedMachine machine;
    runtime::FramePool pool{"frames", runtime::FramePoolOptions{4, std::size_t{256} * 256}};
    runtime::Channel<AcquiredFrame> frames{"frames", runtime::ChannelOptions{2, runtime::FullMode::Wait, false}};
    RunLedger ledger;
};

} // namespace

class AcquisitionStageTest : public QObject
{
    Q_OBJECT

private slots:
    void everyPlannedDieIsAcquiredAndTheEndFollowsTheLastFrame()
    {
        Rig rig({});
        const auto plan = rig.plan();
        rig.machine.camera().start(plan, rig.pool);
        AcquisitionStage stage(rig.machine.camera(), rig.ledger);
        AcquisitionStage::WaferCounts counts;
        std::vector<std::uint64_t> sequences;
        AcquiredFrame::Status end = AcquiredFrame::Status::Frame;
        rig.executor.spawn(stage.run(rig.frames, plan.dies.size(), counts));
        rig.executor.spawn(drain(rig.frames, rig.ledger, sequences, end));
        rig.executor.advance(60s);
        QCOMPARE(counts.acquired, plan.dies.size());
        QCOMPARE(counts.lost, 0u);
        QCOMPARE(sequences.size(), plan.dies.size());
        QVERIFY(end == AcquiredFrame::Status::EndOfScan);
        const RunLedger::Totals totals = rig.ledger.totals();
        QCOMPARE(totals.framesProcessed + totals.framesDroppedTotal(), totals.frameSlots());
        QCOMPARE(rig.pool.inUse(), 0u);
    }

    void lostFramesAreCountedSoEverySlotIsAccountedFor()
    {
        Rig rig({"frame-loss:start=1s,duration=2s,fraction=0.5"});
        const auto plan = rig.plan();
        rig.machine.camera().start(plan, rig.pool);
        AcquisitionStage stage(rig.machine.camera(), rig.ledger);
        AcquisitionStage::WaferCounts counts;
        std::vector<std::uint64_t> sequences;
        AcquiredFrame::Status end = AcquiredFrame::Status::Frame;
        rig.executor.spawn(stage.run(rig.frames, plan.dies.size(), counts));
        rig.executor.spawn(drain(rig.frames, rig.ledger, sequences, end));
        rig.executor.advance(60s);
        QVERIFY(counts.lost > 10);
        QCOMPARE(counts.acquired + counts.lost + counts.disconnected, plan.dies.size());
        const RunLedger::Totals totals = rig.ledger.totals();
        QCOMPARE(totals.dropped(FrameDropReason::LostInCamera), counts.lost);
        QCOMPARE(totals.frameSlots(), plan.dies.size());
        QCOMPARE(totals.framesProcessed + totals.framesDroppedTotal(), totals.frameSlots());
        QCOMPARE(rig.ledger.framesLost(), counts.lost);
    }

    void aDisconnectIsCountedByItsOwnReason()
    {
        Rig rig({"camera-disconnect:start=1s,duration=500ms"});
        const auto plan = rig.plan();
        rig.machine.camera().start(plan, rig.pool);
        AcquisitionStage stage(rig.machine.camera(), rig.ledger);
        AcquisitionStage::WaferCounts counts;
        std::vector<std::uint64_t> sequences;
        AcquiredFrame::Status end = AcquiredFrame::Status::Frame;
        rig.executor.spawn(stage.run(rig.frames, plan.dies.size(), counts));
        rig.executor.spawn(drain(rig.frames, rig.ledger, sequences, end));
        rig.executor.advance(60s);
        QCOMPARE(counts.disconnected, 1u);
        QCOMPARE(rig.ledger.totals().dropped(FrameDropReason::CameraDisconnected), 1u);
        QCOMPARE(counts.acquired + counts.lost + counts.disconnected, plan.dies.size());
    }

    void stopEndsTheWaferWithAStoppedMarker()
    {
        Rig rig({});
        const auto plan = rig.plan();
        rig.machine.camera().start(plan, rig.pool);
        AcquisitionStage stage(rig.machine.camera(), rig.ledger);
        AcquisitionStage::WaferCounts counts;
        std::vector<std::uint64_t> sequences;
        AcquiredFrame::Status end = AcquiredFrame::Status::Frame;
        rig.executor.spawn(stage.run(rig.frames, plan.dies.size(), counts));
        rig.executor.spawn(drain(rig.frames, rig.ledger, sequences, end));
        rig.executor.advance(500ms);
        rig.machine.camera().stop();
        rig.executor.advance(1s);
        QVERIFY(counts.stopped);
        QVERIFY(end == AcquiredFrame::Status::Stopped);
        QVERIFY(counts.acquired < plan.dies.size());
        QCOMPARE(sequences.size(), counts.acquired);
    }
};

QTEST_GUILESS_MAIN(AcquisitionStageTest)
#include "acquisition_stage_test.moc"
