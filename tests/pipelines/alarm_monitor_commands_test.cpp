#include <QTest>

#include <atomic>
#include <chrono>
#include <latch>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <waferscope/core/alarms/alarm_command_error.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/services/alarm_monitor.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/thread_executor.h>
#include <waferscope/testing/watchdog.h>

#include "service_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using core::AlarmEvent;
using core::AlarmEventKind;
using pipelines::AlarmCommand;
using pipelines::AlarmMonitor;
using pipelines::AlarmMonitorOptions;
using testing::ServiceRig;
using testing::ready;

namespace {

const core::AlarmActor kTina{"tina", "technician"};

std::string tagOf(std::string_view tag)
{
    return std::string(tag);
}

/// Makes the command's task on a thread of its own, as the engine facade would from the GUI thread.
runtime::ValueTask<std::size_t> fromAnotherThread(AlarmMonitor &monitor, AlarmCommand command)
{
    runtime::ValueTask<std::size_t> task;
    std::thread([&] { task = monitor.execute(std::move(command)); }).join();
    return task;
}

struct CommandOutcome {
    std::size_t changed = 0;
    std::string error;
    runtime::Executor *resumedOn = nullptr;
    std::latch done{1};
};

runtime::Job acknowledgeFrom(AlarmMonitor &monitor, std::string tag, CommandOutcome &outcome)
{
    try {
        outcome.changed = co_await monitor.execute(AlarmCommand::acknowledge(std::move(tag), kTina, "seen"));
    } catch (const std::exception &e) {
        outcome.error = e.what();
    }
    outcome.resumedOn = runtime::Executor::current();
    outcome.done.count_down();
}

} // namespace

class AlarmMonitorCommandsTest : public QObject
{
    Q_OBJECT

private slots:
    void aCommandRunsOnTheMonitorsExecutorNotOnTheCallersThread()
    {
        ServiceRig rig({"encoder-error:start=1s,duration=1h"});
        rig.startAll();
        rig.advanceTo(1100ms);
        const std::string tag = tagOf(AlarmMonitor::kEncoderFault);
        auto task = fromAnotherThread(rig.alarms, AlarmCommand::acknowledge(tag, kTina, "seen"));
        QVERIFY(!task.isCompleted()); // posted to the monitor's executor, which has not run yet
        QCOMPARE(rig.alarms.status(AlarmMonitor::kEncoderFault)->state, core::AlarmState::Unacknowledged);
        rig.executor.runReady();
        QCOMPARE(ready(std::move(task)), std::size_t{1});
        const core::AlarmStatus status = *rig.alarms.status(AlarmMonitor::kEncoderFault);
        QCOMPARE(status.state, core::AlarmState::Acknowledged);
        QCOMPARE(status.acknowledgement->actor, kTina);
        const auto acknowledged = rig.firstEvent(AlarmMonitor::kEncoderFault, AlarmEventKind::Acknowledged);
        QVERIFY(acknowledged); // handed on at once, not at the next tick
        QCOMPARE(acknowledged->actor, std::optional(kTina));
        QCOMPARE(acknowledged->comment, std::string("seen"));
    }

    void aRefusedCommandComesBackAsTheModelsErrorAndChangesNothing()
    {
        ServiceRig rig({"encoder-error:start=1s,duration=1h"});
        rig.startAll();
        rig.advanceTo(1100ms);
        auto unknown = fromAnotherThread(rig.alarms, AlarmCommand::acknowledge("no.such.alarm", kTina, ""));
        const std::string tag = tagOf(AlarmMonitor::kEncoderFault);
        auto anonymous = fromAnotherThread(rig.alarms, AlarmCommand::acknowledge(tag, {}, ""));
        auto notLatched = fromAnotherThread(rig.alarms, AlarmCommand::reset(tag, kTina, ""));
        rig.executor.runReady();
        try {
            static_cast<void>(ready(std::move(unknown)));
            QFAIL("an unknown tag was accepted");
        } catch (const core::AlarmCommandError &e) {
            QCOMPARE(e.tag(), std::string("no.such.alarm"));
        }
        QVERIFY_THROWS_EXCEPTION(core::AlarmCommandError, static_cast<void>(ready(std::move(anonymous))));
        QVERIFY_THROWS_EXCEPTION(core::AlarmCommandError, static_cast<void>(ready(std::move(notLatched))));
        QCOMPARE(rig.alarms.commandsFailed(), std::uint64_t{3});
        QCOMPARE(rig.alarms.status(AlarmMonitor::kEncoderFault)->state, core::AlarmState::Unacknowledged);
        QCOMPARE(rig.stats.find("alarm_monitor").value("commands_failed"), std::int64_t{3});
    }

