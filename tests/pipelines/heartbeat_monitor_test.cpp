#include <QTest>

#include <chrono>
#include <cmath>
#include <atomic>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include <waferscope/hardware/hardware_error.h>
#include <waferscope/hardware/machine_controller.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/services/heartbeat_monitor.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/manual_executor.h>

#include "service_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using pipelines::HeartbeatMonitor;
using pipelines::HeartbeatMonitorOptions;
using pipelines::HeartbeatStatus;
using testing::AllocationScope;
using testing::ManualExecutor;
using testing::serviceConfig;

namespace {

/// A controller whose heartbeat the test sets by hand; a poll fails while `isFailing` is set.
class ScriptedController final : public hardware::MachineController
{
public:
    [[nodiscard]] runtime::ValueTask<hardware::Heartbeat> heartbeat() override
    {
        if (isFailing) {
            return runtime::ValueTask<hardware::Heartbeat>::fromException(
                std::make_exception_ptr(hardware::HardwareError("controller", "no answer")));
        }
        return runtime::ValueTask<hardware::Heartbeat>::fromResult(beat);
    }
    [[nodiscard]] runtime::ValueTask<hardware::MachineState> state() override
    {
        return runtime::ValueTask<hardware::MachineState>::fromResult(hardware::MachineState::Idle);
    }
    /// The next beat, sent at `now`.
    void send(runtime::TimePoint now)
    {
        beat.sequence += 1;
        beat.timestamp = now;
    }

    hardware::Heartbeat beat;
    bool isFailing = false;
};

/// The simulated machine and a heartbeat monitor on a manual executor.
struct HeartbeatRig {
    explicit HeartbeatRig(std::initializer_list<std::string_view> faults = {}, HeartbeatMonitorOptions options = {})
        : machine(serviceConfig(faults))
        , monitor(machine.controller(), options, &stats)
    {
    }
    ~HeartbeatRig()
    {
        stop.request_stop();
        executor.cancelTimers();
    }
    /// Starts monitoring `offset` after power-on.
    void startAt(runtime::Clock::duration offset)
    {
        advanceTo(offset);
        executor.spawn(monitor.run(stop.get_token()));
        executor.runReady();
    }
    void advanceTo(runtime::Clock::duration sincePowerOn)
    {
        executor.advance(machine.powerOnTime() + sincePowerOn - executor.now());
    }

    ManualExecutor executor;
    hardware::sim::SimulatedMachine machine;
    runtime::StatsRegistry stats;
    HeartbeatMonitor monitor;
    std::stop_source stop;
};

} // namespace

class HeartbeatMonitorTest : public QObject
{
    Q_OBJECT

private slots:
    void aBeatingControllerIsAliveWithItsLatencyAndInterval()
    {
        HeartbeatRig rig;
        rig.startAt(7ms); // polls at 7, 27, 47, … ms; beats every 100 ms, each seen 7 ms late
        rig.advanceTo(3s);
        const HeartbeatStatus s = rig.monitor.status();
        QVERIFY(s.isAlive);
        QCOMPARE(s.lastSequence, std::uint64_t{29}); // 2.9 s is the last beat seen by the 2.987 s poll
        QCOMPARE(s.beats, std::uint64_t{29});
        QCOMPARE(s.missedCount, std::uint64_t{0});
        QVERIFY(s.latencyP50 == 7ms);
        QVERIFY(s.latencyP99 == 7ms);
        QVERIFY(s.intervalMean == 100ms);
        QVERIFY(s.jitter == 0ms);
        QVERIFY(s.lastAdvanceAt - rig.machine.powerOnTime() == 2907ms);
    }

    void aStoppedHeartbeatIsLostOnceTheTimeoutHasPassedAndAliveAtTheNextBeat()
    {
        HeartbeatRig rig({"heartbeat-stop:start=2s,duration=2s"});
        rig.startAt(0ms);
        // The last beat before the stop is at 1.9 s, seen at once: lost after 2.4 s.
        rig.advanceTo(2400ms);
        QVERIFY(rig.monitor.status().isAlive);
        rig.advanceTo(2420ms);
        HeartbeatStatus s = rig.monitor.status();
        QVERIFY(!s.isAlive);
        QCOMPARE(s.missedCount, std::uint64_t{1});
        rig.advanceTo(3980ms);
        QVERIFY(!rig.monitor.status().isAlive);
        QCOMPARE(rig.monitor.status().missedCount, std::uint64_t{1}); // one outage, one miss
        rig.advanceTo(4s);
        s = rig.monitor.status();
        QVERIFY(s.isAlive);
        QCOMPARE(s.lastSequence, std::uint64_t{20});
        rig.advanceTo(5s);
        s = rig.monitor.status();
        QCOMPARE(s.missedCount, std::uint64_t{1});
        QVERIFY(s.intervalMean == 100ms); // the 2.1 s across the outage is left out
        QVERIFY(s.jitter == 0ms);
    }

