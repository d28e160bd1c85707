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

    /// Starts the camera on a whole wafer and the stage plus a draining reader on the executor.
    std::size_t start()
    {
        const auto scan = plan();
        machine.camera().start(scan, pool);
        executor.spawn(stage.run(frames, scan.dies.size(), counts));
        executor.spawn(drain(frames, ledger, sequences, end));
        return scan.dies.size();
    }

    testing::ManualExecutor executor; // first: the machine powers on at its fake time
    hardware::sim::SimulatedMachine machine;
    runtime::FramePool pool{"frames", runtime::FramePoolOptions{4, std::size_t{256} * 256}};
    runtime::Channel<AcquiredFrame> frames{"frames", runtime::ChannelOptions{2, runtime::FullMode::Wait, false}};
    RunLedger ledger;
    AcquisitionStage stage{machine.camera(), ledger};
    AcquisitionStage::WaferCounts counts;
    std::vector<std::uint64_t> sequences;
    AcquiredFrame::Status end = AcquiredFrame::Status::Frame;
};

} // namespace

class AcquisitionStageTest : public QObject
{
    Q_OBJECT

private slots:
    void everyPlannedDieIsAcquiredAndTheEndFollowsTheLastFrame()
    {
        Rig rig({});
        const std::size_t planned = rig.start();
        rig.executor.advance(60s);
        QCOMPARE(rig.counts.acquired, planned);
        QCOMPARE(rig.counts.lost, 0u);
        QCOMPARE(rig.sequences.size(), planned);
        QVERIFY(rig.end == AcquiredFrame::Status::EndOfScan);
        const RunLedger::Totals totals = rig.ledger.totals();
        QCOMPARE(totals.framesProcessed + totals.framesDroppedTotal(), totals.frameSlots());
        QCOMPARE(rig.pool.inUse(), 0u);
    }

    void lostFramesAreCountedSoEverySlotIsAccountedFor()
    {
        Rig rig({"frame-loss:start=1s,duration=2s,fraction=0.5"});
        const std::size_t planned = rig.start();
        rig.executor.advance(60s);
        QVERIFY(rig.counts.lost > 10);
        QCOMPARE(rig.counts.acquired + rig.counts.lost + rig.counts.disconnected, planned);
        const RunLedger::Totals totals = rig.ledger.totals();
        QCOMPARE(totals.dropped(FrameDropReason::LostInCamera), rig.counts.lost);
        QCOMPARE(totals.frameSlots(), planned);
        QCOMPARE(totals.framesProcessed + totals.framesDroppedTotal(), totals.frameSlots());
        QCOMPARE(rig.ledger.framesLost(), rig.counts.lost);
    }

    void aDisconnectIsCountedByItsOwnReason()
    {
        Rig rig({"camera-disconnect:start=1s,duration=500ms"});
        const std::size_t planned = rig.start();
        rig.executor.advance(60s);
        QCOMPARE(rig.counts.disconnected, 1u);
        QCOMPARE(rig.ledger.totals().dropped(FrameDropReason::CameraDisconnected), 1u);
        QCOMPARE(rig.counts.acquired + rig.counts.lost + rig.counts.disconnected, planned);
    }

    void stopEndsTheWaferWithAStoppedMarker()
    {
        Rig rig({});
        const std::size_t planned = rig.start();
        rig.executor.advance(500ms);
        rig.machine.camera().stop();
        rig.executor.advance(1s);
        QVERIFY(rig.counts.stopped);
        QVERIFY(rig.end == AcquiredFrame::Status::Stopped);
        QVERIFY(rig.counts.acquired < planned);
        QCOMPARE(rig.sequences.size(), rig.counts.acquired);
    }
};

QTEST_GUILESS_MAIN(AcquisitionStageTest)
#include "acquisition_stage_test.moc"