    void acknowledgeAllReturnsHowManyItAcknowledged()
    {
        ServiceRig rig({"encoder-error:start=1s,duration=1h", "following-error:start=1s,duration=1h"});
        rig.startAll();
        rig.advanceTo(1100ms);
        const std::vector<std::string> shown{tagOf(AlarmMonitor::kEncoderFault), tagOf(AlarmMonitor::kFollowingError),
                                             tagOf(AlarmMonitor::kVacuumLow)};
        auto task = fromAnotherThread(rig.alarms, AlarmCommand::acknowledgeAll(shown, kTina, "both seen"));
        rig.executor.runReady();
        QCOMPARE(ready(std::move(task)), std::size_t{2});
        QCOMPARE(rig.alarms.status(AlarmMonitor::kFollowingError)->state, core::AlarmState::Acknowledged);
    }

    void shelveUnshelveAndServiceCommandsReachTheModel()
    {
        ServiceRig rig({"encoder-error:start=1s,duration=1h"});
        rig.startAll();
        rig.advanceTo(1100ms);
        const std::string tag = tagOf(AlarmMonitor::kEncoderFault);
        auto shelve = rig.alarms.execute(AlarmCommand::shelve(tag, 10min, kTina, "encoder being replaced"));
        rig.executor.runReady();
        QCOMPARE(ready(std::move(shelve)), std::size_t{1});
        QCOMPARE(rig.alarms.status(tag)->state, core::AlarmState::Shelved);
        auto unshelve = rig.alarms.execute(AlarmCommand::unshelve(tag, kTina, "done"));
        auto remove = rig.alarms.execute(AlarmCommand::removeFromService(tag, kTina, "sensor out"));
        rig.executor.runReady();
        QCOMPARE(ready(std::move(unshelve)), std::size_t{1});
        QCOMPARE(ready(std::move(remove)), std::size_t{1});
        QCOMPARE(rig.alarms.status(tag)->state, core::AlarmState::OutOfService);
        auto back = rig.alarms.execute(AlarmCommand::returnToService(tag, kTina, "sensor back"));
        rig.executor.runReady();
        QCOMPARE(ready(std::move(back)), std::size_t{1});
        QCOMPARE(rig.alarms.status(tag)->state, core::AlarmState::Unacknowledged);
        QVERIFY(rig.firstEvent(tag, AlarmEventKind::RemovedFromService));
        QVERIFY(rig.firstEvent(tag, AlarmEventKind::ReturnedToService));
    }