    void beforeTheFirstBeatTheTimeoutCountsFromTheStart()
    {
        ManualExecutor executor;
        ScriptedController controller;
        HeartbeatMonitorOptions options;
        options.timeout = 300ms;
        HeartbeatMonitor monitor(controller, options);
        std::stop_source stop;
        QVERIFY(monitor.status().isAlive); // before the first poll
        executor.spawn(monitor.run(stop.get_token()));
        executor.runReady();
        executor.advance(300ms);
        QVERIFY(monitor.status().isAlive);
        executor.advance(20ms);
        QVERIFY(!monitor.status().isAlive);
        stop.request_stop();
        executor.advance(20ms);
    }

    void jitterIsTheStandardDeviationOfTheIntervalAndLatencyHasItsPercentiles()
    {
        ManualExecutor executor;
        ScriptedController controller;
        HeartbeatMonitor monitor(controller);
        std::stop_source stop;
        executor.spawn(monitor.run(stop.get_token()));
        executor.runReady(); // polls every 20 ms from now on
        // Beats are sent 120 and 80 ms apart in turn; each reaches the controller's state at once,
        // except every tenth, which shows up 25 ms after it was sent. A poll sees a beat 20 ms after
        // it was sent, or 40 ms for the late ones.
        runtime::TimePoint sentAt = executor.now();
        for (int i = 1; i <= 40; ++i) {
            sentAt += i % 2 == 0 ? 120ms : 80ms;
            const runtime::Clock::duration delay = i % 10 == 0 ? 25ms : 0ms;
            executor.advance(sentAt + delay - executor.now());
            controller.beat.sequence = static_cast<std::uint64_t>(i);
            controller.beat.timestamp = sentAt;
        }
        executor.advance(40ms);
        const HeartbeatStatus s = monitor.status();
        QCOMPARE(s.beats, std::uint64_t{40});
        QVERIFY(s.isAlive);
        QVERIFY(s.latencyP50 == 20ms);
        QVERIFY(s.latencyP99 == 40ms);
        // 39 intervals (the first beat has no earlier one): 20 of 120 ms and 19 of 80 ms.
        const double mean = (20 * 120.0 + 19 * 80.0) / 39.0;
        const double deviation = 40.0 * std::sqrt((20.0 / 39.0) * (19.0 / 39.0));
        QVERIFY(std::abs(std::chrono::duration<double, std::milli>(s.intervalMean).count() - mean) < 0.01);
        QVERIFY(std::abs(std::chrono::duration<double, std::milli>(s.jitter).count() - deviation) < 0.01);
        stop.request_stop();
        executor.advance(20ms);
    }

    void aRestartedCountIsAnAdvance()
    {
        ManualExecutor executor;
        ScriptedController controller;
        controller.beat.sequence = 500;
        HeartbeatMonitorOptions options;
        options.timeout = 100ms;
        HeartbeatMonitor monitor(controller, options);
        std::stop_source stop;
        executor.spawn(monitor.run(stop.get_token()));
        executor.runReady();
        executor.advance(90ms);
        controller.beat.sequence = 1; // the controller rebooted
        executor.advance(80ms);
        QVERIFY(monitor.status().isAlive);
        QCOMPARE(monitor.status().lastSequence, std::uint64_t{1});
        stop.request_stop();
        executor.advance(20ms);
    }

