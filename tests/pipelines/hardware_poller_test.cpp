#include <QTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include <waferscope/hardware/hardware_error.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/services/hardware_poller.h>
#include <waferscope/pipelines/services/run_context.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/manual_executor.h>

#include "service_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using pipelines::HardwarePoller;
using pipelines::HardwarePollerOptions;
using pipelines::TelemetrySample;
using testing::AllocationScope;
using testing::ManualExecutor;
using testing::drain;
using testing::serviceConfig;

namespace {

/// The simulated machine, its poller and a run context on a manual executor.
struct PollerRig {
    explicit PollerRig(std::initializer_list<std::string_view> faults = {}, HardwarePollerOptions options = {})
        : machine(serviceConfig(faults))
        , poller(machine, runContext, options, &stats)
    {
    }
    ~PollerRig()
    {
        stop.request_stop();
        executor.cancelTimers();
    }
    void start()
    {
        executor.spawn(poller.run(stop.get_token()));
        executor.runReady();
    }
    void advanceTo(runtime::Clock::duration sincePowerOn)
    {
        executor.advance(machine.powerOnTime() + sincePowerOn - executor.now());
    }

    ManualExecutor executor;
    hardware::sim::SimulatedMachine machine;
    pipelines::RunContext runContext;
    runtime::StatsRegistry stats;
    HardwarePoller poller;
    std::stop_source stop;
};

std::vector<TelemetrySample> from(const std::vector<TelemetrySample> &samples, std::string_view source)
{
    std::vector<TelemetrySample> matching;
    for (const TelemetrySample &s : samples) {
        if (s.source == source) {
            matching.push_back(s);
        }
    }
    return matching;
}

/// A stage that fails its polls while `isFailing` is set, and otherwise answers like `inner`.
class FlakyStage final : public hardware::Stage
{
public:
    explicit FlakyStage(hardware::Stage &inner)
        : m_inner(inner)
    {
    }
    [[nodiscard]] runtime::ValueTask<hardware::StageState> moveTo(core::DieIndex die) override
    {
        return m_inner.moveTo(die);
    }
    [[nodiscard]] runtime::ValueTask<hardware::StageState> state() override
    {
        if (isFailing) {
            return runtime::ValueTask<hardware::StageState>::fromException(
                std::make_exception_ptr(hardware::HardwareError("stage", "bus timeout")));
        }
        return m_inner.state();
    }
    bool isFailing = false;

private:
    hardware::Stage &m_inner;
};

/// The simulated machine with a stage that can fail.
class FlakyMachine final : public hardware::Machine
{
public:
    explicit FlakyMachine(hardware::sim::SimulatedMachine &inner)
        : m_inner(inner)
        , m_stage(inner.stage())
    {
    }
    [[nodiscard]] std::string_view name() const noexcept override { return "flaky"; }
    [[nodiscard]] const core::DieGrid &dieGrid() const noexcept override { return m_inner.dieGrid(); }
    [[nodiscard]] hardware::Camera &camera() noexcept override { return m_inner.camera(); }
    [[nodiscard]] hardware::Stage &stage() noexcept override { return m_stage; }
    [[nodiscard]] hardware::Illumination &illumination() noexcept override { return m_inner.illumination(); }
    [[nodiscard]] hardware::VacuumChuck &vacuumChuck() noexcept override { return m_inner.vacuumChuck(); }
    [[nodiscard]] hardware::MachineController &controller() noexcept override { return m_inner.controller(); }
    [[nodiscard]] FlakyStage &flakyStage() noexcept { return m_stage; }

private:
    hardware::sim::SimulatedMachine &m_inner;
    FlakyStage m_stage;
};

} // namespace

class HardwarePollerTest : public QObject
{
    Q_OBJECT

private slots:
    void firstPollPublishesEveryChannelOnceWithTheCurrentRun()
    {
        PollerRig rig;
        rig.runContext.setRunId(core::RunId(7));
        rig.start();
        const auto samples = drain(rig.poller.samples());
        QCOMPARE(samples.size(), HardwarePoller::kChannelCount);
        for (const TelemetrySample &s : samples) {
            QCOMPARE(s.runId, core::RunId(7));
            QVERIFY(s.time == rig.executor.now());
            QCOMPARE(from(samples, s.source).size(), std::size_t{1});
        }
        QCOMPARE(from(samples, HardwarePoller::kVacuumPressure).front().value,
                 rig.machine.config().devices.vacuumKpa);
        QCOMPARE(from(samples, HardwarePoller::kWaferClamped).front().value, 1.0);
    }