    void commandsFromAnotherThreadReachTheModelOnARealExecutorAndErrorsComeBack()
    {
        const testing::Watchdog watchdog("alarm commands across threads");
        hardware::sim::SimulatedMachine machine(testing::serviceConfig({"encoder-error:start=0s,duration=1h"}));
        pipelines::RunContext runContext;
        runContext.setRunId(core::RunId(5));
        runtime::ThreadExecutor executor("alarms");
        pipelines::HardwarePoller poller(machine, runContext);
        pipelines::HeartbeatMonitor heartbeat(machine.controller());
        AlarmMonitor monitor(executor, poller, heartbeat, runContext, AlarmMonitorOptions{});
        std::stop_source stop;
        struct StopFirst {
            std::stop_source &stop;
            runtime::ThreadExecutor &executor;
            ~StopFirst()
            {
                stop.request_stop();
                executor.stop();
            }
        } stopFirst{stop, executor};
        executor.spawn(poller.run(stop.get_token()));
        executor.spawn(monitor.run(stop.get_token()));

        const AlarmEvent activated = runtime::syncWait(monitor.events().read());
        QCOMPARE(activated.kind, AlarmEventKind::Activated);
        QCOMPARE(activated.tag, tagOf(AlarmMonitor::kEncoderFault));
        QCOMPARE(activated.runId, core::RunId(5));
        // A caller on another executor (the GUI's, in the program) resumes there with the result.
        runtime::ThreadExecutor gui("gui");
        CommandOutcome outcome;
        gui.spawn(acknowledgeFrom(monitor, tagOf(AlarmMonitor::kEncoderFault), outcome));
        outcome.done.wait();
        QCOMPARE(outcome.error, std::string());
        QCOMPARE(outcome.changed, std::size_t{1});
        QCOMPARE(outcome.resumedOn, static_cast<runtime::Executor *>(&gui));
        const AlarmEvent acknowledged = runtime::syncWait(monitor.events().read());
        QCOMPARE(acknowledged.kind, AlarmEventKind::Acknowledged);
        QCOMPARE(acknowledged.actor, std::optional(kTina));
        QCOMPARE(monitor.status(AlarmMonitor::kEncoderFault)->state, core::AlarmState::Acknowledged);
        auto unknown = monitor.execute(AlarmCommand::acknowledge("no.such", kTina, ""));
        QVERIFY_THROWS_EXCEPTION(core::AlarmCommandError, static_cast<void>(runtime::syncWait(std::move(unknown))));
        QCOMPARE(monitor.commandsFailed(), std::uint64_t{1});

        stop.request_stop();
        executor.stop();
        QCOMPARE(executor.liveJobs(), std::int64_t{0});
        QCOMPARE(executor.failedJobs(), std::uint64_t{0});
        QVERIFY_THROWS_EXCEPTION(runtime::OperationCancelled,
                                 static_cast<void>(runtime::syncWait(monitor.execute(
                                     AlarmCommand::acknowledge(tagOf(AlarmMonitor::kEncoderFault), kTina, "")))));
    }

    void theAlarmTableIsReadableFromAnotherThreadWhileAlarmsChange()
    {
        ServiceRig rig({"encoder-error:start=1s,duration=1s", "vacuum-drop:start=1500ms,duration=1s,kpa=20"});
        rig.startAll();
        std::atomic<bool> isDone{false};
        std::atomic<int> badSnapshots{0};
        std::atomic<int> reads{0};
        std::thread reader([&] {
            while (!isDone.load()) {
                const std::vector<core::AlarmStatus> table = rig.alarms.alarms();
                if (table.size() != AlarmMonitor::kRuleCount ||
                    table[0].definition.tag != AlarmMonitor::kHeartbeatLost) {
                    ++badSnapshots;
                }
                ++reads;
            }
        });
        rig.advanceTo(3s);
        while (reads.load() < 100) {
            std::this_thread::yield();
        }
        isDone = true;
        reader.join();
        QCOMPARE(badSnapshots.load(), 0);
        QCOMPARE(rig.alarms.status(AlarmMonitor::kVacuumLow)->trackedState, core::AlarmState::ReturnedUnacknowledged);
        QCOMPARE(rig.alarms.status(AlarmMonitor::kEncoderFault)->trackedState,
                 core::AlarmState::ReturnedUnacknowledged);
        QVERIFY(!rig.alarms.status("no.such"));
        QCOMPARE(rig.stats.find("alarm_monitor").value("annunciated"), std::int64_t{2});
    }