    void aFailingPollIsCountedAndTheTimeoutStillRuns()
    {
        ManualExecutor executor;
        ScriptedController controller;
        HeartbeatMonitorOptions options;
        options.timeout = 100ms;
        HeartbeatMonitor monitor(controller, options);
        std::stop_source stop;
        executor.spawn(monitor.run(stop.get_token()));
        executor.runReady();
        controller.isFailing = true;
        executor.advance(200ms);
        QCOMPARE(monitor.pollErrors(), std::uint64_t{10});
        QVERIFY(!monitor.status().isAlive);
        controller.isFailing = false;
        controller.send(executor.now());
        executor.advance(20ms);
        QVERIFY(monitor.status().isAlive);
        stop.request_stop();
        executor.advance(20ms);
        QCOMPARE(executor.failedJobs(), 0);
    }

    void aNewTimeoutFromAnotherThreadTakesEffectAtTheNextPoll()
    {
        HeartbeatRig rig({"heartbeat-stop:start=1s,duration=5s"});
        rig.startAt(0ms);
        rig.advanceTo(1200ms); // last beat 0.9 s: 300 ms without one
        QVERIFY(rig.monitor.status().isAlive);
        std::thread([&] { rig.monitor.setTimeout(200ms); }).join();
        QVERIFY(rig.monitor.timeout() == 200ms);
        rig.advanceTo(1220ms);
        QVERIFY(!rig.monitor.status().isAlive);
    }

    void pollsAndBeatsAllocateNothing()
    {
        HeartbeatRig rig({"heartbeat-stop:start=2s,duration=1s"});
        rig.startAt(0ms);
        rig.advanceTo(1s);
        const AllocationScope scope;
        rig.advanceTo(4s);
        QCOMPARE(scope.thread(), std::uint64_t{0});
        QCOMPARE(rig.monitor.status().missedCount, std::uint64_t{1});
    }

    void statusIsReadableFromAnotherThreadWhileItPolls()
    {
        HeartbeatRig rig;
        rig.startAt(0ms);
        std::atomic<bool> isDone{false};
        std::atomic<bool> wentBack{false};
        std::thread reader([&] {
            std::uint64_t last = 0;
            while (!isDone.load()) {
                const HeartbeatStatus s = rig.monitor.status();
                if (s.lastSequence < last || s.beats != s.lastSequence) {
                    wentBack = true;
                }
                last = s.lastSequence;
            }
        });
        rig.advanceTo(5s);
        isDone = true;
        reader.join();
        QVERIFY(!wentBack.load());
        QCOMPARE(rig.monitor.status().lastSequence, std::uint64_t{50});
    }

    void aStopRequestEndsItAtTheNextTickAndAShutdownAtOnce()
    {
        HeartbeatRig rig;
        rig.startAt(0ms);
        rig.stop.request_stop();
        QCOMPARE(rig.executor.liveJobs(), 1);
        rig.executor.advance(20ms);
        QCOMPARE(rig.executor.liveJobs(), 0);

        HeartbeatRig second;
        second.startAt(0ms);
        second.executor.cancelTimers();
        QCOMPARE(second.executor.liveJobs(), 0);
        QCOMPARE(second.executor.failedJobs(), 0);
    }

    void aPeriodThatIsNotPositiveIsRefused()
    {
        ScriptedController controller;
        HeartbeatMonitorOptions options;
        options.period = -1ms;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, HeartbeatMonitor(controller, options));
    }

    void runTwiceIsAMisuse()
    {
        HeartbeatRig rig;
        rig.startAt(0ms);
        QVERIFY_THROWS_EXCEPTION(runtime::MisuseError, static_cast<void>(rig.monitor.run()));
    }

    void itsStatusIsInTheStatsRegistry()
    {
        HeartbeatRig rig;
        rig.startAt(7ms);
        rig.advanceTo(1s);
        const runtime::StatsEntry entry = rig.stats.find("heartbeat_monitor");
        QCOMPARE(entry.kind, std::string("service"));
        QCOMPARE(entry.value("polls"), std::int64_t{50}); // 7, 27, …, 987 ms: 50 Hz
        QCOMPARE(entry.value("is_alive"), std::int64_t{1});
        QCOMPARE(entry.value("beats"), std::int64_t{9});
        QCOMPARE(entry.value("latency_p50_us"), std::int64_t{7000});
        QCOMPARE(entry.value("interval_mean_us"), std::int64_t{100000});
        QCOMPARE(entry.value("missed"), std::int64_t{0});
    }
};

QTEST_GUILESS_MAIN(HeartbeatMonitorTest)
#include "heartbeat_monitor_test.moc"
