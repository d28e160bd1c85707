#include <QTest>

#include <chrono>
#include <vector>

#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/testing/manual_executor.h>

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

/// A machine with the faults given as command-line specs, on a test's fake clock.
class FaultyMachine
{
public:
    explicit FaultyMachine(std::initializer_list<const char *> faults,
                           SimulatorConfig::Pacing pacing = SimulatorConfig::Pacing::Realtime)
        : m_machine(configWith(faults, pacing))
    {
    }

    SimulatedMachine &operator*() { return m_machine; }
    SimulatedMachine *operator->() { return &m_machine; }

    /// Moves the fake clock to `sincePowerOn`, running whatever comes due on the way.
    void advanceTo(runtime::Clock::duration sincePowerOn)
    {
        m_executor.advance(m_machine.powerOnTime() + sincePowerOn - m_executor.now());
    }
    ManualExecutor &executor() { return m_executor; }

    /// Starts a scan of the whole wafer and records it.
    void scan(std::vector<FrameRecord> &records)
    {
        m_machine.camera().start(
            hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W01"), m_machine.dieGrid()), m_pool);
        m_executor.spawn(recordFrames(m_machine.camera(), records, 10000));
    }

    [[nodiscard]] runtime::Clock::duration sincePowerOn(runtime::TimePoint t) const
    {
        return t - m_machine.powerOnTime();
    }

private:
    static SimulatorConfig configWith(std::initializer_list<const char *> faults, SimulatorConfig::Pacing pacing)
    {
        SimulatorConfig config = smallConfig();
        config.timing.pacing = pacing;
        for (const char *fault : faults) {
            config.faults.push_back(FaultSpec::parse(fault));
        }
        return config;
    }

    ManualExecutor m_executor; // first: the machine powers on at its fake time
    SimulatedMachine m_machine;
    runtime::FramePool m_pool{"frames", runtime::FramePoolOptions{4, std::size_t{256} * 256}};
};

/// Sequence numbers missing between consecutive frames.
std::vector<std::uint64_t> missingSequences(const std::vector<FrameRecord> &frames)
{
    std::vector<std::uint64_t> missing;
    for (std::size_t i = 1; i < frames.size(); ++i) {
        for (std::uint64_t s = frames[i - 1].metadata.sequence + 1; s < frames[i].metadata.sequence; ++s) {
            missing.push_back(s);
        }
    }
    return missing;
}

} // namespace

class SimulatedFaultsTest : public QObject
{
    Q_OBJECT

private slots:
    void heartbeatStopFreezesTheSequenceUntilItEnds()
    {
        FaultyMachine machine({"heartbeat-stop:start=10s,duration=5s"});
        machine.advanceTo(9990ms);
        QCOMPARE(ready(machine->controller().heartbeat()).sequence, std::uint64_t{99});
        machine.advanceTo(10s); // the beat due at 10 s is the first one held
        QCOMPARE(ready(machine->controller().heartbeat()).sequence, std::uint64_t{99});
        machine.advanceTo(15s - 1ns);
        const hardware::Heartbeat held = ready(machine->controller().heartbeat());
        QCOMPARE(held.sequence, std::uint64_t{99});
        QVERIFY(machine.sincePowerOn(held.timestamp) == 9900ms);
        machine.advanceTo(15s); // over: the beat due at 15 s is sent
        const hardware::Heartbeat resumed = ready(machine->controller().heartbeat());
        QCOMPARE(resumed.sequence, std::uint64_t{100});
        QVERIFY(machine.sincePowerOn(resumed.timestamp) == 15s);
        machine.advanceTo(16s);
        QCOMPARE(ready(machine->controller().heartbeat()).sequence, std::uint64_t{110});
    }

    void vacuumDropLowersThePressureAndUnclampsUntilItEnds()
    {
        FaultyMachine machine({"vacuum-drop:start=10s,duration=5s,kpa=20"});
        machine.advanceTo(9990ms);
        QVERIFY(ready(machine->vacuumChuck().state()).isWaferClamped);
        machine.advanceTo(10s);
        const hardware::VacuumState dropped = ready(machine->vacuumChuck().state());
        QCOMPARE(dropped.pressureKpa, 20.0);
        QVERIFY(!dropped.isWaferClamped);
        QVERIFY(dropped.isVacuumOn);
        machine.advanceTo(14990ms);
        QCOMPARE(ready(machine->vacuumChuck().state()).pressureKpa, 20.0);
        machine.advanceTo(15s);
        const hardware::VacuumState restored = ready(machine->vacuumChuck().state());
        QVERIFY(restored.pressureKpa > 79.0);
        QVERIFY(restored.isWaferClamped);
    }