    void eventsThatFindTheChannelFullWaitInTheBacklogAndNoneIsLost()
    {
        AlarmMonitorOptions options;
        options.eventCapacity = 2;
        ServiceRig rig({"encoder-error:start=1s,duration=1s", "following-error:start=1s,duration=1s",
                        "illumination-degrade:start=1s,duration=1s", "camera-disconnect:start=1s,duration=1s",
                        "heartbeat-stop:start=1s,duration=1s"},
                       options);
        rig.startAll();
        rig.advanceTo(3s);
        QCOMPARE(rig.alarms.events().size(), std::size_t{2});
        QCOMPARE(rig.alarms.eventBacklog(), std::int64_t{8}); // five activations and five returns
        QCOMPARE(rig.stats.find("alarm_monitor").value("event_backlog"), std::int64_t{8});
        std::vector<AlarmEvent> received;
        while (received.size() < 10 && rig.sincePowerOn() < 4s) {
            for (AlarmEvent &event : testing::drain(rig.alarms.events())) {
                received.push_back(std::move(event));
            }
            rig.advanceTo(rig.sincePowerOn() + 10ms);
        }
        QCOMPARE(received.size(), std::size_t{10});
        for (std::size_t i = 0; i < received.size(); ++i) {
            QCOMPARE(received[i].sequence, std::uint64_t{i + 1}); // in order, no gap
        }
        QCOMPARE(rig.alarms.eventBacklog(), std::int64_t{0});
        QCOMPARE(rig.alarms.eventsMade(), std::uint64_t{10});
    }

    void aStopRequestEndsTheMonitorAtItsNextTickAndLaterCommandsAreCancelled()
    {
        ServiceRig rig({"encoder-error:start=1s,duration=1h"});
        rig.startAll();
        rig.advanceTo(1100ms);
        rig.stop.request_stop();
        rig.advanceTo(1120ms);
        QCOMPARE(rig.executor.liveJobs(), 0);
        QCOMPARE(rig.executor.failedJobs(), 0);
        QVERIFY(rig.alarms.events().isCompleted());
        QVERIFY(rig.firstEvent(AlarmMonitor::kEncoderFault, AlarmEventKind::Activated)); // drained before the end
        auto late = rig.alarms.execute(AlarmCommand::acknowledge(tagOf(AlarmMonitor::kEncoderFault), kTina, ""));
        rig.executor.runReady();
        QVERIFY_THROWS_EXCEPTION(runtime::OperationCancelled, static_cast<void>(ready(std::move(late))));
    }

    void eventsStillInTheBacklogWhenItStopsAreCounted()
    {
        AlarmMonitorOptions options;
        options.eventCapacity = 1;
        ServiceRig rig({"encoder-error:start=1s,duration=1s", "following-error:start=1s,duration=1s"}, options);
        rig.startAll();
        rig.advanceTo(1100ms);
        rig.executor.cancelTimers(); // the executor shuts down
        QCOMPARE(rig.executor.liveJobs(), 0);
        QCOMPARE(rig.executor.failedJobs(), 0);
        QCOMPARE(rig.alarms.eventsUndelivered(), std::uint64_t{1});
        QCOMPARE(rig.stats.find("alarm_monitor").value("events_undelivered"), std::int64_t{1});
        QCOMPARE(testing::drain(rig.alarms.events()).size(), std::size_t{1});
    }

    void aPeriodThatIsNotPositiveIsRefused()
    {
        ServiceRig rig;
        AlarmMonitorOptions options;
        options.period = 0ms;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 AlarmMonitor(rig.executor, rig.poller, rig.heartbeat, rig.runContext, options));
    }

    void runTwiceOrOnAnotherExecutorIsAMisuse()
    {
        ServiceRig rig;
        rig.startAll();
        QVERIFY_THROWS_EXCEPTION(runtime::MisuseError, static_cast<void>(rig.alarms.run()));

        ServiceRig other;
        testing::ManualExecutor elsewhere("elsewhere");
        elsewhere.spawn(other.alarms.run());
        elsewhere.runReady();
        QCOMPARE(elsewhere.failedJobs(), 1);
    }
};

QTEST_GUILESS_MAIN(AlarmMonitorCommandsTest)
#include "alarm_monitor_commands_test.moc"