    void aSteadyMachinePublishesNothingAfterTheFirstPoll()
    {
        PollerRig rig;
        rig.start();
        QCOMPARE(drain(rig.poller.samples()).size(), HardwarePoller::kChannelCount);
        rig.advanceTo(5s);
        QCOMPARE(rig.poller.polls(), std::uint64_t{1001}); // at power-on, then every 5 ms
        QCOMPARE(drain(rig.poller.samples()).size(), std::size_t{0});
    }

    void aVacuumDropPublishesThePressureAndClampWhenItComesAndWhenItEnds()
    {
        PollerRig rig({"vacuum-drop:start=1s,duration=500ms,kpa=20"});
        rig.start();
        static_cast<void>(drain(rig.poller.samples()));
        rig.advanceTo(1200ms);
        auto samples = drain(rig.poller.samples());
        auto pressure = from(samples, HardwarePoller::kVacuumPressure);
        QCOMPARE(pressure.size(), std::size_t{1});
        QCOMPARE(pressure[0].value, 20.0);
        QVERIFY(pressure[0].time - rig.machine.powerOnTime() == 1s);
        QCOMPARE(from(samples, HardwarePoller::kWaferClamped).size(), std::size_t{1});
        QCOMPARE(from(samples, HardwarePoller::kWaferClamped)[0].value, 0.0);
        QCOMPARE(samples.size(), std::size_t{2}); // nothing else changed

        rig.advanceTo(2s);
        samples = drain(rig.poller.samples());
        pressure = from(samples, HardwarePoller::kVacuumPressure);
        QCOMPARE(pressure.size(), std::size_t{1});
        QVERIFY(pressure[0].value > 79.0);
        QVERIFY(pressure[0].time - rig.machine.powerOnTime() == 1500ms);
        QCOMPARE(from(samples, HardwarePoller::kWaferClamped)[0].value, 1.0);
    }

    void anAnalogChannelIsPublishedWhenItMovesByItsDeadband()
    {
        HardwarePollerOptions options;
        options.pressureDeadbandKpa = 0.1; // finer than the pump's ripple
        PollerRig rig({}, options);
        rig.start();
        auto samples = drain(rig.poller.samples());
        double last = from(samples, HardwarePoller::kVacuumPressure).front().value;
        rig.advanceTo(3s);
        const auto pressure = from(drain(rig.poller.samples()), HardwarePoller::kVacuumPressure);
        QVERIFY(pressure.size() > 4);
        for (const TelemetrySample &s : pressure) {
            QVERIFY2(std::abs(s.value - last) >= 0.1, std::to_string(s.value - last).c_str());
            last = s.value;
        }
    }

    void aFullChannelDropsTheOldestSamplesCountedAndThePollerGoesOn()
    {
        HardwarePollerOptions options;
        options.sampleCapacity = 4;
        PollerRig rig({}, options);
        rig.start();
        QCOMPARE(rig.poller.samples().dropped(runtime::DropReason::Oldest), HardwarePoller::kChannelCount - 4);
        const auto samples = drain(rig.poller.samples());
        QCOMPARE(samples.size(), std::size_t{4});
        QCOMPARE(samples.back().source, HardwarePoller::kMachineState); // the newest stayed
        rig.advanceTo(100ms);
        QCOMPARE(rig.poller.polls(), std::uint64_t{21});
    }

    void theSnapshotHoldsTheLatestPollAndIsReadableFromAnotherThread()
    {
        PollerRig rig({"vacuum-drop:start=1s,duration=1s,kpa=20"});
        QVERIFY(!rig.poller.snapshot().hasData());
        rig.start();
        std::atomic<bool> isDone{false};
        std::atomic<std::uint64_t> reads{0};
        std::atomic<bool> sawTornSnapshot{false};
        std::thread reader([&] {
            while (!isDone.load()) {
                const pipelines::DeviceSnapshot s = rig.poller.snapshot();
                // Every snapshot is one poll's: a dropped vacuum never shows as clamped.
                if (s.hasData() && (s.vacuum.pressureKpa < 60.0) == s.vacuum.isWaferClamped) {
                    sawTornSnapshot = true;
                }
                reads.fetch_add(1);
            }
        });
        rig.advanceTo(1500ms);
        while (reads.load() < 100) {
            std::this_thread::yield();
        }
        isDone = true;
        reader.join();
        QVERIFY(!sawTornSnapshot.load());
        const pipelines::DeviceSnapshot s = rig.poller.snapshot();
        QVERIFY(s.hasData());
        QCOMPARE(s.pollCount, std::uint64_t{301});
        QVERIFY(s.polledAt == rig.executor.now());
        QCOMPARE(s.vacuum.pressureKpa, 20.0);
        QVERIFY(!s.vacuum.isWaferClamped);
        QCOMPARE(s.heartbeat.sequence, std::uint64_t{15});
        QVERIFY(s.camera.isConnected);
    }