    void overlappingFaultsOfOneKindShowTheMostSevere()
    {
        FaultyMachine machine({"vacuum-drop:start=10s,duration=5s,kpa=40", "vacuum-drop:start=12s,duration=1s,kpa=20"});
        machine.advanceTo(11s);
        QCOMPARE(ready(machine->vacuumChuck().state()).pressureKpa, 40.0);
        machine.advanceTo(12s);
        QCOMPARE(ready(machine->vacuumChuck().state()).pressureKpa, 20.0);
        machine.advanceTo(13s);
        QCOMPARE(ready(machine->vacuumChuck().state()).pressureKpa, 40.0);
    }

    void cameraDisconnectShowsInTheCameraStateUntilItEnds()
    {
        FaultyMachine machine({"camera-disconnect:start=10s,duration=5s"});
        machine.advanceTo(10s - 1ns);
        QVERIFY(ready(machine->camera().state()).isConnected);
        machine.advanceTo(10s);
        QVERIFY(!ready(machine->camera().state()).isConnected);
        machine.advanceTo(15s - 1ns);
        QVERIFY(!ready(machine->camera().state()).isConnected);
        machine.advanceTo(15s);
        QVERIFY(ready(machine->camera().state()).isConnected);
    }

    void aDisconnectionLosesTheFramesOfItsSlotsAndIsReportedOnce()
    {
        FaultyMachine machine({"camera-disconnect:start=1s,duration=500ms"});
        std::vector<FrameRecord> records;
        machine.scan(records);
        machine.advanceTo(10s);
        QCOMPARE(records.back().status, Status::EndOfScan);
        std::size_t reports = 0;
        for (const FrameRecord &r : records) {
            if (r.status == Status::Disconnected) {
                ++reports;
                QVERIFY(machine.sincePowerOn(r.metadata.timestamp) >= 1s);
                QVERIFY(machine.sincePowerOn(r.metadata.timestamp) < 1020ms); // the first slot lost
            }
        }
        QCOMPARE(reports, std::size_t{1});
        const auto frames = framesOf(records);
        for (const FrameRecord &f : frames) {
            const auto t = machine.sincePowerOn(f.metadata.timestamp);
            QVERIFY(t < 1s || t >= 1500ms);
        }
        // 25 slots of 20 ms pass during 500 ms; one is reported, all are missing from the frames.
        QCOMPARE(missingSequences(frames).size(), std::size_t{25});
        QCOMPARE(frames.size() + 25, machine->dieGrid().dieCount());
    }