    void aFailingPollIsCountedKeepsThePreviousSnapshotAndPollingGoesOn()
    {
        ManualExecutor executor;
        hardware::sim::SimulatedMachine sim(serviceConfig({}));
        FlakyMachine machine(sim);
        pipelines::RunContext runContext;
        HardwarePoller poller(machine, runContext);
        std::stop_source stop;
        executor.spawn(poller.run(stop.get_token()));
        executor.runReady();
        const pipelines::DeviceSnapshot before = poller.snapshot();
        machine.flakyStage().isFailing = true;
        executor.advance(50ms);
        QCOMPARE(poller.pollErrors(), std::uint64_t{10});
        QCOMPARE(poller.snapshot().pollCount, before.pollCount);
        machine.flakyStage().isFailing = false;
        executor.advance(5ms);
        QCOMPARE(poller.snapshot().pollCount, before.pollCount + 1);
        stop.request_stop();
        executor.advance(5ms);
        QCOMPARE(executor.liveJobs(), 0);
        QCOMPARE(executor.failedJobs(), 0);
    }

    void pollingAndPublishingAllocateNothingPerTick()
    {
        PollerRig rig({"vacuum-drop:start=2s,duration=500ms,kpa=20", "encoder-error:start=2200ms,duration=100ms"});
        rig.start();
        rig.advanceTo(1s);
        static_cast<void>(drain(rig.poller.samples()));
        const std::uint64_t published = rig.poller.samplesPublished();
        const AllocationScope scope;
        rig.advanceTo(3s);
        QCOMPARE(scope.thread(), std::uint64_t{0});
        QVERIFY(rig.poller.samplesPublished() >= published + 6); // the faults' changes went out
    }

    void aStopRequestEndsThePollerAtItsNextTickAndCompletesTheSamples()
    {
        PollerRig rig;
        rig.start();
        rig.stop.request_stop();
        QCOMPARE(rig.executor.liveJobs(), 1);
        rig.executor.advance(5ms);
        QCOMPARE(rig.executor.liveJobs(), 0);
        QVERIFY(rig.poller.samples().isCompleted());
        QCOMPARE(rig.poller.polls(), std::uint64_t{1});
    }

    void anExecutorShutdownEndsThePollerAtOnce()
    {
        PollerRig rig;
        rig.start();
        rig.executor.cancelTimers();
        QCOMPARE(rig.executor.liveJobs(), 0);
        QCOMPARE(rig.executor.failedJobs(), 0);
        QVERIFY(rig.poller.samples().isCompleted());
    }

    void aPeriodThatIsNotPositiveIsRefused()
    {
        ManualExecutor executor;
        hardware::sim::SimulatedMachine machine(serviceConfig({}));
        pipelines::RunContext runContext;
        HardwarePollerOptions options;
        options.period = 0ms;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, HardwarePoller(machine, runContext, options));
    }

    void runTwiceIsAMisuse()
    {
        PollerRig rig;
        rig.start();
        QVERIFY_THROWS_EXCEPTION(runtime::MisuseError, static_cast<void>(rig.poller.run()));
    }

    void itsCountersAndChannelAreInTheStatsRegistry()
    {
        PollerRig rig;
        rig.start();
        rig.advanceTo(50ms);
        const runtime::StatsEntry entry = rig.stats.find("hardware_poller");
        QCOMPARE(entry.kind, std::string("service"));
        QCOMPARE(entry.value("polls"), std::int64_t{11});
        QCOMPARE(entry.value("samples_published"), static_cast<std::int64_t>(HardwarePoller::kChannelCount));
        QCOMPARE(entry.value("missed_ticks"), std::int64_t{0});
        QCOMPARE(entry.value("poll_errors"), std::int64_t{0});
        QCOMPARE(rig.stats.find("telemetry.samples").value("items_written"),
                 static_cast<std::int64_t>(HardwarePoller::kChannelCount));
    }
};

QTEST_GUILESS_MAIN(HardwarePollerTest)
#include "hardware_poller_test.moc"