    void anUnpacedCameraWaitsOutADisconnectionAndLosesOneSlot()
    {
        FaultyMachine machine({"camera-disconnect:start=1s,duration=500ms"}, SimulatorConfig::Pacing::Unpaced);
        runtime::FramePool pool("frames", runtime::FramePoolOptions{2, std::size_t{256} * 256});
        machine->camera().start(
            hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("W01"), machine->dieGrid()), pool);
        QCOMPARE(ready(machine->camera().acquire()).metadata.sequence, std::uint64_t{0});
        machine.advanceTo(1s);
        QCOMPARE(ready(machine->camera().acquire()).status, Status::Disconnected);
        std::vector<FrameRecord> records;
        machine.executor().spawn(recordFrames(machine->camera(), records, 1));
        machine.advanceTo(1500ms - 1ns);
        QVERIFY(records.empty());
        machine.advanceTo(1500ms);
        QCOMPARE(records.size(), std::size_t{1});
        QCOMPARE(records[0].metadata.sequence, std::uint64_t{2});
    }

    void frameLossLeavesSequenceGapsOnlyInsideItsWindow()
    {
        FaultyMachine machine({"frame-loss:start=1s,duration=1s,fraction=0.5"});
        std::vector<FrameRecord> records;
        machine.scan(records);
        machine.advanceTo(10s);
        const auto frames = framesOf(records);
        const auto missing = missingSequences(frames);
        // About half of the 50 slots in the window; the same ones on every run of the same seed.
        QVERIFY(missing.size() > 12 && missing.size() < 38);
        std::size_t inWindow = 0;
        for (const FrameRecord &f : frames) {
            const auto t = machine.sincePowerOn(f.metadata.timestamp);
            inWindow += t >= 1s && t < 2s ? 1 : 0;
        }
        QCOMPARE(inWindow + missing.size(), std::size_t{50});
        // Every lost slot lies inside the window: the frames either side of each gap bracket it.
        for (std::size_t i = 1; i < frames.size(); ++i) {
            if (frames[i].metadata.sequence != frames[i - 1].metadata.sequence + 1) {
                QVERIFY(machine.sincePowerOn(frames[i - 1].metadata.timestamp) >= 980ms);
                QVERIFY(machine.sincePowerOn(frames[i].metadata.timestamp) <= 2020ms);
            }
        }
    }

    void frameJitterDeliversFramesLateOnlyInsideItsWindow()
    {
        FaultyMachine machine({"frame-jitter:start=1s,duration=1s,max=15ms"});
        std::vector<FrameRecord> records;
        machine.scan(records);
        machine.advanceTo(10s);
        std::size_t late = 0;
        for (const FrameRecord &f : framesOf(records)) {
            const auto t = machine.sincePowerOn(f.metadata.timestamp);
            const auto lateness = f.deliveredAt - f.metadata.timestamp;
            if (t >= 1s && t < 2s) {
                QVERIFY(lateness > 0ns && lateness <= 15ms);
                ++late;
            } else {
                QVERIFY(lateness == 0ns);
            }
        }
        QCOMPARE(late, std::size_t{50});
        QCOMPARE(missingSequences(framesOf(records)).size(), std::size_t{0});
    }

    void encoderErrorShowsAnUnhealthyEncoderUntilItEnds()
    {
        FaultyMachine machine({"encoder-error:start=10s,duration=5s"});
        machine.advanceTo(9999ms);
        QVERIFY(ready(machine->stage().state()).isEncoderHealthy);
        machine.advanceTo(10s);
        QVERIFY(!ready(machine->stage().state()).isEncoderHealthy);
        machine.advanceTo(14999ms);
        QVERIFY(!ready(machine->stage().state()).isEncoderHealthy);
        machine.advanceTo(15s);
        QVERIFY(ready(machine->stage().state()).isEncoderHealthy);
    }

    void followingErrorRaisesTheFollowingErrorUntilItEnds()
    {
        FaultyMachine machine({"following-error:start=10s,duration=5s,um=80"});
        machine.advanceTo(9999ms);
        QVERIFY(ready(machine->stage().state()).followingErrorUm < 1.0);
        machine.advanceTo(10s);
        QCOMPARE(ready(machine->stage().state()).followingErrorUm, 80.0);
        machine.advanceTo(14999ms);
        QCOMPARE(ready(machine->stage().state()).followingErrorUm, 80.0);
        machine.advanceTo(15s);
        QVERIFY(ready(machine->stage().state()).followingErrorUm < 1.0);
    }

    void illuminationDegradeLowersTheReadbackUntilItEnds()
    {
        FaultyMachine machine({"illumination-degrade:start=10s,duration=5s,factor=0.6"});
        machine.advanceTo(9990ms);
        QCOMPARE(ready(machine->illumination().state()).readbackPercent, 80.0);
        machine.advanceTo(10s);
        const hardware::IlluminationState degraded = ready(machine->illumination().state());
        QCOMPARE(degraded.setpointPercent, 80.0);
        QVERIFY(std::abs(degraded.readbackPercent - 48.0) < 1e-9);
        machine.advanceTo(14990ms);
        QVERIFY(std::abs(ready(machine->illumination().state()).readbackPercent - 48.0) < 1e-9);
        machine.advanceTo(15s);
        QCOMPARE(ready(machine->illumination().state()).readbackPercent, 80.0);
    }

    void illuminationDegradeDarkensTheFramesOfItsWindowOnly()
    {
        FaultyMachine machine({"illumination-degrade:start=1s,duration=1s,factor=0.6"});
        std::vector<FrameRecord> records;
        machine.scan(records);
        machine.advanceTo(10s);
        double inside = 0.0;
        double outside = 0.0;
        std::size_t insideCount = 0;
        std::size_t outsideCount = 0;
        for (const FrameRecord &f : framesOf(records)) {
            const auto t = machine.sincePowerOn(f.metadata.timestamp);
            if (t >= 1s && t < 2s) {
                inside += f.mean;
                ++insideCount;
            } else {
                outside += f.mean;
                ++outsideCount;
            }
        }
        QCOMPARE(insideCount, std::size_t{50});
        const double ratio = (inside / static_cast<double>(insideCount)) / (outside / static_cast<double>(outsideCount));
        QVERIFY2(std::abs(ratio - 0.6) < 0.03, qPrintable(QString::number(ratio)));
    }

    void faultsThatHaveEndedLeaveNoTrace()
    {
        FaultyMachine machine({"heartbeat-stop:start=1s,duration=1s", "vacuum-drop:start=1s,duration=1s",
                               "camera-disconnect:start=1s,duration=1s", "encoder-error:start=1s,duration=1s",
                               "following-error:start=1s,duration=1s", "illumination-degrade:start=1s,duration=1s"});
        machine.advanceTo(1500ms);
        QVERIFY(!ready(machine->camera().state()).isConnected);
        machine.advanceTo(2s);
        QVERIFY(ready(machine->camera().state()).isConnected);
        QVERIFY(ready(machine->vacuumChuck().state()).isWaferClamped);
        QVERIFY(ready(machine->stage().state()).isEncoderHealthy);
        QVERIFY(ready(machine->stage().state()).followingErrorUm < 1.0);
        QCOMPARE(ready(machine->illumination().state()).readbackPercent, 80.0);
        const std::uint64_t beat = ready(machine->controller().heartbeat()).sequence;
        machine.advanceTo(3s);
        QCOMPARE(ready(machine->controller().heartbeat()).sequence, beat + 10);
    }
};

QTEST_GUILESS_MAIN(SimulatedFaultsTest)
#include "simulated_faults_test.moc"
